// Leaving the CPU (sleep, block, exit) and coming back (wake, unblock), with wake placement.
namespace Hv.Sched
{
    public sealed partial class Scheduler
    {
        /// <summary>
        /// Sleeps until the absolute time <paramref name="until"/> (platform ticks) or an earlier Wake.
        /// Returns at once when the deadline has passed. Not for idle threads.
        /// </summary>
        public void Sleep(ulong until)
        {
            bool irq = _p.DisableInterrupts();
            int cpu = _p.CurrentCpu;
            CpuSched c = _cpus[cpu];
            KThread self = c.current;
            if (self.IsIdle) SchedInvariant.Fail("the idle thread cannot sleep");
            c.Lock.Acquire(cpu);
            if (until <= _p.Now())
            {
                c.Lock.Release(cpu);
                _p.RestoreInterrupts(irq);
                return;
            }
            self.state = ThreadState.Sleeping;
            self.wakeDeadline = until;
            c.Timers.Add(self.sleepTimer, until);
            ScheduleLocked(c, false);
            _p.RestoreInterrupts(irq);
        }

        /// <summary>
        /// First half of blocking (for wait queues): marks the caller Blocked while it keeps running,
        /// so that a Wake/Unblock from now on is not lost. Then check the wait condition and call
        /// <see cref="CommitBlock"/>, or <see cref="CancelBlock"/> if it already holds. Wake-ups can be
        /// spurious (a preemption in between keeps the thread runnable): wait in a loop.
        /// </summary>
        public void PrepareBlock() => SetOwnState(ThreadState.Running, ThreadState.Blocked, false);

        /// <summary>Blocks if still prepared (no wake since PrepareBlock); returns once woken.</summary>
        public void CommitBlock() => SetOwnState(ThreadState.Blocked, ThreadState.Blocked, true);

        /// <summary>Undoes PrepareBlock when the caller no longer needs to wait.</summary>
        public void CancelBlock() => SetOwnState(ThreadState.Blocked, ThreadState.Running, false);

        /// <summary>Blocks until Unblock/Wake (PrepareBlock + CommitBlock).</summary>
        public void Block() => SetOwnState(ThreadState.Running, ThreadState.Blocked, true);

        /// <summary>Makes a Blocked thread runnable; the same as <see cref="Wake"/>.</summary>
        public bool Unblock(KThread t) => Wake(t);

        /// <summary>
        /// Ends the calling thread: it is never scheduled again. Does not return on hardware; its stack
        /// and object may be reused once another thread runs on its CPU.
        /// </summary>
        public void Exit()
        {
            _p.DisableInterrupts();
            int cpu = _p.CurrentCpu;
            CpuSched c = _cpus[cpu];
            if (c.current.IsIdle) SchedInvariant.Fail("the idle thread cannot exit");
            c.Lock.Acquire(cpu);
            c.current.state = ThreadState.Dead;
            ScheduleLocked(c, false);
        }

        /// <summary>
        /// Wakes a Sleeping or Blocked thread (cancelling its sleep timer): it goes to a CPU its affinity
        /// allows (see ChooseCpu); an idle target CPU is kicked, by IPI when it is another CPU. Waking a
        /// thread that prepared to block but has not switched out just cancels the block. False when
        /// the thread was not waiting (running, queued, dead) or is an idle thread.
        /// </summary>
        public bool Wake(KThread t) => WakeInternal(t, false);

        private void SetOwnState(ThreadState from, ThreadState to, bool schedule)
        {
            bool irq = _p.DisableInterrupts();
            int cpu = _p.CurrentCpu;
            CpuSched c = _cpus[cpu];
            KThread self = c.current;
            if (self.IsIdle) SchedInvariant.Fail("the idle thread cannot block");
            c.Lock.Acquire(cpu);
            if (self.state == from) self.state = to;
            if (schedule && self.state == to && to != ThreadState.Running) ScheduleLocked(c, false);
            else c.Lock.Release(cpu);
            _p.RestoreInterrupts(irq);
        }

