using System.Collections.Generic;
using Hv.Sched;
using Xunit;

namespace Hv.Tests.Unit.Sched
{
    /// <summary>Several CPUs: wake placement and IPIs, stealing, vCPU preemption, CPU start-up.</summary>
    public class SchedulerSmpTests
    {
        /// <summary>A thread that ran on CPU 1 and blocked there; CPU 1 is halted afterwards.</summary>
        private static KThread BlockedOnCpu1(SimMachine m, string name)
        {
            KThread t = m.Spawn(name, affinity: 0b10);
            m.Run(2);
            Assert.Same(t, m.Current(1));
            m.OnCpu(1, () => m.S.Block());
            m.Run(2);
            Assert.True(m.P.Halted[1]);
            return t;
        }

        [Fact]
        public void CrossCpuWake_OfAnIdleCpu_SendsExactlyOneIpi()
        {
            var m = new SimMachine(2, 10);
            KThread t = BlockedOnCpu1(m, "t");
            KThread u = BlockedOnCpu1(m, "u");
            KThread busy = m.Spawn("busy", affinity: 0b01);
            m.Run(2);
            Assert.Same(busy, m.Current(0));
            int before = m.P.IpiCount;
            m.OnCpu(0, () => Assert.True(m.S.Wake(t)));
            m.OnCpu(0, () => Assert.True(m.S.Wake(u))); // before CPU 1 took the IPI: coalesced
            Assert.Equal(before + 1, m.P.IpiCount);
            Assert.Equal(2, m.Cpu(1).Queue.Count);
            m.Step();
            Assert.Same(t, m.Current(1));
            Assert.Equal(ThreadState.Runnable, u.State);
            Assert.Equal(1, t.Cpu);
            Assert.Equal(before + 1, m.P.IpiCount);
            Assert.Equal(0, m.P.Violations);
        }

        [Fact]
        public void WakeOnTheWakersOwnCpu_NeedsNoIpi_AndBusyRemoteCpusAreNotInterrupted()
        {
            var m = new SimMachine(2, 10);
            KThread a = m.Spawn("a", affinity: 0b01), b = m.Spawn("b", affinity: 0b10);
            KThread c = m.Spawn("c", affinity: 0b10);
            m.Run(2);
            int ipis = m.P.IpiCount;
            m.OnCpu(1, () => m.S.Block()); // b blocks, c runs on CPU 1
            Assert.Same(c, m.Current(1));
            m.OnCpu(0, () => m.S.Wake(b));   // CPU 1 busy: queued, no IPI, runs at c's slice end
            Assert.Equal(ipis, m.P.IpiCount);
            Assert.Equal(1, m.Cpu(1).Queue.Count);
            m.OnCpu(1, () => m.S.Block());   // c blocks on CPU 1: b runs
            m.OnCpu(1, () => m.S.Wake(c));   // own CPU, busy: queued, no IPI
            Assert.Equal(ipis, m.P.IpiCount);
            m.Run(10);
            Assert.Same(c, m.Current(1));
            Assert.Same(a, m.Current(0));
            Assert.Equal(0, m.P.Violations);
        }

        [Fact]
        public void WakePrefersAnIdleAllowedCpu_ThenTheLastCpu()
        {
            var m = new SimMachine(3, 10);
            KThread t = m.Spawn("t", affinity: 0b010);
            m.Run(2);
            Assert.Same(t, m.Current(1));
            m.OnCpu(1, () => m.S.Block());
            Assert.True(m.S.SetAffinity(t, 0b011));
            KThread hog1 = m.Spawn("hog1", affinity: 0b010);
            m.Run(2);
            Assert.Same(hog1, m.Current(1));
            int ipis = m.P.IpiCount;
            m.OnCpu(2, () => m.S.Wake(t));   // last CPU busy, CPU 0 idle and allowed
            Assert.Equal(0, t.Cpu);
            Assert.Equal(ipis + 1, m.P.IpiCount);
            Assert.Equal(1, m.P.IpisTo[0]);
            m.Run(2);
            Assert.Same(t, m.Current(0));
            m.OnCpu(0, () => m.S.Block());
            KThread hog0 = m.Spawn("hog0", affinity: 0b001);
            m.Run(2);
            Assert.Same(hog0, m.Current(0));
            m.OnCpu(2, () => m.S.Wake(t));   // no allowed CPU idle: its last CPU's queue, no IPI
            Assert.Equal(0, t.Cpu);
            Assert.Equal(ThreadState.Runnable, t.State);
            Assert.Equal(ipis + 1, m.P.IpiCount);
            Assert.Equal(0, m.P.Violations);
        }

