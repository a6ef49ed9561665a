// hv.cfg `fault_test`: a deliberate fault in a kernel thread, to show and test the crash path
// (docs/config.md). The thread runs on the last CPU so the dump names a CPU other than the
// boot CPU and every other CPU is stopped by NMI.
using Hv.Arch;
using Hv.Arch.Paging;
using Hv.Arch.Smp;
using Hv.Config;
using Hv.Diagnostics;
using Hv.Sched;

namespace Hv
{
    public static unsafe partial class Kernel
    {
        private sealed class FaultThread : IThreadEntry
        {
            private readonly FaultTest _kind;
            public FaultThread(FaultTest kind) { _kind = kind; }

            public void Run(KThread self)
            {
                Log.Info("fault-test: " + ConfigNames.Name(_kind) + " on CPU " + self.Cpu.ToString() + " in thread " + self.Name);
                if (_kind == FaultTest.PageFault) *(ulong*)0x10 = 0xBAD;           // page 0 is not mapped
                if (_kind == FaultTest.WriteCode)
                {
                    delegate*<int, int> code = &Recurse;
                    *(byte*)code = 0xC3;                                           // code pages are read-only (W^X)
                }
                if (_kind == FaultTest.StackOverflow) Log.Info("fault-test: unreachable " + Recurse(0).ToString());
                Log.Error("fault-test: the fault did not happen");
            }
        }

        /// <summary>Recursion that the compiler cannot turn into a loop (each frame keeps a buffer live).</summary>
        private static int Recurse(int depth)
        {
            byte* frame = stackalloc byte[256];
            frame[depth & 255] = (byte)depth;
            return Recurse(depth + 1) + frame[(depth * 7) & 255];
        }

        /// <summary>Starts the fault thread and waits; the fault ends the run (panic path).</summary>
        private static void RunFaultTest(FaultTest kind)
        {
            Scheduler s = SchedPlatform.Scheduler;
            int last = PerCpu.OnlineCount - 1;
            ulong top = Stacks.Allocate(ThreadStackBytes);
            KThread t = s.CreateThread("fault-test", new FaultThread(kind), top - ThreadStackBytes, ThreadStackBytes, 1UL << last, ThreadFlags.None);
            s.Start(t);
            s.Sleep(s.Now() + Hv.Arch.Time.Tsc.Hz * 5);
            Log.Error("fault-test: still running 5 s after the fault was due");
        }
    }
}
