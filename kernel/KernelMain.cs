// The kernel proper, entered on its own stack, GDT, IDT and page tables after ExitBootServices.
using System.Runtime.InteropServices;
using Hv.Arch;
using Hv.Arch.Paging;
using Hv.Arch.Smp;
using Hv.Config;
using Hv.Diagnostics;
using Hv.SelfTest;
using Hv.Virt;
using Hv.Virt.Caps;
using Internal.Runtime.Kernel;

namespace Hv
{
    public static unsafe partial class Kernel
    {
        public static HandOff Boot;
        private static OnExit s_onExit;

        [UnmanagedCallersOnly]
        public static void Entry(void* unused)
        {
            Main(Boot);
            Cpu.hv_halt_forever();
        }

        private static void Main(HandOff h)
        {
            s_onExit = h.EarlyOnExit;
            Panic.AfterDumpHook = &AfterPanic;
            Log.Info("kernel: own GDT/IDT/TSS, page tables and stack active; boot services exited");
            InitializeFrames(h);
            if (h.Config != null && h.Config.AcpiDump) Acpi.AcpiDump.Print(new IdentityMappedMemory(), h.Rsdp);
            Acpi.AcpiSummary.Print(new IdentityMappedMemory(), h.Rsdp);
            BringUpCpus(h);
            // From here on the boot stack is CPU 0's idle thread; the rest runs in thread "kmain".
            StartScheduler(new MainThread(h));
        }

        /// <summary>The kernel's work after start-up, as a thread (so it can sleep, and a fault names it).</summary>
        private sealed class MainThread : Hv.Sched.IThreadEntry
        {
            private readonly HandOff _h;
            public MainThread(HandOff h) { _h = h; }
            public void Run(Hv.Sched.KThread self) => Finish(RunChecksAndVms(_h));
        }

        private static int RunChecksAndVms(HandOff h)
        {
            int status = 0;
            if (h.Config != null && h.Config.SelfTest && !(SelfTests.RunAll() & RunSchedulerTest())) status = 1;
            if (h.Config != null && h.Config.FaultTest != FaultTest.None) RunFaultTest(h.Config.FaultTest);

            CpuCapabilities caps = CpuCapabilities.Probe(new HardwareCpuInfo());
            string[] lines = caps.ReportLines();
            for (int i = 0; i < lines.Length; i++) Log.Info(lines[i]);

            if (caps.Backend.Backend == VirtBackend.None)
            {
                Log.Error("HV: this CPU cannot run guests (" + caps.Backend.Reason + "); no VM started");
                if (status == 0) status = 4;
            }
            else if (h.Config == null)
            {
                Log.Error("HV: no VM started: the configuration is invalid (errors above)");
                status = 2;
            }
            else if (h.Config.Vms.Length == 0)
            {
                Log.Info("HV: no VM configured");
            }
            else
            {
                IVirtBackend backend = CreateBackend(caps, out string error);
                if (backend == null)
                {
                    Log.Error("HV: no VM started: " + error);
                    status = 4;
                }
                else
                {
                    Log.Info("virt: " + backend.Name + " backend; starting " + h.Config.Vms.Length.ToString() + " VM(s)");
                    int vmStatus = RunVms(h, backend);
                    if (status == 0) status = vmStatus;
                }
            }
            return status;
        }

        private static IVirtBackend CreateBackend(CpuCapabilities caps, out string error)
        {
            error = null;
            if (caps.Backend.Backend == VirtBackend.Vmx) return Hv.Arch.Vmx.VmxBackend.TryCreate(caps.Vmx, out error);
            if (caps.Backend.Backend == VirtBackend.Svm) return Hv.Arch.Svm.SvmBackend.TryCreate(caps.Svm, &AllocatePages, out error);
            error = "no virtualization backend";
            return null;
        }

        private static void Finish(int status)
        {
            Log.Info("HV: exit status " + status.ToString());
            Panic.FlushSerial();
            if (s_onExit == OnExit.DebugExit) Cpu.hv_debug_exit((uint)status);
            Log.Info("HV: halted");
        }

        /// <summary>After a panic dump: let an emulator run end now (status 3) instead of at its timeout.</summary>
        private static void AfterPanic()
        {
            StopOtherCpus();
            if (s_onExit != OnExit.DebugExit) return;
            Panic.Write("HV: exit status 3\r\n");
            Panic.FlushSerial();
            Cpu.hv_debug_exit(3);
        }
    }
}
