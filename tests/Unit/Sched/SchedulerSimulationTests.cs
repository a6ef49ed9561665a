using System;
using System.Collections.Generic;
using Hv.Sched;
using Xunit;

namespace Hv.Tests.Unit.Sched
{
    /// <summary>
    /// Long randomized runs (fixed seeds) on 4 CPUs with pinned threads and vCPUs: affinity is never
    /// broken, no thread runs on two CPUs, nobody starves, every switch honours the contract, and
    /// the counters add up. Also: the scheduling paths allocate nothing.
    /// </summary>
    [Collection(Hv.Tests.Unit.AllocationMeasuringCollection.Name)]
    public class SchedulerSimulationTests
    {
        /// <summary>Tiny xorshift: deterministic and allocation-free.</summary>
        private sealed class Rng
        {
            private ulong _s;
            public Rng(ulong seed) { _s = seed | 1; }
            public int Next(int n)
            {
                _s ^= _s << 13; _s ^= _s >> 7; _s ^= _s << 17;
                return (int)(_s % (ulong)n);
            }
        }

        /// <summary>Computes, yields, sleeps, blocks, wakes blocked threads, asks remote CPUs to preempt.</summary>
        private sealed class RandomWorkload : ISimBehavior
        {
            public readonly Rng R;
            public readonly KThread[] Threads;
            public RandomWorkload(ulong seed, KThread[] threads) { R = new Rng(seed); Threads = threads; }

            public void Act(SimMachine m, int cpu, KThread self)
            {
                int roll = R.Next(100);
                if (roll < 60) return; // compute
                if (roll < 68) m.S.Yield();
                else if (roll < 78) m.S.Sleep(m.P.Time + 1 + (ulong)R.Next(40));
                else if (roll < 84) m.S.Block();
                else if (roll < 86) { m.S.PrepareBlock(); if (R.Next(2) == 0) m.S.CancelBlock(); else m.S.CommitBlock(); }
                else if (roll < 97) m.S.Wake(Threads[R.Next(Threads.Length)]);
                else m.S.RequestPreempt(R.Next(m.P.CpuCount));
            }
        }

        /// <summary>Per-step checks: affinity of every current thread and a starvation bound.</summary>
        private static void RunChecked(SimMachine m, RandomWorkload w, int steps, ulong starveBound, ulong[] waitStart)
        {
            for (int s = 0; s < steps; s++)
            {
                m.Step();
                // An "interrupt" on a random CPU wakes a random thread, so blocked threads come back.
                if (w.R.Next(4) == 0) m.InterruptWake(w.R.Next(m.P.CpuCount), w.Threads[w.R.Next(w.Threads.Length)]);
                for (int c = 0; c < m.P.CpuCount; c++)
                    Assert.True(m.Current(c).AllowedOn(c), "affinity broken on CPU " + c);
                foreach (KThread t in w.Threads)
                {
                    if (t.State != ThreadState.Runnable) { waitStart[t.Id] = 0; continue; }
                    if (waitStart[t.Id] == 0) waitStart[t.Id] = m.P.Time;
                    Assert.True(m.P.Time - waitStart[t.Id] <= starveBound, t.Name + " starved");
                }
            }
        }

        private static KThread[] Population(SimMachine m)
        {
            var list = new List<KThread>();
            for (int i = 0; i < 8; i++) list.Add(m.Spawn("free" + i, fromCpu: i % 4));
            list.Add(m.Spawn("pin0", affinity: 0b0001));
            list.Add(m.Spawn("pin2", affinity: 0b0100));
            list.Add(m.Spawn("pair13", affinity: 0b1010));
            list.Add(m.Spawn("vcpu3", affinity: 0b1000, flags: ThreadFlags.Vcpu));
            list.Add(m.Spawn("vcpu0", affinity: 0b0001, flags: ThreadFlags.Vcpu, fromCpu: 2));
            return list.ToArray();
        }

        [Theory]
        [InlineData(1ul)]
        [InlineData(0xC0FFEEul)]
        [InlineData(20260101ul)]
        public void RandomizedFourCpus_AffinityHolds_NoStarvation_CountersAddUp(ulong seed)
        {
            var m = new SimMachine(4, 8);
            m.P.Log = new List<SwitchRecord>();
            KThread[] threads = Population(m);
            var w = new RandomWorkload(seed, threads);
            m.Behavior = w;
            RunChecked(m, w, 20_000, 8 * 13 * 4, new ulong[64]);

            Assert.True(m.P.Violations == 0, m.P.FirstViolation);
            foreach (SwitchRecord r in m.P.Log)
            {
                KThread to = Array.Find(threads, t => t.Id == r.To);
                if (to != null) Assert.True(to.AllowedOn(r.Cpu), to.Name + " ran on CPU " + r.Cpu);
            }
            ulong threadTicks = 0, threadSwitches = 0, cpuTicks = 0, cpuSwitches = 0, steals = 0, migrations = 0;
            foreach (KThread t in threads)
            {
                threadTicks += t.RunTicks;
                threadSwitches += t.Switches;
                migrations += t.Migrations;
                Assert.True(t.RunTicks > 0, t.Name + " never ran");
            }
            for (int c = 0; c < 4; c++)
            {
                CpuSched cs = m.Cpu(c);
                Assert.Equal(cs.IdleThread.RunTicks, cs.IdleTicks);
                threadTicks += cs.IdleThread.RunTicks;
                threadSwitches += cs.IdleThread.Switches;
                cpuTicks += cs.AccountedUntil - cs.OnlineSince;
                cpuSwitches += cs.Switches;
                steals += cs.Steals;
                Assert.InRange(cs.AccountedUntil, m.P.Time - 8, m.P.Time); // charged at least every slice
            }
            Assert.Equal(cpuTicks, threadTicks);
            Assert.Equal(cpuSwitches, threadSwitches);
            Assert.Equal((ulong)m.P.SwitchCount, cpuSwitches);
            Assert.True(steals > 0 && migrations >= steals);
        }

        [Fact]
        public void SchedulingPaths_DoNotAllocate()
        {
            var m = new SimMachine(4, 5);
            KThread[] threads = Population(m);
            var w = new RandomWorkload(7, threads);
            m.Behavior = w;
            var timer = new OneShotTimer(null);
            for (int i = 0; i < 2000; i++) m.Step(); // warm up (JIT, first-call paths)

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 20_000; i++)
            {
                m.Step();
                m.InterruptWake(i & 3, threads[w.R.Next(threads.Length)]);
                m.S.ArmTimer(timer, m.P.Time + 3);
                if ((i & 7) == 0) m.S.CancelTimer(timer);
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(0, allocated);
            Assert.True(m.P.Violations == 0, m.P.FirstViolation);
            Assert.True(m.P.SwitchCount > 1000);
        }
    }
}
