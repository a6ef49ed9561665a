// A kernel thread: what the scheduler needs to run, queue, time and account it. vCPUs are kernel
// threads that enter the guest (ThreadFlags.Vcpu); see PreemptRequested for their switch-out point.
using System.Threading;

namespace Hv.Sched
{
    public sealed class KThread
    {
        /// <summary>Sentinel for "no CPU yet" (a thread that never ran) in <see cref="Cpu"/>.</summary>
        public const int NoCpu = -1;

        public int Id { get; }
        public string Name { get; }
        public ThreadFlags Flags { get; }
        /// <summary>What the thread runs (null for idle threads, which run Scheduler.IdleLoop).</summary>
        public IThreadEntry Entry { get; }
        public ulong StackBase { get; }
        public ulong StackSize { get; }

        /// <summary>
        /// The saved stack pointer the platform's SwitchTo stores when switching away from this
        /// thread and loads when switching to it (the callee-saved registers are on that stack).
        /// Opaque to the scheduler; a field so the switch code can take its address.
        /// </summary>
        public ulong SavedContext;

        // Scheduling state: guarded by the lock of CPU `Cpu` (kernel/Sched/README.md, "Locking").
        internal ThreadState state;
        internal ulong affinity;
        internal int cpu = NoCpu;
        internal KThread queueNext, queuePrev;
        internal bool queued;
        internal readonly OneShotTimer sleepTimer;
        private int _preemptRequested;

        // Counters (written under the CPU lock, read racily for statistics).
        internal ulong switches, runTicks, wakeups, migrations, wakeDeadline;

        internal KThread(int id, string name, IThreadEntry entry, ulong stackBase, ulong stackSize, ulong affinity, ThreadFlags flags)
        {
            Id = id;
            Name = name;
            Entry = entry;
            StackBase = stackBase;
            StackSize = stackSize;
            Flags = flags;
            this.affinity = affinity;
            state = ThreadState.Blocked;
            sleepTimer = OneShotTimer.ForSleeper(this);
        }

        public ThreadState State => state;
        public bool IsIdle => (Flags & ThreadFlags.Idle) != 0;
        public bool IsVcpu => (Flags & ThreadFlags.Vcpu) != 0;
        /// <summary>Bit n set: may run on CPU n. 0 means any CPU.</summary>
        public ulong Affinity => affinity;
        /// <summary>The CPU the thread runs on, is queued on, or last ran on; NoCpu before its first run.</summary>
        public int Cpu => cpu;
        /// <summary>Absolute time (platform ticks) of the last Sleep's deadline.</summary>
        public ulong WakeDeadline => wakeDeadline;
        /// <summary>How many times a CPU switched to this thread.</summary>
        public ulong Switches => switches;
        /// <summary>Ticks this thread was the current thread of some CPU (guest time included for vCPUs).</summary>
        public ulong RunTicks => runTicks;
        /// <summary>Wake/Unblock calls that made it runnable.</summary>
        public ulong Wakeups => wakeups;
        /// <summary>Times it was moved to another CPU's queue (wake placement or stealing).</summary>
        public ulong Migrations => migrations;

        public bool AllowedOn(int cpuIndex) => affinity == 0 || (affinity & (1ul << cpuIndex)) != 0;

        /// <summary>
        /// The switch-out request. Set (by a slice expiry in Tick, by RequestPreempt, or by a wake that
        /// kicks an idle CPU) while this thread is the current thread of its CPU; cleared when it is
        /// switched out or re-picked. A vCPU run loop reads it before every guest entry and calls
        /// Scheduler.PreemptPoint when set; the IPI that accompanies a remote request forces the VM exit.
        /// </summary>
        /// <remarks>A plain acquire read (every x86 load is one): read before every guest entry, so no locked instruction.</remarks>
        public bool PreemptRequested => Volatile.Read(ref _preemptRequested) != 0;

        /// <summary>Sets the request; true when it was not set before (the caller then sends the IPI).</summary>
        internal bool SetPreemptRequest() => Interlocked.Exchange(ref _preemptRequested, 1) == 0;

        internal void ClearPreemptRequest() => Interlocked.Exchange(ref _preemptRequested, 0);
    }
}