        [Fact]
        public void IdleCpu_StealsOnlyThreadsItsAffinityAllows()
        {
            var m = new SimMachine(2, 1000, startCpus: false);
            m.StartCpu(0);
            KThread runner = m.Spawn("runner", affinity: 0b01);
            KThread p1 = m.Spawn("pinned0", affinity: 0b01);
            KThread free = m.Spawn("free");
            KThread p2 = m.Spawn("pinned0b", affinity: 0b01);
            Assert.Equal(0, free.Cpu); // CPU 1 was not online
            m.StartCpu(1);
            KThread worker = m.Spawn("worker", affinity: 0b10);
            m.Run(2);
            Assert.Same(runner, m.Current(0));
            Assert.Same(worker, m.Current(1));
            m.OnCpu(1, () => m.S.Block());     // CPU 1 would idle: takes the one thread it may run
            Assert.Same(free, m.Current(1));
            Assert.Equal(1ul, m.Cpu(1).Steals);
            Assert.Equal(1ul, free.Migrations);
            m.OnCpu(1, () => m.S.Block());     // nothing it may take: idle, pinned threads stay
            Assert.True(m.Current(1).IsIdle);
            m.Run(50);
            Assert.True(m.Current(1).IsIdle);
            Assert.True(m.P.Halted[1]);
            Assert.Equal(0, p1.Cpu);
            Assert.Equal(0, p2.Cpu);
            Assert.Equal(2, m.Cpu(0).Queue.Count);
            Assert.Equal(1ul, m.Cpu(1).Steals);
            Assert.Equal(0, m.P.Violations);
        }

        [Fact]
        public void VcpuThread_PollsPreemptRequested_AtItsSwitchOutPoint()
        {
            var m = new SimMachine(2, 10);
            KThread vcpu = m.Spawn("vcpu0", affinity: 0b10, flags: ThreadFlags.Vcpu);
            m.Run(2);
            Assert.Same(vcpu, m.Current(1));
            Assert.False(vcpu.PreemptRequested);
            int ipis = m.P.IpiCount;
            m.OnCpu(0, () => m.S.RequestPreempt(1)); // "in guest mode" on CPU 1: the IPI forces a VM exit
            m.OnCpu(0, () => m.S.RequestPreempt(1));
            Assert.Equal(ipis + 1, m.P.IpiCount);
            Assert.True(vcpu.PreemptRequested);
            m.OnCpu(1, () => m.S.PreemptPoint());   // the run loop before VMRUN/VMRESUME
            Assert.Same(vcpu, m.Current(1));        // nothing else to run: re-picked, request cleared
            Assert.False(vcpu.PreemptRequested);
            m.P.IpiPending[1] = false;       // consumed by that VM exit
            KThread other = m.Spawn("other", affinity: 0b10);
            Assert.Equal(ipis + 1, m.P.IpiCount); // busy CPU: queued without an IPI
            m.P.Time = m.Cpu(1).SliceEnd;    // the one-shot exits the guest at the slice end
            m.OnCpu(1, () => Assert.True(m.S.Tick(1, m.P.Time)));
            Assert.True(vcpu.PreemptRequested);
            Assert.Same(vcpu, m.Current(1));
            m.OnCpu(1, () => m.S.PreemptPoint()); // the run loop polls the flag before re-entry
            Assert.Same(other, m.Current(1));
            Assert.Equal(ThreadState.Runnable, vcpu.State);
            Assert.Equal(0, m.P.Violations);
        }

        [Fact]
        public void OfflineCpus_GetNoThreads_UntilStarted()
        {
            var m = new SimMachine(2, 10, startCpus: false);
            m.StartCpu(0);
            KThread a = m.Spawn("a"), b = m.Spawn("b");
            KThread pinned = m.Spawn("pinned1", affinity: 0b10);
            Assert.Equal(0, a.Cpu);
            Assert.Equal(0, b.Cpu);
            Assert.Equal(1, pinned.Cpu); // parked on its only CPU
            Assert.Equal(0, m.P.IpisTo[1]);
            m.StartCpu(1);
            m.Run(3);
            Assert.Same(pinned, m.Current(1));
            Assert.Equal(0, m.P.Violations);
        }

        [Fact]
        public void SetAffinity_OnlyForWaitingThreads_TakesEffectAtTheNextWake()
        {
            var m = new SimMachine(2, 10);
            KThread t = m.Spawn("t", affinity: 0b01);
            m.Run(2);
            Assert.False(m.S.SetAffinity(t, 0b10)); // running
            Assert.False(m.S.SetAffinity(t, 0b100)); // no such CPU
            m.OnCpu(0, () => m.S.Block());
            Assert.True(m.S.SetAffinity(t, 0b10));
            m.OnCpu(0, () => m.S.Wake(t));
            Assert.Equal(1, t.Cpu);
            Assert.Equal(1ul, t.Migrations);
            m.Run(2);
            Assert.Same(t, m.Current(1));
            Assert.Equal(0, m.P.Violations);
        }
    }
}
