using System.Collections.Generic;
using Hv.Sched;
using Xunit;

namespace Hv.Tests.Unit.Sched
{
    /// <summary>Sleep and wake: deadline order, early wakes, blocking without lost wake-ups, the timer service.</summary>
    public class SchedulerSleepWakeTests
    {
        /// <summary>Makes t the current thread of CPU 0 by yielding until it is.</summary>
        private static void RunUntilCurrent(SimMachine m, KThread t)
        {
            for (int i = 0; i < 100 && m.Current(0) != t; i++)
            {
                if (m.Current(0).IsIdle) m.Step();
                else m.OnCpu(0, () => m.S.Yield());
            }
            Assert.Same(t, m.Current(0));
        }

        [Fact]
        public void Sleepers_WakeInDeadlineOrder_NeverEarly()
        {
            var m = new SimMachine(1, 100);
            m.P.Log = new List<SwitchRecord>();
            KThread a = m.Spawn("a"), b = m.Spawn("b"), c = m.Spawn("c");
            ulong[] until = { 30, 10, 20 };
            KThread[] order = { a, b, c };
            for (int i = 0; i < 3; i++)
            {
                RunUntilCurrent(m, order[i]);
                int k = i;
                m.OnCpu(0, () => m.S.Sleep(until[k]));
                Assert.Equal(ThreadState.Sleeping, order[i].State);
                Assert.Equal(until[i], order[i].WakeDeadline);
            }
            Assert.True(m.Current(0).IsIdle);
            Assert.Equal(10ul, m.P.OneShot[0]); // the earliest deadline is programmed
            int logStart = m.P.Log.Count;
            var woken = new List<int>();
            for (int step = 0; step < 40; step++)
            {
                m.Step();
                KThread cur = m.Current(0);
                if (!cur.IsIdle)
                {
                    Assert.True(m.P.Time >= cur.WakeDeadline);
                    woken.Add(cur.Id);
                    m.OnCpu(0, () => m.S.Block());
                }
            }
            Assert.Equal(new[] { b.Id, c.Id, a.Id }, woken.ToArray());
            Assert.Equal(10ul, m.P.Log[logStart].Time);
            Assert.Equal(3ul, m.Cpu(0).TimersFired);
            Assert.Equal(0, m.P.Violations);
        }

        [Fact]
        public void EqualDeadlines_WakeFifo()
        {
            var m = new SimMachine(1, 100);
            var t = new KThread[4];
            for (int i = 0; i < 4; i++) t[i] = m.Spawn("s" + i);
            var woken = new List<KThread>();
            for (int i = 0; i < 4; i++)
            {
                RunUntilCurrent(m, t[i]);
                m.OnCpu(0, () => m.S.Sleep(50));
            }
            while (woken.Count < 4 && m.P.Time < 100)
            {
                m.Step();
                if (!m.Current(0).IsIdle) { woken.Add(m.Current(0)); m.OnCpu(0, () => m.S.Block()); }
            }
            Assert.Equal(t, woken.ToArray());
        }

        [Fact]
        public void EarlyWake_CancelsTheSleepTimer_AndAStaleExpiryDoesNotWakeALaterSleep()
        {
            var m = new SimMachine(1, 100);
            KThread a = m.Spawn("a");
            RunUntilCurrent(m, a);
            m.OnCpu(0, () => m.S.Sleep(20));
            Assert.True(m.S.Wake(a));
            Assert.Equal(0, m.Cpu(0).Timers.Count);
            Assert.False(m.S.Wake(a)); // already runnable
            RunUntilCurrent(m, a);
            m.OnCpu(0, () => m.S.Sleep(m.P.Time + 50));
            ulong deadline = a.WakeDeadline;
            while (m.P.Time < deadline - 1) { m.Step(); Assert.Equal(ThreadState.Sleeping, a.State); }
            m.Step();
            Assert.Same(a, m.Current(0));
            Assert.Equal(3ul, a.Wakeups); // start, early wake, timer
        }

