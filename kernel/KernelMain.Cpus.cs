// Start-up of the machine's CPUs, memory protection and the scheduler (called from Main).
using Hv.Arch;
using Hv.Arch.Paging;
using Hv.Arch.Smp;
using Hv.Arch.Time;
using Hv.Diagnostics;
using Hv.Sched;
using Hv.SelfTest;
using Internal.Runtime.Kernel;

namespace Hv
{
    public static unsafe partial class Kernel
    {
        private const ulong ThreadStackBytes = 64 * 1024;
        private static volatile bool s_schedulerReady;

        private static bool IrqOff() => SchedPlatform.InterruptsOff();
        private static void IrqOn() => Cpu.hv_sti();

        private static void BringUpCpus(HandOff h)
        {
            Log.DisableInterrupts = &IrqOff;
            Log.RestoreInterrupts = &IrqOn;
            SmpBoot.InitializeBootCpu();
            ProtectKernel(h);
            Hv.Acpi.HostTopology topo = Hv.Acpi.HostTopology.Read(new IdentityMappedMemory(), h.Rsdp);
            if (topo.Problem != null) Log.Warn("acpi: " + topo.Problem + " (falling back where needed)");
            MaskIoApics(topo);
            SmpBoot.CalibrateTimers(topo.PmTimerPort, topo.PmTimer32Bit);
            ApStartup.ApWork = &ApEnterScheduler;
            SmpBoot.StartApplicationProcessors(h.TrampolinePage, h.Pml4, topo.HasMadt ? topo.ApicIds : null, topo.CpuCount, &AllocStack);
            ulong ms = (Cpu.hv_rdtsc() - h.BootTsc) / (Hv.Arch.Time.Tsc.Hz / 1000);
            Log.Info("smp: " + PerCpu.OnlineCount.ToString() + " CPU(s) online; " + ms.ToString() + " ms from EfiMain (TSC)");
        }

        /// <summary>APs wait here until the scheduler exists, then become its CPUs (idle loop).</summary>
        private static void ApEnterScheduler(CpuInfo c)
        {
            while (!s_schedulerReady) Cpu.hv_pause();
            Cpu.hv_cli();
            SchedPlatform.Scheduler.StartCpu();
            SchedPlatform.Scheduler.IdleLoop();
        }

        /// <summary>Creates the scheduler over the online CPUs, starts <paramref name="main"/> as thread
        /// "kmain" on CPU 0, and turns this (boot) stack into CPU 0's idle thread. Does not return.</summary>
        private static void StartScheduler(IThreadEntry main)
        {
            var platform = new SchedPlatform(Tsc.Hz, SmpBoot.LapicTimerHz);
            // 10 ms slices: short enough for interactive guests, long enough to keep switch costs small.
            Scheduler s = Scheduler.Create(platform, PerCpu.Count, Tsc.Hz / 100);
            if (s == null) Panic.Fail("scheduler: invalid configuration", (ulong)PerCpu.Count, "CPUs");
            SchedPlatform.Scheduler = s;
            Interrupts.TimerHandler = &SchedPlatform.OnTimer;
            Interrupts.RescheduleHandler = &SchedPlatform.OnReschedule;
            Exceptions.CurrentThreadName = &SchedPlatform.CurrentThreadName;
            Internal.Runtime.Kernel.RuntimeHooks.CctorOwner = &CurrentThreadToken;
            ulong top = Stacks.Allocate(ThreadStackBytes);
            KThread k = s.CreateThread("kmain", main, top - ThreadStackBytes, ThreadStackBytes, 1UL, ThreadFlags.None);
            s.Start(k);
            Log.Info("sched: " + PerCpu.OnlineCount.ToString() + " CPUs, 10 ms slices, LAPIC one-shot timer; kmain started");
            Cpu.hv_cli();
            s.StartCpu();
            s_schedulerReady = true;
            s.IdleLoop();
        }

        /// <summary>Tells threads apart for class constructors: the thread's id + 1 (0 before threads).</summary>
        private static nint CurrentThreadToken()
        {
            KThread t = SchedPlatform.Scheduler?.Current;
            return t == null ? 0 : t.Id + 1;
        }

        private static bool RunSchedulerTest()
        {
            var t = new SchedulerStressTest(SchedPlatform.Scheduler, PerCpu.OnlineCount, Tsc.Hz / 1000);
            string failure = t.Run(&AllocStack, out string summary);
            if (failure == null) Log.Info("SELFTEST scheduler: PASS (" + summary + ")");
            else Log.Error("SELFTEST scheduler: FAIL " + failure);
            return failure == null;
        }

        /// <summary>Panic on any CPU: NMI the others (each prints its registers and thread), wait for them briefly.</summary>
        private static void StopOtherCpus()
        {
            if (PerCpu.OnlineCount <= 1) return;
            Interrupts.StopOtherCpus();
            Tsc.WaitMicroseconds(200000);
        }

        private static ulong AllocStack(ulong bytes) => Stacks.Allocate(bytes);

        private static void MaskIoApics(Hv.Acpi.HostTopology topo)
        {
            for (int i = 0; i < topo.IoApicCount; i++)
            {
                int pins = Hv.Arch.Apic.IoApic.MaskAll(topo.IoApicAddress[i]);
                Log.Info("ioapic: " + pins.ToString() + " pins at " + Hv.Virt.Caps.Hex.Format(topo.IoApicAddress[i], 8)
                    + " (GSI " + topo.IoApicGsiBase[i].ToString() + "-" + (topo.IoApicGsiBase[i] + (uint)pins - 1).ToString() + ") masked");
            }
        }

        /// <summary>W^X for the image and guard pages under the stacks, before any AP runs.</summary>
        private static void ProtectKernel(HandOff h)
        {
            KernelAddressSpace.Initialize(h.Pml4, &AllocTablePage);
            var sections = new ImageSection[16];
            int n = ImageSections.Read(h.ImageBase, sections, out ulong imageSize);
            KernelAddressSpace.ApplyWxorX(sections, n, h.TrampolinePage);
            Stacks.AddressSpaceReady();
            int code = 0, ro = 0, rw = 0;
            for (int i = 0; i < n; i++)
                if (sections[i].Execute) code++; else if (sections[i].Write) rw++; else ro++;
            Log.Info("memory: W^X: image " + (imageSize >> 10).ToString() + " KiB in " + n.ToString() + " sections ("
                + code.ToString() + " R-X, " + ro.ToString() + " R--, " + rw.ToString() + " RW-), rest of memory NX; "
                + KernelAddressSpace.GuardPages.ToString() + " stack guard pages; page 0 not present");
        }


    }
}
