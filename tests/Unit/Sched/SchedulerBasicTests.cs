using System.Collections.Generic;
using Hv.Sched;
using Xunit;

namespace Hv.Tests.Unit.Sched
{
    /// <summary>One CPU: round robin, slices, yield, idle, exit.</summary>
    public class SchedulerBasicTests
    {
        [Fact]
        public void RoundRobin_FourComputeThreads_OneCpu_GetEqualTimeInCyclicOrder()
        {
            var m = new SimMachine(1, 10);
            m.P.Log = new List<SwitchRecord>();
            var t = new KThread[4];
            for (int i = 0; i < 4; i++) t[i] = m.Spawn("rr" + i);
            m.Run(4000);

            Assert.Equal(0, m.P.Violations);
            foreach (KThread x in t) Assert.InRange(x.RunTicks, 990ul, 1010ul);
            // After the first switch from idle the order is t0 t1 t2 t3 t0 ... and each switch is one slice apart.
            List<SwitchRecord> log = m.P.Log;
            Assert.InRange(log.Count, 395, 401);
            for (int i = 1; i < log.Count; i++)
            {
                Assert.Equal(t[(i - 1) % 4].Id, log[i].From);
                Assert.Equal(t[i % 4].Id, log[i].To);
                Assert.Equal(10ul, log[i].Time - log[i - 1].Time);
            }
        }

        [Fact]
        public void Preemption_HappensWhenTheSliceEnds_NotBefore()
        {
            var m = new SimMachine(1, 7);
            m.P.Log = new List<SwitchRecord>();
            KThread a = m.Spawn("a"); // started by an interrupt handler on the idle CPU: runs at once
            Assert.Same(a, m.Current(0));
            ulong start = m.P.Time;
            Assert.Equal(start + 7, m.P.OneShot[0]);
            KThread b = m.Spawn("b");
            while (m.P.Time < start + 6) { m.Step(); Assert.Same(a, m.Current(0)); }
            m.Step();
            Assert.Same(b, m.Current(0));
            Assert.Equal(start + 7, m.P.Log[m.P.Log.Count - 1].Time);
            Assert.Equal(1ul, m.Cpu(0).SlicesExpired);
        }

        [Fact]
        public void LoneThread_KeepsTheCpu_SliceIsRenewedWithoutSwitching()
        {
            var m = new SimMachine(1, 5);
            KThread a = m.Spawn("a");
            m.Run(100);
            Assert.Same(a, m.Current(0));
            Assert.Equal(1ul, a.Switches);
            Assert.Equal(0ul, m.Cpu(0).SlicesExpired);
            Assert.True(m.P.ProgramCount >= 19); // re-armed every slice to look for new work
            Assert.Equal(0, m.P.Violations);
        }

        [Fact]
        public void Yield_GoesToTheTail()
        {
            var m = new SimMachine(1, 1000);
            KThread a = m.Spawn("a"), b = m.Spawn("b"), c = m.Spawn("c");
            m.Step();
            Assert.Same(a, m.Current(0));
            m.OnCpu(0, () => m.S.Yield());
            Assert.Same(b, m.Current(0));
            m.OnCpu(0, () => m.S.Yield());
            Assert.Same(c, m.Current(0));
            m.OnCpu(0, () => m.S.Yield());
            Assert.Same(a, m.Current(0));
            Assert.Equal(ThreadState.Runnable, b.State);
            Assert.Equal(0, m.P.Violations);
        }

        [Fact]
        public void NothingRunnable_CpuHaltsInIdle_WithTheOneShotDisarmed()
        {
            var m = new SimMachine(1, 10);
            m.Run(50);
            Assert.True(m.Current(0).IsIdle);
            Assert.True(m.P.Halted[0]);
            Assert.Equal(1, m.P.HaltCalls[0]); // halted once, nothing woke it
            Assert.Equal(ulong.MaxValue, m.P.OneShot[0]);
            KThread a = m.Spawn("a");          // woken by an interrupt handler on this CPU:
            Assert.Equal(0, m.P.IpiCount);     // no IPI, the interrupt exit switches
            Assert.Same(a, m.Current(0));
            Assert.False(m.P.Halted[0]);
            m.OnCpu(0, () => m.S.Exit());
            Assert.Equal(ThreadState.Dead, a.State);
            Assert.True(m.Current(0).IsIdle);
            m.Run(20);
            Assert.Equal(2, m.P.HaltCalls[0]);
            Assert.Equal(0, m.P.Violations);
        }

        [Fact]
        public void DeadThread_IsNeverScheduledAgain_AndCannotBeWoken()
        {
            var m = new SimMachine(1, 3);
            KThread a = m.Spawn("a"), b = m.Spawn("b");
            m.Step();
            m.OnCpu(0, () => m.S.Exit());
            ulong switchesAtExit = a.Switches;
            Assert.False(m.S.Wake(a));
            m.Run(200);
            Assert.Equal(switchesAtExit, a.Switches);
            Assert.Same(b, m.Current(0));
            Assert.Equal(0, m.P.Violations);
        }

        [Fact]
        public void Create_RejectsBadConfiguration()
        {
            var p = new SimPlatform(1);
            Assert.Null(Scheduler.Create(p, 0, 10));
            Assert.Null(Scheduler.Create(p, 65, 10));
            Assert.Null(Scheduler.Create(p, 1, 0));
            var m = new SimMachine(2, 10);
            Assert.Null(m.S.CreateThread("x", null, 0, 0, 1ul << 2, ThreadFlags.None));
            KThread t = m.S.CreateThread("y", null, 0, 0, 0, ThreadFlags.Idle | ThreadFlags.Vcpu);
            Assert.False(t.IsIdle);
            Assert.True(t.IsVcpu);
            Assert.Equal(ThreadState.Blocked, t.State);
            Assert.Equal(KThread.NoCpu, t.Cpu);
            Assert.NotEqual(0ul, t.SavedContext);
        }
    }
}
