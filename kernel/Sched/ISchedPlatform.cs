// The scheduler's only way to the hardware. The image implements it with the LAPIC (timer, IPIs),
// the assembly context switch and HLT; host tests with a simulated machine. The contract of each
// member, and what the assembly switch must save, is in kernel/Sched/README.md.
namespace Hv.Sched
{
    public interface ISchedPlatform
    {
        /// <summary>Index of the CPU executing the caller (0 .. CpuCount-1), e.g. from the per-CPU block.</summary>
        int CurrentCpu { get; }

        /// <summary>The monotonic clock in ticks (the unit of slices, deadlines and run-time counters).</summary>
        ulong Now();

        /// <summary>Sends the reschedule IPI to another CPU (never to the caller's own CPU).</summary>
        void SendRescheduleIpi(int cpu);

        /// <summary>
        /// Arms the one-shot timer of <paramref name="cpu"/> (always the caller's CPU) to interrupt at
        /// the absolute deadline (now or earlier: as soon as possible); ulong.MaxValue disarms it.
        /// Its interrupt handler calls Scheduler.Tick.
        /// </summary>
        void ProgramOneShot(int cpu, ulong deadline);

        /// <summary>
        /// Saves the callee-saved state of the running thread <paramref name="from"/> on its stack, stores
        /// the stack pointer in from.SavedContext, loads to.SavedContext and resumes <paramref name="to"/>.
        /// Returns when some CPU switches back to <paramref name="from"/>. Called with interrupts off and
        /// the CPU's scheduler lock held; the resumed side releases it (Scheduler.FinishSwitch).
        /// </summary>
        void SwitchTo(KThread from, KThread to);

        /// <summary>Halts until an interrupt with interrupts enabled (sti; hlt), returns with them enabled.</summary>
        void Idle();

        /// <summary>Disables interrupts on this CPU; returns whether they were enabled.</summary>
        bool DisableInterrupts();

        /// <summary>Enables interrupts when <paramref name="enabled"/>, otherwise leaves them off.</summary>
        void RestoreInterrupts(bool enabled);

        /// <summary>
        /// Builds a new thread's first frame on its stack and sets its SavedContext, so that the first
        /// SwitchTo to it enters a trampoline that calls Scheduler.RunNewThread on that stack.
        /// </summary>
        void InitContext(KThread thread);
    }
}
