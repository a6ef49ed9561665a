// The scheduler: kernel threads on per-CPU FIFO run queues, time slices enforced by a per-CPU
// one-shot timer, sleep/wake, cross-CPU wake-ups by IPI, idle threads that halt, CPU affinity and
// a one-shot timer service. Hardware is reached only through ISchedPlatform.
// Design, locking rules and the hardware contract: kernel/Sched/README.md.
// Split by concern: Scheduler.Core.cs (switching, ticks, idle), Scheduler.Wake.cs (sleep, block,
// wake, exit), Scheduler.Balance.cs (stealing), Scheduler.Timers.cs (timer service).
using System.Threading;

namespace Hv.Sched
{
    public sealed partial class Scheduler
    {
        /// <summary>Affinity masks have one bit per CPU.</summary>
        public const int MaxCpus = 64;

        private readonly ISchedPlatform _p;
        private readonly CpuSched[] _cpus;
        private int _nextId;

        /// <summary>Length of a time slice in platform ticks.</summary>
        public ulong SliceTicks { get; }
        public int CpuCount => _cpus.Length;

        /// <summary>
        /// Creates the per-CPU state and one idle thread per CPU. Each idle thread stands for the
        /// context that calls <see cref="StartCpu"/> and then <see cref="IdleLoop"/> on that CPU (its
        /// boot stack); its SavedContext is filled the first time the CPU switches away from it.
        /// Returns null for a CPU count outside 1..MaxCpus or a zero slice.
        /// </summary>
        public static Scheduler Create(ISchedPlatform platform, int cpuCount, ulong sliceTicks)
        {
            if (platform == null || cpuCount < 1 || cpuCount > MaxCpus || sliceTicks == 0) return null;
            return new Scheduler(platform, cpuCount, sliceTicks);
        }

        private Scheduler(ISchedPlatform platform, int cpuCount, ulong sliceTicks)
        {
            _p = platform;
            SliceTicks = sliceTicks;
            _cpus = new CpuSched[cpuCount];
            for (int i = 0; i < cpuCount; i++)
            {
                var idle = new KThread(_nextId++, "idle", null, 0, 0, 1ul << i, ThreadFlags.Idle);
                idle.cpu = i;
                idle.state = ThreadState.Running;
                _cpus[i] = new CpuSched(i, idle);
            }
        }

        public CpuSched Cpu(int index) => _cpus[index];

        /// <summary>The platform's monotonic clock, in the ticks slices and deadlines use.</summary>
        public ulong Now() => _p.Now();

        /// <summary>The thread running on the caller's CPU.</summary>
        public KThread Current => _cpus[_p.CurrentCpu].current;

        /// <summary>
        /// Brings the caller's CPU online: from now on threads are placed on it and its time is
        /// accounted. Call once on each CPU, interrupts off, before <see cref="IdleLoop"/>.
        /// </summary>
        public void StartCpu()
        {
            int cpu = _p.CurrentCpu;
            CpuSched c = _cpus[cpu];
            bool irq = _p.DisableInterrupts();
            c.Lock.Acquire(cpu);
            ulong now = _p.Now();
            c.accountedUntil = now;
            c.onlineSince = now;
            c.online = true;
            c.Lock.Release(cpu);
            _p.RestoreInterrupts(irq);
        }

        /// <summary>
        /// Creates a thread in state Blocked (not started) with its first frame built by the platform;
        /// <see cref="Start"/> makes it runnable. <paramref name="affinity"/>: bit per CPU, 0 = any.
        /// Returns null when the affinity names no existing CPU. Allocates: creation time only.
        /// </summary>
        public KThread CreateThread(string name, IThreadEntry entry, ulong stackBase, ulong stackSize, ulong affinity, ThreadFlags flags)
        {
            if (!ValidAffinity(affinity)) return null;
            int id = Interlocked.Increment(ref _nextId) - 1;
            var t = new KThread(id, name, entry, stackBase, stackSize, affinity, flags & ~ThreadFlags.Idle);
            _p.InitContext(t);
            return t;
        }

        /// <summary>Makes a created thread runnable (a Wake of its initial Blocked state).</summary>
        public bool Start(KThread t) => Wake(t);

        /// <summary>
        /// Changes the affinity of a thread that is not running or queued (not started, Blocked or
        /// Sleeping); it takes effect at its next wake. False for a running/queued/dead thread or a mask
        /// naming no existing CPU. A thread that was never started must not be started concurrently.
        /// </summary>
        public bool SetAffinity(KThread t, ulong mask)
        {
            if (t == null || t.IsIdle || !ValidAffinity(mask)) return false;
            bool irq = _p.DisableInterrupts();
            int self = _p.CurrentCpu;
            int home = LockThreadCpu(self, t);
            bool ok = (t.state == ThreadState.Blocked || t.state == ThreadState.Sleeping)
                && (home == KThread.NoCpu || _cpus[home].current != t);
            if (ok) t.affinity = mask;
            if (home != KThread.NoCpu) _cpus[home].Lock.Release(self);
            _p.RestoreInterrupts(irq);
            return ok;
        }

        /// <summary>
        /// Entered by the platform's new-thread trampoline on the thread's own stack after the first
        /// switch to it: finishes the switch, enables interrupts, runs the entry, then exits.
        /// </summary>
        public void RunNewThread()
        {
            FinishSwitch();
            _p.RestoreInterrupts(true);
            KThread self = Current;
            if (self.Entry != null) self.Entry.Run(self);
            Exit();
        }

        /// <summary>
        /// The second half of a switch, run by the thread that was switched to, on the CPU it now runs
        /// on: releases that CPU's lock, which the switching side held across SwitchTo.
        /// </summary>
        private void FinishSwitch()
        {
            int cpu = _p.CurrentCpu;
            _cpus[cpu].Lock.Release(cpu);
        }

        private bool ValidAffinity(ulong mask)
        {
            if (mask == 0) return true;
            ulong existing = _cpus.Length == 64 ? ulong.MaxValue : (1ul << _cpus.Length) - 1;
            return (mask & existing) != 0;
        }

        /// <summary>Locks the CPU a thread is assigned to (re-checked after locking); NoCpu: nothing locked.</summary>
        private int LockThreadCpu(int self, KThread t)
        {
            for (;;)
            {
                int home = t.cpu;
                if (home == KThread.NoCpu) return home;
                _cpus[home].Lock.Acquire(self);
                if (t.cpu == home) return home;
                _cpus[home].Lock.Release(self);
            }
        }
    }
}
