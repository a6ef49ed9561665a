// The one-shot timer service: each CPU keeps its armed timers in its TimerQueue (guarded by its
// lock) and its hardware one-shot armed for the earliest of them (or the end of the current slice).
namespace Hv.Sched
{
    public sealed partial class Scheduler
    {
        /// <summary>
        /// Arms <paramref name="timer"/> on the caller's CPU for the absolute deadline (platform ticks);
        /// its callback runs there, from Tick, at or after the deadline. Re-arming moves it. A timer
        /// has one owner: arming and cancelling the same timer from two CPUs at once is not supported.
        /// </summary>
        public void ArmTimer(OneShotTimer timer, ulong deadline)
        {
            if (timer.sleeper != null) SchedInvariant.Fail("a sleep timer is armed only by Sleep");
            bool irq = _p.DisableInterrupts();
            int cpu = _p.CurrentCpu;
            CpuSched c = _cpus[cpu];
            TimerQueue q = timer.queue;
            if (q != null && q.Cpu != cpu) CancelTimer(timer);
            c.Lock.Acquire(cpu);
            c.Timers.Add(timer, deadline);
            ProgramLocked(c);
            c.Lock.Release(cpu);
            _p.RestoreInterrupts(irq);
        }

        /// <summary>
        /// Disarms a timer armed on any CPU. False when it was not armed (it may have fired already,
        /// and its callback may be running on its CPU right now).
        /// </summary>
        public bool CancelTimer(OneShotTimer timer)
        {
            bool irq = _p.DisableInterrupts();
            int self = _p.CurrentCpu;
            bool removed = false;
            for (;;)
            {
                TimerQueue q = timer.queue;
                if (q == null) break;
                CpuSched c = _cpus[q.Cpu];
                c.Lock.Acquire(self);
                bool same = timer.queue == q;
                if (same) removed = q.Remove(timer);
                c.Lock.Release(self);
                if (same) break;
            }
            // The hardware one-shot may still fire for it: Tick then finds nothing expired and re-arms.
            _p.RestoreInterrupts(irq);
            return removed;
        }

        /// <summary>
        /// Pops and runs expired timers one at a time, each callback outside the lock (it may wake
        /// threads or arm timers). Sleep timers wake their thread.
        /// </summary>
        private void FireExpired(CpuSched c, ulong now)
        {
            for (;;)
            {
                c.Lock.Acquire(c.Index);
                OneShotTimer t = c.Timers.PopExpired(now);
                if (t != null) c.timersFired++;
                c.Lock.Release(c.Index);
                if (t == null) return;
                if (t.sleeper != null) WakeInternal(t.sleeper, true);
                else if (t.Callback != null) t.Callback.OnTimer(t, now);
            }
        }
    }
}
