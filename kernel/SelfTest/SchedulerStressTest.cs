// The scheduler on real CPUs (in the image): worker threads that spin (so the timer must preempt
// them), sleep and wake up, one pinned thread per CPU that checks where it runs, and a
// ping-pong pair that blocks and wakes each other. Counters are checked at the end.
// Uses only the scheduler's API, so it also compiles for the host; it runs in the image.
using Hv.Sched;

namespace Hv.SelfTest
{
    public sealed class SchedulerStressTest
    {
        private const int Rounds = 20;
        private const int PingPongs = 50;

        private readonly Scheduler _s;
        private readonly int _cpus;
        private readonly ulong _tick;     // clock ticks per millisecond
        private int _done;
        private int _threads;
        private int _pinnedViolations;
        private int _roundsDone;
        private ulong _cpusUsed;          // bit per CPU a worker ran on
        private int _pings, _pongs;
        private KThread _ping, _pong;
        private volatile int _pingTurn;   // 0: ping may go, 1: pong may go

        public SchedulerStressTest(Scheduler s, int cpus, ulong ticksPerMs) { _s = s; _cpus = cpus; _tick = ticksPerMs; }

        /// <summary>Null on success, else what failed. <paramref name="allocStack"/> gives a stack top for a size.</summary>
        public unsafe string Run(delegate*<ulong, ulong> allocStack, out string summary)
        {
            summary = null;
            int workers = 2 * _cpus;
            for (int i = 0; i < workers; i++) Spawn("worker" + i.ToString(), new Worker(this, i), 0, allocStack);
            for (int c = 0; c < _cpus; c++) Spawn("pinned" + c.ToString(), new Pinned(this, c), 1UL << c, allocStack);
            // Two CPU hogs on the same CPU, both runnable at once: only the timer can share the CPU.
            ulong last = 1UL << (_cpus - 1);
            Spawn("hog0", new Hog(this), last, allocStack);
            Spawn("hog1", new Hog(this), last, allocStack);
            _ping = Spawn("ping", new PingPong(this, true), 0, allocStack);
            _pong = Spawn("pong", new PingPong(this, false), 0, allocStack);
            if (_ping == null || _pong == null) return "could not create threads";

            ulong deadline = _s.Now() + 30000 * _tick;
            while (System.Threading.Volatile.Read(ref _done) < _threads && _s.Now() < deadline) _s.Sleep(_s.Now() + 2 * _tick);
            if (_done < _threads) return "only " + _done.ToString() + " of " + _threads.ToString() + " threads finished within 30 s";
            if (_roundsDone != (workers + _cpus) * Rounds) return "rounds: " + _roundsDone.ToString();
            if (_pinnedViolations != 0) return _pinnedViolations.ToString() + " pinned-thread rounds ran on the wrong CPU";
            if (_pings != PingPongs || _pongs != PingPongs) return "ping-pong: " + _pings.ToString() + "/" + _pongs.ToString();
            ulong switches = 0, preempts = 0, ipis = 0;
            int used = 0;
            for (int c = 0; c < _cpus; c++)
            {
                CpuSched cs = _s.Cpu(c);
                switches += cs.Switches; preempts += cs.SlicesExpired; ipis += cs.IpisReceived;
                if ((_cpusUsed & (1UL << c)) != 0) used++;
            }
            if (used != _cpus) return "workers ran on " + used.ToString() + " of " + _cpus.ToString() + " CPUs";
            if (preempts == 0) return "no thread was preempted by the timer";
            string bench = MeasureSwitchCost(allocStack);
            summary = _threads.ToString() + " threads on " + used.ToString() + " CPUs; " + switches.ToString() + " switches, "
                + preempts.ToString() + " slice expiries, " + ipis.ToString() + " reschedule IPIs, " + (2 * PingPongs).ToString() + " block/wake hand-offs; " + bench;
            return null;
        }

        // --- benchmark (reported, not asserted): two threads pinned to one CPU yield to each other ---
        private const int YieldRounds = 2000;
        private int _yieldersDone, _yieldersReady;

        private unsafe string MeasureSwitchCost(delegate*<ulong, ulong> allocStack)
        {
            ulong cpu = 1UL << (_cpus - 1);
            ulong t0 = _s.Now();
            _yieldersDone = 0;
            Spawn("yield0", new Yielder(this), cpu, allocStack);
            Spawn("yield1", new Yielder(this), cpu, allocStack);
            while (System.Threading.Volatile.Read(ref _yieldersDone) < 2) _s.Sleep(_s.Now() + _tick);
            ulong perSwitch = (_yieldEnd - _yieldStart) / (2 * YieldRounds);
            return "context switch (yield, same CPU) " + perSwitch.ToString() + " clock ticks";
        }