        [Fact]
        public void SleepInThePast_ReturnsAtOnce()
        {
            var m = new SimMachine(1, 100);
            KThread a = m.Spawn("a");
            RunUntilCurrent(m, a);
            m.OnCpu(0, () => m.S.Sleep(m.P.Time));
            Assert.Same(a, m.Current(0));
            Assert.Equal(ThreadState.Running, a.State);
        }

        [Fact]
        public void WakeBetweenPrepareAndCommit_IsNotLost()
        {
            var m = new SimMachine(2, 100);
            KThread a = m.Spawn("a", affinity: 1);
            RunUntilCurrent(m, a);
            m.OnCpu(0, () => m.S.PrepareBlock());
            Assert.Equal(ThreadState.Blocked, a.State);
            m.OnCpu(1, () => Assert.True(m.S.Unblock(a))); // the waker runs on the other CPU
            Assert.Equal(ThreadState.Running, a.State);
            Assert.Equal(0, m.P.IpiCount);
            m.OnCpu(0, () => m.S.CommitBlock());
            Assert.Same(a, m.Current(0));
            m.OnCpu(0, () => m.S.PrepareBlock());
            m.OnCpu(0, () => m.S.CancelBlock());
            Assert.Equal(ThreadState.Running, a.State);
            m.OnCpu(0, () => m.S.PrepareBlock());
            m.OnCpu(0, () => m.S.CommitBlock());
            Assert.True(m.Current(0).IsIdle);
            Assert.Equal(ThreadState.Blocked, a.State);
            Assert.Equal(0, m.P.Violations);
        }

        [Fact]
        public void PreemptedWhilePreparedToBlock_StaysRunnable()
        {
            var m = new SimMachine(1, 5);
            KThread a = m.Spawn("a"), b = m.Spawn("b");
            RunUntilCurrent(m, a);
            m.OnCpu(0, () => m.S.PrepareBlock());
            while (m.Current(0) == a) m.Step(); // slice ends: preempted, not blocked
            Assert.Same(b, m.Current(0));
            Assert.Equal(ThreadState.Runnable, a.State);
            m.Run(5);
            Assert.Same(a, m.Current(0));
            m.OnCpu(0, () => m.S.CommitBlock()); // spurious wake-up: returns at once
            Assert.Same(a, m.Current(0));
        }

        private sealed class Recorder : ITimerCallback
        {
            public readonly List<ulong> Fired = new List<ulong>();
            public int Cpu = -1;
            public SimPlatform P;
            public void OnTimer(OneShotTimer timer, ulong now) { Fired.Add(now); Cpu = P.Cpu; }
        }

        [Fact]
        public void TimerService_FiresOnItsCpuAtTheDeadline_CancelAndRearm()
        {
            var m = new SimMachine(2, 100);
            var r = new Recorder { P = m.P };
            var t1 = new OneShotTimer(r);
            var t2 = new OneShotTimer(r);
            m.OnCpu(1, () => m.S.ArmTimer(t1, 15));
            m.OnCpu(1, () => m.S.ArmTimer(t2, 12));
            Assert.Equal(12ul, m.P.OneShot[1]);
            m.OnCpu(0, () => Assert.True(m.S.CancelTimer(t2)));  // cancel from another CPU
            m.OnCpu(0, () => Assert.False(m.S.CancelTimer(t2)));
            m.Run(20);
            Assert.Equal(new ulong[] { 15 }, r.Fired.ToArray());
            Assert.Equal(1, r.Cpu);
            m.OnCpu(1, () => m.S.ArmTimer(t1, 40));
            m.OnCpu(0, () => m.S.ArmTimer(t1, 30)); // re-arming moves it to CPU 0
            Assert.Equal(0, m.Cpu(1).Timers.Count);
            m.Run(20);
            Assert.Equal(new ulong[] { 15, 30 }, r.Fired.ToArray());
            Assert.Equal(0, r.Cpu);
            Assert.Equal(0, m.P.Violations);
        }
    }
}
