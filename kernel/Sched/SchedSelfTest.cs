// The scheduler's logic inside the image: a replay of its main paths on a scripted two-CPU
// platform (no hardware touched), so that what the host tests check is also checked under ilc
// and our corelib. Returns null on success, else what failed. Runs on the host too
// (tests/Unit/Sched/SchedSelfTestOnHostTests.cs). Hook: SelfTests.Report("sched", SchedSelfTest.Run()).
namespace Hv.Sched
{
    public static class SchedSelfTest
    {
        /// <summary>Two scripted CPUs: a counter clock, recorded IPIs, one-shots, switches and halts.</summary>
        private sealed class ReplayPlatform : ISchedPlatform
        {
            public int Cpu;
            public ulong Time;
            public int Ipis, Switches, Halts;
            public readonly bool[] Irq = { true, true };
            public readonly bool[] IpiPending = new bool[2];
            public readonly ulong[] OneShot = { ulong.MaxValue, ulong.MaxValue };
            public string Error;

            public int CurrentCpu => Cpu;
            public ulong Now() => Time;
            public void SendRescheduleIpi(int cpu) { Ipis++; IpiPending[cpu] = true; if (cpu == Cpu) Error = "IPI to self"; }
            public void ProgramOneShot(int cpu, ulong deadline) { OneShot[cpu] = deadline; if (cpu != Cpu) Error = "remote one-shot"; }
            public void SwitchTo(KThread from, KThread to) { Switches++; if (Irq[Cpu] || !to.AllowedOn(Cpu)) Error = "bad switch"; }
            public void Idle() { Halts++; Irq[Cpu] = true; }
            public bool DisableInterrupts() { bool was = Irq[Cpu]; Irq[Cpu] = false; return was; }
            public void RestoreInterrupts(bool enabled) { if (enabled) Irq[Cpu] = true; }
            public void InitContext(KThread thread) { thread.SavedContext = 0x1000; }
        }

        private sealed class Counter : ITimerCallback
        {
            public int Fired;
            public void OnTimer(OneShotTimer timer, ulong now) { Fired++; }
        }

        private static ReplayPlatform s_p;
        private static Scheduler s_s;

        public static string Run()
        {
            s_p = new ReplayPlatform();
            s_s = Scheduler.Create(s_p, 2, 4);
            if (s_s == null) return "create";
            for (int i = 0; i < 2; i++) { s_p.Cpu = i; s_s.StartCpu(); }

            // Round robin: three threads pinned to CPU 0 share it equally.
            var rr = new KThread[3];
            for (int i = 0; i < 3; i++) rr[i] = Spawn("rr", 0b01);
            Steps(120);
            for (int i = 0; i < 3; i++)
                if (rr[i].RunTicks < 36 || rr[i].RunTicks > 44) return "round robin share " + rr[i].RunTicks.ToString();
            if (s_s.Cpu(1).Current.IsIdle == false || s_p.Halts == 0) return "CPU 1 should halt in idle";

            // Sleep on CPU 1 wakes at its deadline; a cross-CPU wake sends exactly one IPI.
            KThread sleeper = Spawn("sleeper", 0b10);
            Steps(1);
            if (s_s.Cpu(1).Current != sleeper) return "sleeper not running on CPU 1";
            s_p.Cpu = 1;
            s_s.Sleep(s_p.Time + 10);
            ulong deadline = sleeper.WakeDeadline;
            while (s_p.Time < deadline && s_s.Cpu(1).Current != sleeper) Steps(1);
            if (s_s.Cpu(1).Current != sleeper || s_p.Time != deadline) return "sleep did not end at its deadline";
            s_s.Block();
            Steps(2);
            int ipis = s_p.Ipis;
            s_p.Cpu = 0;
            s_s.Wake(sleeper);
            if (s_p.Ipis != ipis + 1) return "cross-CPU wake: IPIs " + (s_p.Ipis - ipis).ToString();
            Steps(1);
            if (s_s.Cpu(1).Current != sleeper) return "woken thread not running on CPU 1";

            // A new unpinned thread goes to the shortest queue; exit switches to it.
            KThread free = s_s.CreateThread("free", null, 0, 0, 0, ThreadFlags.None);
            s_p.Cpu = 1;
            s_s.Start(free); // CPU 1 busy, CPU 0 busy: placed on the shortest queue (CPU 1)
            s_s.Exit();      // the sleeper exits; free runs on CPU 1
            if (s_s.Cpu(1).Current != free || sleeper.State != ThreadState.Dead) return "exit did not switch";
            s_p.Irq[1] = true;

            // The timer service fires a callback once.
            var counter = new Counter();
            var timer = new OneShotTimer(counter);
            s_p.Cpu = 0;
            s_s.ArmTimer(timer, s_p.Time + 3);
            Steps(5);
            if (counter.Fired != 1) return "timer fired " + counter.Fired.ToString() + " times";

            // Counters add up: every accounted tick belongs to exactly one thread.
            ulong threads = sleeper.RunTicks + free.RunTicks, cpus = 0;
            for (int i = 0; i < 3; i++) threads += rr[i].RunTicks;
            for (int i = 0; i < 2; i++)
            {
                CpuSched c = s_s.Cpu(i);
                threads += c.IdleThread.RunTicks;
                cpus += c.AccountedUntil - c.OnlineSince;
            }
            if (threads != cpus) return "run ticks " + threads.ToString() + " != CPU ticks " + cpus.ToString();
            return s_p.Error;
        }

        private static KThread Spawn(string name, ulong affinity)
        {
            KThread t = s_s.CreateThread(name, null, 0, 0, affinity, ThreadFlags.None);
            s_p.Cpu = 0;
            s_s.Start(t);
            return t;
        }

        /// <summary>Per tick and CPU: deliver an IPI or an expired one-shot, then the safe point or idle.</summary>
        private static void Steps(int n)
        {
            for (int k = 0; k < n; k++)
            {
                s_p.Time++;
                for (int cpu = 0; cpu < 2; cpu++)
                {
                    s_p.Cpu = cpu;
                    if (s_p.OneShot[cpu] <= s_p.Time)
                    {
                        s_p.OneShot[cpu] = ulong.MaxValue;
                        s_s.Tick(cpu, s_p.Time);
                    }
                    s_p.IpiPending[cpu] = false;
                    s_s.PreemptPoint();
                    if (s_s.Cpu(cpu).Current.IsIdle) s_s.IdleOnce();
                }
            }
        }
    }
}
