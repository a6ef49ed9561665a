using System.Collections.Generic;
using Hv.Sched;

namespace Hv.Tests.Unit.Sched
{
    /// <summary>One context switch as the simulated hardware saw it.</summary>
    public struct SwitchRecord
    {
        public int Cpu;
        public int From;
        public int To;
        public ulong Time;
    }

    /// <summary>
    /// A deterministic machine for the scheduler: a fake clock, per-CPU interrupt flag, halt state,
    /// pending reschedule IPI and programmed one-shot. SwitchTo only records (and checks the switch
    /// contract); the harness (SimMachine) decides which CPU "executes" by setting Cpu.
    /// Records into preallocated storage so that the allocation test can use it.
    /// </summary>
    public sealed class SimPlatform : ISchedPlatform
    {
        public int Cpu;
        public ulong Time;
        public Scheduler Sched;
        public readonly int CpuCount;
        public readonly bool[] IrqEnabled, Halted, IpiPending;
        public readonly int[] IpisTo, HaltCalls;
        public readonly ulong[] OneShot;
        public int IpiCount, ProgramCount, SwitchCount;
        public int Violations;
        public string FirstViolation;
        /// <summary>When not null, every switch is appended (tests that need the order).</summary>
        public List<SwitchRecord> Log;

        public SimPlatform(int cpus)
        {
            CpuCount = cpus;
            IrqEnabled = new bool[cpus];
            Halted = new bool[cpus];
            IpiPending = new bool[cpus];
            IpisTo = new int[cpus];
            HaltCalls = new int[cpus];
            OneShot = new ulong[cpus];
            for (int i = 0; i < cpus; i++)
            {
                IrqEnabled[i] = true;
                OneShot[i] = ulong.MaxValue;
            }
        }

        public int CurrentCpu => Cpu;
        public ulong Now() => Time;

        public void SendRescheduleIpi(int cpu)
        {
            if (cpu == Cpu) Violation("IPI to self");
            IpiCount++;
            IpisTo[cpu]++;
            IpiPending[cpu] = true;
        }

        public void ProgramOneShot(int cpu, ulong deadline)
        {
            if (cpu != Cpu) Violation("one-shot programmed for another CPU");
            ProgramCount++;
            OneShot[cpu] = deadline;
        }

        public void SwitchTo(KThread from, KThread to)
        {
            SwitchCount++;
            if (IrqEnabled[Cpu]) Violation("switch with interrupts on");
            if (Sched.Cpu(Cpu).Lock.Owner != Cpu) Violation("switch without the CPU lock");
            if (from == to) Violation("switch to self");
            if (!to.AllowedOn(Cpu)) Violation("affinity broken: thread " + to.Name + " on CPU " + Cpu);
            if (to.State != ThreadState.Running || to.Cpu != Cpu) Violation("switched-to thread not running here");
            if (from.State == ThreadState.Running) Violation("switched-from thread still Running");
            for (int i = 0; i < CpuCount; i++)
                if (i != Cpu && Sched.Cpu(i).Current == to) Violation("thread current on two CPUs");
            if (Log != null) Log.Add(new SwitchRecord { Cpu = Cpu, From = from.Id, To = to.Id, Time = Time });
        }

        public void Idle()
        {
            if (IrqEnabled[Cpu]) Violation("Idle entered with interrupts on (check-then-halt race)");
            IrqEnabled[Cpu] = true; // sti; hlt
            Halted[Cpu] = true;
            HaltCalls[Cpu]++;
        }

        public bool DisableInterrupts()
        {
            bool was = IrqEnabled[Cpu];
            IrqEnabled[Cpu] = false;
            return was;
        }

        public void RestoreInterrupts(bool enabled)
        {
            if (enabled) IrqEnabled[Cpu] = true;
        }

        public void InitContext(KThread thread) => thread.SavedContext = 0x10_0000ul + (ulong)thread.Id * 0x1000;

        public void Violation(string what)
        {
            if (Violations++ == 0) FirstViolation = what;
        }
    }
}
