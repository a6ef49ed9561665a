// The runtime's last resort: a message, the faulting code address and the registers on COM1,
// then the kernel's hook (which stops the other CPUs and may end an emulator run), then halt.
// Never a silent hang. Output is polled 16550 writes so it works from any state.
using System;
using System.Runtime;
using System.Runtime.InteropServices;

namespace Internal.Runtime.Kernel
{
    /// <summary>General-purpose registers in the order kernel/Arch/Asm pushes them (lowest address first).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct GprFrame
    {
        public ulong R15, R14, R13, R12, R11, R10, R9, R8, Rbp, Rdi, Rsi, Rdx, Rcx, Rbx, Rax;
    }

    public static unsafe class Panic
    {
        /// <summary>Set by the kernel: called after the dump (stop other CPUs, signal the test harness).</summary>
        public static delegate*<void> AfterDumpHook;

        private static int s_inPanic;

        public static void Fail(string message) => Fail(message, 0, null);

        public static void Fail(string message, ulong value, string suffix)
        {
            Begin();
            Write("PANIC: "); Write(message);
            if (suffix != null) { Write(": "); WriteHex(value); Write(" "); Write(suffix); }
            Write("\r\n");
            End();
        }

        /// <summary>Called by RhpThrowEx (kernel/Arch/Asm/runtime.asm) with the registers at the throw.</summary>
        [RuntimeExport("HvPanicFromThrow")]
        private static void FromThrow(object exception, GprFrame* frame, ulong returnAddress)
        {
            Begin();
            Write("PANIC: unhandled exception: ");
            var e = exception as Exception;
            Write(e != null ? e.Message : "(not an Exception)");
            Write("\r\n  thrown from code at "); WriteHex(returnAddress);
            Write(" (call site; see build/obj/BOOTX64.map), RSP="); WriteHex((ulong)frame + 16 * 8);
            Write("\r\n");
            DumpRegisters(frame);
            End();
        }

        [RuntimeExport("RhpFallbackFailFast")]
        private static void FallbackFailFast() => Fail("runtime fail-fast (RhpFallbackFailFast)");

        public static void DumpRegisters(GprFrame* f)
        {
            Reg("RAX", f->Rax); Reg("RBX", f->Rbx); Reg("RCX", f->Rcx); Reg("RDX", f->Rdx); Write("\r\n");
            Reg("RSI", f->Rsi); Reg("RDI", f->Rdi); Reg("RBP", f->Rbp); Reg("R8 ", f->R8); Write("\r\n");
            Reg("R9 ", f->R9); Reg("R10", f->R10); Reg("R11", f->R11); Reg("R12", f->R12); Write("\r\n");
            Reg("R13", f->R13); Reg("R14", f->R14); Reg("R15", f->R15); Write("\r\n");
        }

        private static void Reg(string name, ulong value) { Write("  "); Write(name); Write("="); WriteHex(value); }

        private static void Begin()
        {
            Native.hv_cli();
            // One panic at a time: a second CPU panicking meanwhile parks (the first one stops it
            // with an NMI and prints its registers); a fault inside the panic path itself says so.
            if (System.Threading.Interlocked.Exchange(ref s_inPanic, 1) != 0)
            {
                if (s_panicOwner == CurrentCpuHook())
                {
                    Write("\r\nPANIC: nested panic\r\n");
                }
                Native.hv_halt_forever();
            }
            s_panicOwner = CurrentCpuHook();
            AcquireConsole();
        }

        private static int s_panicOwner = -1;
        private static int s_consoleLock;

        /// <summary>Set by the kernel: the current CPU's index (GS-relative), -1 before per-CPU state exists.</summary>
        public static delegate*<int> CurrentCpu;
        private static int CurrentCpuHook() => CurrentCpu == null ? 0 : CurrentCpu();

        // Bounded: a CPU that died holding the console must not silence the panic.
        private static void AcquireConsole()
        {
            for (int i = 0; i < 50000000; i++)
                if (System.Threading.Interlocked.CompareExchange(ref s_consoleLock, 1, 0) == 0) return;
        }

        private static void ReleaseConsole() => System.Threading.Volatile.Write(ref s_consoleLock, 0);

        /// <summary>Runs <paramref name="print"/> holding the console, so lines of several CPUs do not interleave.</summary>
        public static void WithConsole(delegate*<void*, void> print, void* arg)
        {
            AcquireConsole();
            print(arg);
            ReleaseConsole();
        }

        private static void End()
        {
            ReleaseConsole();
            if (AfterDumpHook != null) AfterDumpHook();
            Write("HV: halted after panic\r\n");
            Native.hv_halt_forever();
        }

        // --- polled COM1 output (works before and after ExitBootServices) ---
        private const ushort Com1 = 0x3F8;

        public static void WriteChar(char c)
        {
            // Wait (bounded) for the transmit holding register to be empty: LSR bit 5.
            for (int i = 0; i < 100000 && (Native.hv_inb(Com1 + 5) & 0x20) == 0; i++) { }
            Native.hv_outb(Com1, (byte)(c < 0x80 ? c : '?'));
        }

        /// <summary>
        /// Waits (bounded) until COM1 has sent everything (LSR bit 6, transmitter empty): an emulator
        /// told to quit right after would otherwise drop the last bytes (Bochs does).
        /// </summary>
        public static void FlushSerial()
        {
            for (int i = 0; i < 1000000 && (Native.hv_inb(Com1 + 5) & 0x40) == 0; i++) { }
        }

        public static void Write(string s)
        {
            if (s == null) return;
            for (int i = 0; i < s.Length; i++) WriteChar(s[i]);
        }

        public static void WriteHex(ulong v)
        {
            WriteChar('0'); WriteChar('x');
            for (int shift = 60; shift >= 0; shift -= 4)
            {
                int d = (int)(v >> shift) & 0xF;
                WriteChar((char)(d < 10 ? '0' + d : 'a' + d - 10));
            }
        }
    }
}
