// The scheduler's hardware (kernel/Sched/ISchedPlatform.cs): the CPU index from GS, the TSC as
// clock, the LAPIC one-shot timer (TSC-deadline mode is a later refinement), a fixed IPI for
// reschedules, sti;hlt for idle, and the stack switch in Asm/switch.asm.
using System.Runtime.InteropServices;
using Hv.Arch.Apic;
using Hv.Arch.Smp;
using Hv.Sched;

namespace Hv.Arch
{
    public sealed unsafe class SchedPlatform : ISchedPlatform
    {
        [DllImport("hvasm"), SuppressGCTransition] private static extern void hv_switch_stacks(ulong* saveSp, ulong newSp);
        [DllImport("hvasm"), SuppressGCTransition] private static extern ulong hv_thread_trampoline_address();
        [DllImport("hvasm"), SuppressGCTransition] private static extern void hv_idle();
        [DllImport("hvasm"), SuppressGCTransition] private static extern int hv_disable_interrupts();

        private readonly ulong _lapicHz;
        private readonly ulong _tscHz;

        public static Scheduler Scheduler;

        public SchedPlatform(ulong tscHz, ulong lapicTimerHz) { _tscHz = tscHz; _lapicHz = lapicTimerHz; }

        public int CurrentCpu => PerCpu.CurrentIndex;
        public ulong Now() => Cpu.hv_rdtsc();

        public void SendRescheduleIpi(int cpu) =>
            LocalApic.SendIpi(PerCpu.Cpus[cpu].ApicId, IpiDelivery.Fixed, Interrupts.RescheduleVector);

        public void ProgramOneShot(int cpu, ulong deadline)
        {
            if (deadline == ulong.MaxValue) { LocalApic.TimerStop(); return; }
            ulong now = Cpu.hv_rdtsc();
            ulong delta = deadline > now ? deadline - now : 0;
            // TSC ticks -> microseconds -> LAPIC timer ticks (no overflow: capped at ~2.7 hours).
            ulong tscPerUs = _tscHz / 1000000 == 0 ? 1 : _tscHz / 1000000;
            ulong us = delta / tscPerUs;
            if (us > 10000000000UL) us = 10000000000UL;
            ulong count = us * _lapicHz / 1000000;
            if (count == 0 && delta > 0) count = 1;
            LocalApic.TimerOneShot(count > 0xFFFFFFFF ? 0xFFFFFFFF : (uint)(count == 0 ? 1 : count));
        }

        public void SwitchTo(KThread from, KThread to)
        {
            fixed (ulong* save = &from.SavedContext) hv_switch_stacks(save, to.SavedContext);
        }

        public void Idle() => hv_idle();
        public bool DisableInterrupts() => hv_disable_interrupts() != 0;
        public static bool InterruptsOff() => hv_disable_interrupts() != 0;
        public void RestoreInterrupts(bool enabled) { if (enabled) Cpu.hv_sti(); }

        public void InitContext(KThread t)
        {
            ulong top = (t.StackBase + t.StackSize) & ~15UL;
            ulong ctx = top - 256;
            for (ulong p = ctx; p < top; p += 8) *(ulong*)p = 0;   // XMM area and registers, RBP = 0
            *(ulong*)(ctx + 232) = hv_thread_trampoline_address();
            t.SavedContext = ctx;
        }

        [UnmanagedCallersOnly(EntryPoint = "HvThreadStart")]
        private static void ThreadStart() => Scheduler.RunNewThread();

        // Interrupt hooks (Interrupts.cs): the handler has sent EOI; we are about to iretq to a thread.
        public static void OnTimer(ExceptionFrame* f)
        {
            Scheduler.Tick(PerCpu.CurrentIndex, Cpu.hv_rdtsc());
            Scheduler.PreemptPoint();
        }

        public static void OnReschedule(ExceptionFrame* f) => Scheduler.PreemptPoint();

        public static string CurrentThreadName()
        {
            KThread t = Scheduler?.Current;
            return t == null ? "boot" : t.Name;
        }
    }
}
