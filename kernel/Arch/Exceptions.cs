// CPU exceptions in the hypervisor itself: a full dump on the console, then the panic path
// (which stops the machine). Guests' exceptions never come here; they exit to the VMM.
using System.Runtime.InteropServices;
using Internal.Runtime.Kernel;

namespace Hv.Arch
{
    [StructLayout(LayoutKind.Sequential)]
    public struct ExceptionFrame
    {
        public GprFrame Gprs;
        public ulong Vector, ErrorCode, Rip, Cs, Rflags, Rsp, Ss;
    }

    public static unsafe class Exceptions
    {
        private static readonly string[] Names =
        {
            "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow", "#BR bound range",
            "#UD invalid opcode", "#NM device not available", "#DF double fault", "coprocessor overrun",
            "#TS invalid TSS", "#NP segment not present", "#SS stack fault", "#GP general protection",
            "#PF page fault", "reserved 15", "#MF x87 error", "#AC alignment check", "#MC machine check",
            "#XM SIMD error", "#VE virtualization", "#CP control protection", "reserved 22", "reserved 23",
            "reserved 24", "reserved 25", "reserved 26", "reserved 27", "#HV hypervisor injection",
            "#VC VMM communication", "#SX security", "reserved 31",
        };

        /// <summary>Set by the scheduler: names the running thread in a dump (null before it runs).</summary>
        public static delegate*<string> CurrentThreadName;

        public static void Report(ExceptionFrame* f)
        {
            Panic.Write("\r\nEXCEPTION on CPU ");
            Panic.Write(Smp.PerCpu.Count == 0 ? "0" : Smp.PerCpu.CurrentIndex.ToString());
            Panic.Write(" (thread ");
            Panic.Write(CurrentThreadName == null ? "boot" : CurrentThreadName());
            Panic.Write("): vector ");
            Panic.WriteHex(f->Vector);
            Panic.Write(" (");
            Panic.Write(f->Vector < 32 ? Names[f->Vector] : "external");
            Panic.Write(") error code ");
            Panic.WriteHex(f->ErrorCode);
            Panic.Write("\r\n  RIP="); Panic.WriteHex(f->Rip);
            Panic.Write(" CS="); Panic.WriteHex(f->Cs);
            Panic.Write(" RFLAGS="); Panic.WriteHex(f->Rflags);
            Panic.Write("\r\n  RSP="); Panic.WriteHex(f->Rsp);
            Panic.Write(" SS="); Panic.WriteHex(f->Ss);
            Panic.Write(" CR2="); Panic.WriteHex(Cpu.hv_read_cr2());
            Panic.Write(" CR3="); Panic.WriteHex(Cpu.hv_read_cr3());
            Panic.Write("\r\n  image base "); Panic.WriteHex(ImageBase);
            Panic.Write(" (RIP - base gives the offset in build/obj/BOOTX64.map)\r\n");
            Panic.DumpRegisters(&f->Gprs);
            // The top of the interrupted stack: after a call through a bad pointer, [RSP] is the
            // return address into the caller. Not read when RSP is not 8-aligned or is in page 0.
            if ((f->Rsp & 7) == 0 && f->Rsp >= 4096)
            {
                Panic.Write("  stack:");
                for (int i = 0; i < 4; i++) { Panic.Write(" "); Panic.WriteHex(((ulong*)f->Rsp)[i]); }
                Panic.Write("\r\n");
            }
            Panic.Fail("CPU exception in the hypervisor");
        }

        public static ulong ImageBase;
    }
}
