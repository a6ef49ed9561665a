// Bringing the machine's CPUs online: the boot CPU's own per-CPU state, the TSC and LAPIC timer
// calibration, then every other CPU the firmware describes.
using Hv.Arch.Apic;
using Hv.Arch.Time;
using Hv.Diagnostics;

namespace Hv.Arch.Smp
{
    public static unsafe class SmpBoot
    {
        public static ulong LapicTimerHz;

        /// <summary>On the boot CPU, before anything else that is per CPU.</summary>
        public static void InitializeBootCpu()
        {
            // The legacy 8259 PICs stay masked: interrupts come through the LAPIC (and IOAPIC later).
            Cpu.hv_outb(0x21, 0xFF);
            Cpu.hv_outb(0xA1, 0xFF);
            LocalApic.InitializeGlobal();
            LocalApic.Enable();
            CpuInfo bsp = PerCpu.Add(LocalApic.Id);
            PerCpu.Activate(bsp);
            bsp.TscAtOnline = Tsc.Now();
            PerCpu.OnlineCount = 1;
            bsp.Online = true;
            Internal.Runtime.Kernel.Panic.CurrentCpu = &CurrentIndex;
        }

        private static int CurrentIndex() => PerCpu.CurrentIndex;

        public static void CalibrateTimers(ushort pmTimerPort, bool pmTimer32)
        {
            if (pmTimerPort != 0) Tsc.CalibrateWithPmTimer(pmTimerPort, pmTimer32);
            else Tsc.CalibrateWithPit();
            LapicTimerHz = LocalApic.MeasureTimerHz();
            Log.Info("time: TSC " + (Tsc.Hz / 1000).ToString() + " kHz (against the " + Tsc.Reference + "), LAPIC timer "
                + (LapicTimerHz / 1000).ToString() + " kHz (divide 16), " + (LocalApic.X2Apic ? "x2APIC" : "xAPIC") + " mode");
        }

        /// <summary>Starts the APs listed (APIC IDs); with no list, probes IDs 0..15 (firmware without ACPI, e.g. OVMF in Bochs).</summary>
        public static void StartApplicationProcessors(ulong trampolinePage, ulong pml4, uint[] apicIds, int count, delegate*<ulong, ulong> allocStack)
        {
            if (!Trampoline.Install(trampolinePage, pml4, &ApStartup.ApMain))
            {
                Log.Warn("smp: no usable page below 1 MiB or page tables above 4 GiB: running on the boot CPU only");
                return;
            }
            bool probing = apicIds == null;
            if (probing)
            {
                // No MADT: CPUID.1:EBX[23:16] bounds the logical processors of the package
                // (SDM Vol. 2A, CPUID leaf 01H); their APIC IDs are probed from 0 up.
                Cpu.Cpuid(1, 0, out _, out uint ebx, out _, out uint edx);
                count = (edx & (1u << 28)) != 0 ? (int)((ebx >> 16) & 0xFF) : 1;
                if (count < 1) count = 1;
                if (count > PerCpu.MaxCpus) count = PerCpu.MaxCpus;
                apicIds = new uint[count];
                for (int i = 0; i < count; i++) apicIds[i] = (uint)i;
                Log.Info("smp: no ACPI MADT; probing APIC IDs 0-" + (count - 1).ToString() + " (CPUID.1:EBX[23:16])");
            }
            ApStartup.StartAll(apicIds, count, allocStack, !probing);
            for (int i = 0; i < PerCpu.Count; i++)
            {
                CpuInfo c = PerCpu.Cpus[i];
                if (c.Online) Log.Info("cpu " + c.Index.ToString() + " online (APIC ID " + c.ApicId.ToString() + ")");
            }
        }
    }
}
