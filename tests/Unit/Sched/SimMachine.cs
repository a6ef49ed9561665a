using Hv.Sched;

namespace Hv.Tests.Unit.Sched
{
    /// <summary>What the current (non-idle) thread of a CPU does during one step of the simulation.</summary>
    public interface ISimBehavior
    {
        void Act(SimMachine m, int cpu, KThread self);
    }

    /// <summary>
    /// Steps simulated CPUs in lock-step with the fake clock. Per step and CPU, in hardware order:
    /// a pending reschedule IPI and an expired one-shot are delivered (Tick), then the interrupt-exit
    /// safe point (PreemptPoint) runs; a halted CPU stops there; otherwise its current thread acts
    /// (idle thread: IdleOnce; others: the behaviour, none = compute). After every step each CPU's
    /// lock must be free and its interrupts on (an exited thread's CPU is reset, as the next
    /// thread's own frame would).
    /// </summary>
    public sealed class SimMachine
    {
        public readonly SimPlatform P;
        public readonly Scheduler S;
        public ISimBehavior Behavior;
        public ulong Steps;

        public SimMachine(int cpus, ulong slice, bool startCpus = true)
        {
            P = new SimPlatform(cpus);
            S = Scheduler.Create(P, cpus, slice);
            P.Sched = S;
            if (startCpus)
                for (int i = 0; i < cpus; i++) StartCpu(i);
        }

        public void StartCpu(int cpu)
        {
            P.Cpu = cpu;
            S.StartCpu();
        }

        public CpuSched Cpu(int i) => S.Cpu(i);
        public KThread Current(int cpu) => S.Cpu(cpu).Current;

        public KThread Spawn(string name, ulong affinity = 0, ThreadFlags flags = ThreadFlags.None, bool start = true, int fromCpu = 0)
        {
            KThread t = S.CreateThread(name, null, 0x20_0000, 0x4000, affinity, flags);
            if (start) OnCpu(fromCpu, () => S.Start(t));
            return t;
        }

        /// <summary>
        /// Runs an action as code executing on a CPU: its current thread, or, when that is the idle
        /// thread, an interrupt handler (whose exit runs the safe point, ending a halt).
        /// </summary>
        public void OnCpu(int cpu, System.Action action)
        {
            P.Cpu = cpu;
            KThread cur = S.Cpu(cpu).Current;
            if (cur.IsIdle) P.IrqEnabled[cpu] = false; // interrupt gate
            action();
            if (cur.State == ThreadState.Dead) P.IrqEnabled[cpu] = true; // Exit does not return on hardware
            if (cur.IsIdle) InterruptExit(cpu);
            CheckCpu(cpu);
        }

        /// <summary>A device interrupt on a CPU whose handler wakes a thread.</summary>
        public void InterruptWake(int cpu, KThread t)
        {
            P.Cpu = cpu;
            P.IrqEnabled[cpu] = false;
            S.Wake(t);
            InterruptExit(cpu);
            CheckCpu(cpu);
        }

        private void InterruptExit(int cpu)
        {
            P.Halted[cpu] = false;
            P.IrqEnabled[cpu] = false;
            S.PreemptPoint();
            P.IrqEnabled[cpu] = true; // iretq
        }

        public void Step()
        {
            P.Time++;
            Steps++;
            for (int cpu = 0; cpu < P.CpuCount; cpu++) StepCpu(cpu);
        }

        public void Run(int steps)
        {
            for (int i = 0; i < steps; i++) Step();
        }

        public void StepCpu(int cpu)
        {
            P.Cpu = cpu;
            bool interrupted = false;
            if (P.IpiPending[cpu])
            {
                P.IpiPending[cpu] = false;
                interrupted = true;
            }
            if (P.OneShot[cpu] <= P.Time)
            {
                P.OneShot[cpu] = ulong.MaxValue; // one-shot: it fired
                P.IrqEnabled[cpu] = false;       // interrupt gate
                S.Tick(cpu, P.Time);
                P.IrqEnabled[cpu] = true;
                interrupted = true;
            }
            if (interrupted) InterruptExit(cpu);
            CheckCpu(cpu);
            if (P.Halted[cpu]) return;
            KThread cur = S.Cpu(cpu).Current;
            if (cur.IsIdle) S.IdleOnce();
            else if (Behavior != null) Behavior.Act(this, cpu, cur);
            if (cur.State == ThreadState.Dead) P.IrqEnabled[cpu] = true;
            CheckCpu(cpu);
        }

        private void CheckCpu(int cpu)
        {
            for (int i = 0; i < P.CpuCount; i++)
                if (S.Cpu(i).LockHeld) P.Violation("CPU lock held between steps");
            if (!P.IrqEnabled[cpu]) P.Violation("interrupts left off");
        }
    }
}
