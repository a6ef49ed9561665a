// Picking the next thread and switching to it, timer-driven preemption, the idle loop.
namespace Hv.Sched
{
    public sealed partial class Scheduler
    {
        /// <summary>
        /// Gives up the CPU: the caller goes to the tail of its CPU's queue and the head runs (the
        /// caller again when nothing else is queued). Returns when the caller is picked again.
        /// </summary>
        public void Yield()
        {
            bool irq = _p.DisableInterrupts();
            int cpu = _p.CurrentCpu;
            CpuSched c = _cpus[cpu];
            c.Lock.Acquire(cpu);
            ScheduleLocked(c, false);
            _p.RestoreInterrupts(irq);
        }

        /// <summary>
        /// Schedule(cpu): picks the next thread for the caller's CPU and switches to it. The caller's
        /// state says what happens to it: Running goes back to the queue, anything else leaves it.
        /// </summary>
        public void Schedule(int cpu)
        {
            if (cpu != _p.CurrentCpu) SchedInvariant.Fail("Schedule for another CPU");
            bool irq = _p.DisableInterrupts();
            CpuSched c = _cpus[cpu];
            c.Lock.Acquire(cpu);
            ScheduleLocked(c, false);
            _p.RestoreInterrupts(irq);
        }

        /// <summary>
        /// The safe point: switches if the current thread's PreemptRequested is set. The platform
        /// calls it at interrupt exit (after EOI, when returning to a kernel thread); a vCPU run loop
        /// calls it before re-entering the guest when PreemptRequested is set (the vCPU switch-out).
        /// </summary>
        public void PreemptPoint()
        {
            bool irq = _p.DisableInterrupts();
            int cpu = _p.CurrentCpu;
            CpuSched c = _cpus[cpu];
            if (c.current.PreemptRequested)
            {
                c.Lock.Acquire(cpu);
                ScheduleLocked(c, true);
            }
            _p.RestoreInterrupts(irq);
        }

        /// <summary>
        /// Asks <paramref name="cpu"/> to reschedule at its next safe point: sets its current thread's
        /// PreemptRequested and, for another CPU, sends one IPI (none if a request is already pending).
        /// On a CPU running a vCPU in guest mode the IPI forces the VM exit.
        /// </summary>
        public void RequestPreempt(int cpu)
        {
            bool irq = _p.DisableInterrupts();
            int self = _p.CurrentCpu;
            CpuSched c = _cpus[cpu];
            c.Lock.Acquire(self);
            Kick(self, c);
            c.Lock.Release(self);
            _p.RestoreInterrupts(irq);
        }

        /// <summary>
        /// The one-shot timer interrupt of <paramref name="cpu"/> (the caller's CPU): fires expired
        /// timers (waking sleepers), charges run time, ends an expired slice when another thread is
        /// queued, re-arms the one-shot. Returns whether the interrupt exit must call PreemptPoint.
        /// </summary>
        public bool Tick(int cpu, ulong now)
        {
            bool irq = _p.DisableInterrupts();
            CpuSched c = _cpus[cpu];
            c.programmed = ulong.MaxValue; // the one-shot fired (or this is an early call): re-arm below
            FireExpired(c, now);
            c.Lock.Acquire(cpu);
            Account(c, now);
            KThread cur = c.current;
            if (!cur.IsIdle && now >= c.sliceEnd)
            {
                // Alone on the CPU: a new slice. Otherwise round robin at the next safe point.
                if (c.Queue.Count == 0) c.sliceEnd = now + SliceTicks;
                else if (cur.SetPreemptRequest()) c.slicesExpired++;
            }
            ProgramLocked(c);
            bool resched = cur.PreemptRequested;
            c.Lock.Release(cpu);
            _p.RestoreInterrupts(irq);
            return resched;
        }

        /// <summary>The idle thread's body: runs on each CPU's boot stack after StartCpu; never returns.</summary>
        public void IdleLoop()
        {
            for (;;) IdleOnce();
        }

        /// <summary>
        /// One idle-loop iteration: switch when there is work (a request, a queued thread, a thread to
        /// steal), otherwise halt until an interrupt.
        /// </summary>
        public void IdleOnce()
        {
            bool irq = _p.DisableInterrupts();
            int cpu = _p.CurrentCpu;
            CpuSched c = _cpus[cpu];
            if (!c.current.IsIdle) SchedInvariant.Fail("IdleOnce outside the idle thread");
            c.Lock.Acquire(cpu);
            bool work = c.current.PreemptRequested || c.Queue.Count > 0;
            bool contended = false;
            if (!work)
            {
                KThread stolen = StealFor(c, out contended);
                if (stolen != null) { c.Queue.Enqueue(stolen); work = true; }
            }
            if (work)
            {
                ScheduleLocked(c, false);
                _p.RestoreInterrupts(irq);
                return;
            }
            if (!contended) c.halts++;
            c.Lock.Release(cpu);
            // A wake between the release and the halt sends an IPI, which stays pending while
            // interrupts are off and ends the halt (sti; hlt has no window).
            if (!contended) _p.Idle();
            _p.RestoreInterrupts(irq);
        }

        /// <summary>
        /// The heart of the scheduler. Entered with interrupts off and c.Lock held by c's CPU, which is
        /// the caller's CPU, on behalf of c.current. Leaves with the lock released: by FinishSwitch
        /// after the switch (in whichever thread resumes), or directly when the caller keeps the CPU.
        /// <paramref name="preempted"/>: an involuntary switch, where a thread that prepared to block
        /// stays runnable (its CommitBlock then returns at once: a spurious wake-up).
        /// </summary>
        private void ScheduleLocked(CpuSched c, bool preempted)
        {
            ulong now = _p.Now();
            Account(c, now);
            KThread prev = c.current;
            prev.ClearPreemptRequest();
            if (!prev.IsIdle && (prev.state == ThreadState.Running || (preempted && prev.state == ThreadState.Blocked)))
            {
                prev.state = ThreadState.Runnable;
                c.Queue.Enqueue(prev);
            }
            KThread next = c.Queue.Dequeue();
            if (next == null) next = StealFor(c, out bool _);
            if (next == null) next = c.Queue.Idle;
            if (next != prev && prev.IsIdle) prev.state = ThreadState.Runnable;
            next.state = ThreadState.Running;
            next.cpu = c.Index;
            next.ClearPreemptRequest();
            c.current = next;
            c.sliceEnd = now + SliceTicks;
            ProgramLocked(c);
            if (next != prev)
            {
                next.switches++;
                c.switches++;
                _p.SwitchTo(prev, next);
            }
            FinishSwitch();
        }

        /// <summary>Charges the time since the last accounting to the current thread (c.Lock held).</summary>
        private static void Account(CpuSched c, ulong now)
        {
            if (now <= c.accountedUntil) return;
            ulong delta = now - c.accountedUntil;
            c.accountedUntil = now;
            if (!c.online) return;
            c.current.runTicks += delta;
            if (c.current.IsIdle) c.idleTicks += delta;
        }

        /// <summary>
        /// Arms the caller's one-shot for the earliest of its timers and, for a non-idle thread, the
        /// end of its slice; an idle CPU with no timers disarms it (c.Lock held, c is the caller's CPU).
        /// </summary>
        private void ProgramLocked(CpuSched c)
        {
            ulong deadline = c.Timers.NextDeadline;
            if (!c.current.IsIdle && c.sliceEnd < deadline) deadline = c.sliceEnd;
            if (deadline == c.programmed) return;
            c.programmed = deadline;
            _p.ProgramOneShot(c.Index, deadline);
        }
    }
}
