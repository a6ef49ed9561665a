// One entry for every vector (isr.asm): CPU exceptions dump and panic; the LAPIC timer and the
// reschedule IPI go to handlers the scheduler registers; an NMI during a panic parks this CPU
// after printing its registers (Panic.StopOtherCpus sends it).
using System.Runtime.InteropServices;
using Hv.Arch.Apic;
using Internal.Runtime.Kernel;

namespace Hv.Arch
{
    public static unsafe class Interrupts
    {
        public const byte RescheduleVector = 0x21;
        public const byte NmiVector = 2;

        public static delegate*<ExceptionFrame*, void> TimerHandler;
        public static delegate*<ExceptionFrame*, void> RescheduleHandler;
        public static volatile bool PanicInProgress;
        private static int s_unexpectedLogged;

        [UnmanagedCallersOnly(EntryPoint = "HvInterruptHandler")]
        private static void Handle(ExceptionFrame* f)
        {
            ulong v = f->Vector;
            if (v == NmiVector && PanicInProgress) ParkAfterPanic(f);
            if (v < 32) { Exceptions.Report(f); return; }
            if (v == LocalApic.SpuriousVector) return; // no EOI for spurious (SDM Vol. 3 §11.9)
            LocalApic.Eoi();
            if (v == LocalApic.TimerVector) { if (TimerHandler != null) TimerHandler(f); return; }
            if (v == RescheduleVector) { if (RescheduleHandler != null) RescheduleHandler(f); return; }
            if (System.Threading.Interlocked.Exchange(ref s_unexpectedLogged, 1) == 0)
            {
                Panic.Write("W unexpected interrupt vector ");
                Panic.WriteHex(v);
                Panic.Write(" (logged once)\r\n");
            }
        }

        private static void ParkAfterPanic(ExceptionFrame* f)
        {
            Panic.WithConsole(&PrintParked, f);
            Cpu.hv_halt_forever();
        }

        private static void PrintParked(void* arg)
        {
            var f = (ExceptionFrame*)arg;
            Panic.Write("CPU ");
            Panic.Write(Smp.PerCpu.CurrentIndex.ToString());
            Panic.Write(" stopped by the panic (NMI); it was at RIP=");
            Panic.WriteHex(f->Rip);
            Panic.Write(" thread ");
            Panic.Write(Exceptions.CurrentThreadName == null ? "boot" : Exceptions.CurrentThreadName());
            Panic.Write("\r\n");
            Panic.DumpRegisters(&f->Gprs);
        }

        /// <summary>Called by the panic path: every other CPU gets an NMI and parks.</summary>
        public static void StopOtherCpus()
        {
            PanicInProgress = true;
            if (Smp.PerCpu.OnlineCount > 1)
                LocalApic.SendIpi(0, IpiDelivery.Nmi, 0, IpiShorthand.AllExcludingSelf);
        }
    }
}