        private ulong _yieldStart, _yieldEnd;

        private sealed class Yielder : IThreadEntry
        {
            private readonly SchedulerStressTest _t;
            public Yielder(SchedulerStressTest t) { _t = t; }
            public void Run(KThread self)
            {
                // Barrier: measure only while both are runnable, so every yield is a switch.
                System.Threading.Interlocked.Increment(ref _t._yieldersReady);
                while (System.Threading.Volatile.Read(ref _t._yieldersReady) < 2) _t._s.Yield();
                if (System.Threading.Interlocked.CompareExchange(ref _t._yieldStart, _t._s.Now(), 0) != 0) { }
                for (int i = 0; i < YieldRounds; i++) _t._s.Yield();
                _t._yieldEnd = _t._s.Now();
                System.Threading.Interlocked.Increment(ref _t._yieldersDone);
                _t.Finished();
            }
        }

        private unsafe KThread Spawn(string name, IThreadEntry e, ulong affinity, delegate*<ulong, ulong> allocStack)
        {
            const ulong Size = 64 * 1024;
            ulong top = allocStack(Size);
            KThread t = _s.CreateThread(name, e, top - Size, Size, affinity, ThreadFlags.None);
            if (t == null) return null;
            _threads++;
            _s.Start(t);
            return t;
        }

        private void Finished() => System.Threading.Interlocked.Increment(ref _done);

        private void Spin(ulong ms)
        {
            ulong end = _s.Now() + ms * _tick;
            while (_s.Now() < end) { }
        }

        private sealed class Worker : IThreadEntry
        {
            private readonly SchedulerStressTest _t; private readonly int _n;
            public Worker(SchedulerStressTest t, int n) { _t = t; _n = n; }
            public void Run(KThread self)
            {
                for (int r = 0; r < Rounds; r++)
                {
                    _t.Spin(3 + (ulong)((_n + r) % 5));           // longer than a slice at times: preempted
                    ulong bit = 1UL << self.Cpu;
                    ulong old;
                    do { old = _t._cpusUsed; } while (System.Threading.Interlocked.CompareExchange(ref _t._cpusUsed, old | bit, old) != old);
                    System.Threading.Interlocked.Increment(ref _t._roundsDone);
                    _t._s.Sleep(_t._s.Now() + (ulong)(1 + (_n * 7 + r) % 4) * _t._tick);
                }
                _t.Finished();
            }
        }

        /// <summary>Spins for three slices without yielding.</summary>
        private sealed class Hog : IThreadEntry
        {
            private readonly SchedulerStressTest _t;
            public Hog(SchedulerStressTest t) { _t = t; }
            public void Run(KThread self)
            {
                _t.Spin(35);
                _t.Finished();
            }
        }

        private sealed class Pinned : IThreadEntry
        {
            private readonly SchedulerStressTest _t; private readonly int _cpu;
            public Pinned(SchedulerStressTest t, int cpu) { _t = t; _cpu = cpu; }
            public void Run(KThread self)
            {
                for (int r = 0; r < Rounds; r++)
                {
                    _t.Spin(1);
                    if (self.Cpu != _cpu) System.Threading.Interlocked.Increment(ref _t._pinnedViolations);
                    System.Threading.Interlocked.Increment(ref _t._roundsDone);
                    _t._s.Sleep(_t._s.Now() + 2 * _t._tick);
                }
                _t.Finished();
            }
        }

        /// <summary>Two threads that hand a turn back and forth with Block/Unblock (wake-ups across CPUs).</summary>
        private sealed class PingPong : IThreadEntry
        {
            private readonly SchedulerStressTest _t; private readonly bool _isPing;
            public PingPong(SchedulerStressTest t, bool isPing) { _t = t; _isPing = isPing; }
            public void Run(KThread self)
            {
                int myTurn = _isPing ? 0 : 1;
                for (int i = 0; i < PingPongs; i++)
                {
                    while (_t._pingTurn != myTurn)
                    {
                        _t._s.PrepareBlock();
                        if (_t._pingTurn == myTurn) { _t._s.CancelBlock(); break; }
                        _t._s.CommitBlock();
                    }
                    if (_isPing) _t._pings++; else _t._pongs++;
                    _t._pingTurn = 1 - myTurn;
                    _t._s.Unblock(_isPing ? _t._pong : _t._ping);
                }
                _t.Finished();
            }
        }
    }
}