        /// <summary>
        /// <paramref name="fromTimer"/>: the sleep timer fired; wake only if the thread still sleeps on
        /// that timer (not re-armed by a later Sleep after an early wake).
        /// </summary>
        private bool WakeInternal(KThread t, bool fromTimer)
        {
            if (t == null || t.IsIdle) return false;
            bool irq = _p.DisableInterrupts();
            int self = _p.CurrentCpu;
            int home, target;
            for (;;)
            {
                home = t.cpu; // racy; re-checked once both locks are held
                target = ChooseCpu(t, home);
                LockPair(self, home, target);
                if (t.cpu == home) break;
                UnlockPair(self, home, target);
            }
            bool woke = fromTimer
                ? t.state == ThreadState.Sleeping && !t.sleepTimer.IsArmed
                : t.state == ThreadState.Sleeping || t.state == ThreadState.Blocked;
            if (woke)
            {
                t.wakeups++;
                if (t.sleepTimer.queue != null) t.sleepTimer.queue.Remove(t.sleepTimer); // home's queue
                if (home != KThread.NoCpu && _cpus[home].current == t)
                {
                    t.state = ThreadState.Running; // prepared to block, still on its CPU
                }
                else
                {
                    if (home != KThread.NoCpu && home != target) t.migrations++;
                    t.state = ThreadState.Runnable;
                    CpuSched tc = _cpus[target];
                    tc.Queue.Enqueue(t);
                    if (tc.online && tc.current.IsIdle) Kick(self, tc);
                }
            }
            UnlockPair(self, home, target);
            _p.RestoreInterrupts(irq);
            return woke;
        }

        /// <summary>
        /// Wake placement from racy hints (a stale answer costs only locality): 1) the last CPU if
        /// allowed, online and idle; 2) another allowed, online, idle CPU (searching from last+1);
        /// 3) the last CPU if allowed and online; 4) the allowed online CPU with the shortest queue;
        /// 5) the first allowed CPU, online or not (the thread runs once that CPU starts).
        /// </summary>
        private int ChooseCpu(KThread t, int home)
        {
            int n = _cpus.Length;
            if (home != KThread.NoCpu && IdleAndAllowed(t, home)) return home;
            int start = home == KThread.NoCpu ? 0 : home + 1;
            for (int k = 0; k < n; k++)
            {
                int i = (start + k) % n;
                if (IdleAndAllowed(t, i)) return i;
            }
            if (home != KThread.NoCpu && t.AllowedOn(home) && _cpus[home].online) return home;
            int best = -1;
            for (int i = 0; i < n; i++)
                if (_cpus[i].online && t.AllowedOn(i) && (best < 0 || _cpus[i].Queue.Count < _cpus[best].Queue.Count))
                    best = i;
            if (best >= 0) return best;
            for (int i = 0; i < n; i++)
                if (t.AllowedOn(i)) return i;
            return 0;
        }

        private bool IdleAndAllowed(KThread t, int i)
        {
            CpuSched c = _cpus[i];
            return c.online && t.AllowedOn(i) && c.current.IsIdle && c.Queue.Count == 0;
        }

        /// <summary>
        /// Sets the request on c's current thread; a newly set request for another CPU sends one IPI
        /// (c.Lock held, so c.current is stable).
        /// </summary>
        private void Kick(int self, CpuSched c)
        {
            if (!c.current.SetPreemptRequest() || c.Index == self) return;
            c.ipisReceived++;
            _p.SendRescheduleIpi(c.Index);
        }

        /// <summary>Lock order for two CPU locks: ascending CPU index. <paramref name="a"/> may be NoCpu.</summary>
        private void LockPair(int self, int a, int b)
        {
            if (a == KThread.NoCpu || a == b) { _cpus[b].Lock.Acquire(self); return; }
            _cpus[a < b ? a : b].Lock.Acquire(self);
            _cpus[a < b ? b : a].Lock.Acquire(self);
        }

        private void UnlockPair(int self, int a, int b)
        {
            if (a != KThread.NoCpu && a != b) _cpus[a].Lock.Release(self);
            _cpus[b].Lock.Release(self);
        }
    }
}
