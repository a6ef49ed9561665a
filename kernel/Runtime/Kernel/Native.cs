// The few instructions the runtime itself needs, from the assembly object (kernel/Arch/Asm).
// --directpinvoke:hvasm makes these plain direct calls; SuppressGCTransition drops the
// transition frames (there is no GC).
using System.Runtime.InteropServices;

namespace Internal.Runtime.Kernel
{
    internal static unsafe class Native
    {
        [DllImport("hvasm"), SuppressGCTransition] internal static extern void hv_outb(ushort port, byte value);
        [DllImport("hvasm"), SuppressGCTransition] internal static extern byte hv_inb(ushort port);
        [DllImport("hvasm"), SuppressGCTransition] internal static extern void hv_halt_forever();
        [DllImport("hvasm"), SuppressGCTransition] internal static extern void hv_cli();
        [DllImport("hvasm"), SuppressGCTransition] internal static extern void hv_sti();
        [DllImport("hvasm"), SuppressGCTransition] internal static extern int hv_disable_interrupts();
        [DllImport("hvasm"), SuppressGCTransition] internal static extern byte* hv_modules_start();
        [DllImport("hvasm"), SuppressGCTransition] internal static extern byte* hv_modules_end();
        [DllImport("hvasm"), SuppressGCTransition] internal static extern byte* hv_early_heap(out nuint size);
    }
}
