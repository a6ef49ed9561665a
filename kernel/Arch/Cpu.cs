// Privileged x86-64 instructions, implemented in kernel/Arch/Asm/cpu.asm. --directpinvoke:hvasm
// turns each into a plain call; SuppressGCTransition drops the transition (there is no GC).
using System.Runtime.InteropServices;

namespace Hv.Arch
{
    public static unsafe class Cpu
    {
        [DllImport("hvasm"), SuppressGCTransition] public static extern void hv_outb(ushort port, byte value);
        [DllImport("hvasm"), SuppressGCTransition] public static extern byte hv_inb(ushort port);
        [DllImport("hvasm"), SuppressGCTransition] public static extern void hv_outw(ushort port, ushort value);
        [DllImport("hvasm"), SuppressGCTransition] public static extern ushort hv_inw(ushort port);
        [DllImport("hvasm"), SuppressGCTransition] public static extern void hv_outd(ushort port, uint value);
        [DllImport("hvasm"), SuppressGCTransition] public static extern uint hv_ind(ushort port);
        [DllImport("hvasm"), SuppressGCTransition] public static extern void hv_cpuid(uint leaf, uint subleaf, uint* regs4);
        [DllImport("hvasm"), SuppressGCTransition] public static extern ulong hv_rdmsr(uint msr);
        [DllImport("hvasm"), SuppressGCTransition] public static extern void hv_wrmsr(uint msr, ulong value);
        [DllImport("hvasm"), SuppressGCTransition] public static extern ulong hv_rdtsc();
        [DllImport("hvasm"), SuppressGCTransition] public static extern ulong hv_read_cr0();
        [DllImport("hvasm"), SuppressGCTransition] public static extern ulong hv_read_cr2();
        [DllImport("hvasm"), SuppressGCTransition] public static extern ulong hv_read_cr3();
        [DllImport("hvasm"), SuppressGCTransition] public static extern ulong hv_read_cr4();
        [DllImport("hvasm"), SuppressGCTransition] public static extern void hv_write_cr3(ulong value);
        [DllImport("hvasm"), SuppressGCTransition] public static extern void hv_write_cr4(ulong value);
        [DllImport("hvasm"), SuppressGCTransition] public static extern void hv_cli();
        [DllImport("hvasm"), SuppressGCTransition] public static extern void hv_sti();
        [DllImport("hvasm"), SuppressGCTransition] public static extern void hv_pause();
        [DllImport("hvasm"), SuppressGCTransition] public static extern ulong hv_read_rflags();
        [DllImport("hvasm"), SuppressGCTransition] public static extern void hv_hlt();
        [DllImport("hvasm"), SuppressGCTransition] public static extern void hv_halt_forever();
        [DllImport("hvasm"), SuppressGCTransition] public static extern void hv_lidt(void* descriptor);
        [DllImport("hvasm"), SuppressGCTransition] public static extern void hv_load_gdt(void* descriptor, ushort codeSel, ushort dataSel, ushort tssSel);
        [DllImport("hvasm"), SuppressGCTransition] public static extern void hv_switch_stack(void* top, delegate* unmanaged<void*, void> fn, void* arg);
        [DllImport("hvasm"), SuppressGCTransition] public static extern void hv_debug_exit(uint status);
        [DllImport("hvasm"), SuppressGCTransition] public static extern void* hv_isr_table();

        public static void Cpuid(uint leaf, uint subleaf, out uint eax, out uint ebx, out uint ecx, out uint edx)
        {
            uint* r = stackalloc uint[4];
            hv_cpuid(leaf, subleaf, r);
            eax = r[0]; ebx = r[1]; ecx = r[2]; edx = r[3];
        }
    }
}
