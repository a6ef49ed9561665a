// One CPU's scheduler state. Everything here except the statistics and the racy hints used for
// placement (Current, Queue.Count, Online) is guarded by Lock.
namespace Hv.Sched
{
    public sealed class CpuSched
    {
        /// <summary>Guards Queue, Timers, Current, the slice and the state of threads assigned here.</summary>
        internal KSpinLock Lock;

        public int Index { get; }
        public RunQueue Queue { get; }
        public TimerQueue Timers { get; }

        internal KThread current;
        internal bool online;
        internal ulong sliceEnd;
        /// <summary>What the hardware one-shot is armed for (ulong.MaxValue: disarmed or fired).</summary>
        internal ulong programmed = ulong.MaxValue;
        internal ulong accountedUntil, onlineSince;

        // Statistics.
        internal ulong switches, idleTicks, ipisReceived, steals, slicesExpired, timersFired, halts;

        internal CpuSched(int index, KThread idle)
        {
            Index = index;
            Queue = new RunQueue(index, idle);
            Timers = new TimerQueue(index);
            current = idle;
        }

        public KThread Current => current;
        public KThread IdleThread => Queue.Idle;
        public bool Online => online;
        public bool IsIdle => current.IsIdle;
        /// <summary>End of the current thread's time slice (absolute ticks).</summary>
        public ulong SliceEnd => sliceEnd;
        public ulong ProgrammedDeadline => programmed;
        /// <summary>Time up to which run time has been charged to threads (Tick and Schedule advance it).</summary>
        public ulong AccountedUntil => accountedUntil;
        public ulong OnlineSince => onlineSince;

        /// <summary>Switches to a different thread made on this CPU.</summary>
        public ulong Switches => switches;
        public ulong IdleTicks => idleTicks;
        /// <summary>Reschedule IPIs sent to this CPU.</summary>
        public ulong IpisReceived => ipisReceived;
        /// <summary>Threads this CPU took from another CPU's queue.</summary>
        public ulong Steals => steals;
        public ulong SlicesExpired => slicesExpired;
        public ulong TimersFired => timersFired;
        /// <summary>Times the idle loop halted.</summary>
        public ulong Halts => halts;
        public bool LockHeld => Lock.IsHeld;
    }
}
