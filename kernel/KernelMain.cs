// The kernel proper, entered on its own stack, GDT, IDT and page tables after ExitBootServices.
using System.Runtime.InteropServices;
using Hv.Arch;
using Hv.Arch.Smp;
using Hv.Config;
using Hv.Diagnostics;
using Hv.SelfTest;
using Hv.Virt.Caps;
using Internal.Runtime.Kernel;

namespace Hv
{
    public static unsafe class Kernel
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
            MemoryReport.Print(h);
            BringUpCpus(h);

            int status = 0;
            if (h.Config != null && h.Config.SelfTest && !SelfTests.RunAll()) status = 1;

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
                for (int i = 0; i < h.Config.Vms.Length; i++)
                    Log.Warn("vm " + h.Config.Vms[i].Name + ": not started: running guests is not implemented yet (issue #4)");
                Log.Info("HV: no VM started");
            }
            Finish(status);
        }

        private static void BringUpCpus(HandOff h)
        {
            SmpBoot.InitializeBootCpu();
            SmpBoot.CalibrateTimers(0, false);
            ApStartup.ApWork = &ApIdle;
            SmpBoot.StartApplicationProcessors(h.TrampolinePage, h.Pml4, null, 0, &AllocStack);
            ulong ms = (Cpu.hv_rdtsc() - h.BootTsc) / (Hv.Arch.Time.Tsc.Hz / 1000);
            Log.Info("smp: " + PerCpu.OnlineCount.ToString() + " CPU(s) online; " + ms.ToString() + " ms from EfiMain (TSC)");
        }

        private static void ApIdle(CpuInfo c)
        {
            while (true) Cpu.hv_hlt();
        }

        /// <summary>A 4 KiB-aligned stack from the heap, with one unused page below it (guard pages come with W^X).</summary>
        private static ulong AllocStack(ulong bytes)
        {
            ulong raw = (ulong)KernelHeap.Alloc((nuint)(bytes + 2 * 4096));
            return ((raw + 4095) & ~4095UL) + 4096;
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
            if (s_onExit != OnExit.DebugExit) return;
            Panic.Write("HV: exit status 3\r\n");
            Panic.FlushSerial();
            Cpu.hv_debug_exit(3);
        }
    }
}
