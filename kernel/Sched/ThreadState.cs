// Thread states and flags, the body a kernel thread runs, and the scheduler's invariant check.
namespace Hv.Sched
{
    /// <summary>
    /// Where a thread is. The state is guarded by the lock of the CPU the thread is assigned to
    /// (<see cref="KThread.Cpu"/>); see kernel/Sched/README.md for the full rule.
    /// </summary>
    public enum ThreadState
    {
        /// <summary>In the run queue of <see cref="KThread.Cpu"/>, waiting for that CPU.</summary>
        Runnable,
        /// <summary>The current thread of <see cref="KThread.Cpu"/>.</summary>
        Running,
        /// <summary>Waiting for <see cref="KThread.WakeDeadline"/> (its sleep timer is armed) or an early Wake.</summary>
        Sleeping,
        /// <summary>Waiting for Unblock/Wake. Also the state of a created thread that was not started yet.</summary>
        Blocked,
        /// <summary>Exited; never scheduled again.</summary>
        Dead,
    }

    [System.Flags]
    public enum ThreadFlags
    {
        None = 0,
        /// <summary>A CPU's idle thread: never queued, runs only when nothing else can.</summary>
        Idle = 1 << 0,
        /// <summary>
        /// Runs a vCPU: between guest entries its run loop polls <see cref="KThread.PreemptRequested"/>
        /// and calls <see cref="Scheduler.PreemptPoint"/> (the vCPU switch-out point).
        /// </summary>
        Vcpu = 1 << 1,
    }

    /// <summary>What a kernel thread runs; when Run returns, the thread exits.</summary>
    public interface IThreadEntry
    {
        void Run(KThread self);
    }

    /// <summary>A broken scheduler invariant: in the image `throw` panics with the message.</summary>
    internal static class SchedInvariant
    {
        public static void Fail(string what) => throw new System.InvalidOperationException("sched: " + what);
    }
}
