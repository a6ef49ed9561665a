// Builds a VM's PC platform (issue 5 item 1): every device model, registered on the VM's buses at the
// addresses the guest's ACPI tables announce, shared ones behind the platform lock, one LAPIC per vCPU
// attached to its vCPU. Host-testable: the hardware side (clock, kicker) comes in as interfaces.
// Nothing is half-built: on an error the VM is left unstarted and the caller drops it.
using Hv.Devices;
using Hv.Devices.Acpi;
using Hv.Devices.Ioapic;
using Hv.Devices.Pci;
using Hv.Devices.Pit;
using Hv.Devices.Rtc;
using Hv.Devices.Uart;
using Hv.Devices.Lapic;
using Hv.Devices.Pic;
using Hv.Devices.Platform;

namespace Hv.Virt.Platform
{
    public struct PcPlatformOptions
    {
        public ulong TicksPerSecond;       // IVcpuHost.Now() rate (the host TSC)
        public ulong TicksAtClockZero;     // IVcpuHost.Now() when the device clock read 0 ns
        public int PhysicalAddressBits;    // what CPUID tells the guest (APIC base bits above it are reserved)
        public IGuestTsc GuestTsc;         // for the TSC-deadline timer; null: TSC-deadline absent
        public IWallClock WallClock;       // the RTC's starting time (the host RTC)
        public IPowerControl Power;        // S5 power-off and resets
        public IUartOutput Com1Output;     // null: the VM has no UART
        public ulong RamBelow4G, RamAbove4G; // for the CMOS memory-size bytes
    }

    public sealed class PcPlatform
    {
        /// <summary>IOAPIC ID: after the LAPIC IDs of up to 64 vCPUs would be tidy, but 8 bits in xAPIC mode and IDs &lt; 16 are safest for old guests; the MADT says it.</summary>
        public const byte IoapicId = 0;

        public VmPlatform Platform { get; private set; }
        public PicPair Pic { get; private set; }
        public IoApic Ioapic { get; private set; }
        public LocalApic[] Lapics { get; private set; }
        public Pit8254 Pit { get; private set; }
        public Mc146818Rtc Rtc { get; private set; }
        public AcpiPmDevice Pm { get; private set; }
        /// <summary>COM1, or null.</summary>
        public Uart16550 Com1 { get; private set; }
        public PciRootBus Pci { get; private set; }

        public static PcPlatform Build(Vm vm, IDeviceClock clock, IVcpuKicker kicker, in PcPlatformOptions options, out string error)
        {
            var pc = new PcPlatform();
            var p = new VmPlatform(clock, options.TicksPerSecond, vm.VcpuCount, kicker, options.TicksAtClockZero);
            pc.Platform = p;
            pc.Pic = new PicPair(p);
            pc.Ioapic = new IoApic(p, IoapicId);
            p.SetInterruptControllers(new PicPort(pc.Pic), new IoapicPort(pc.Ioapic));
            if (!Io(vm, p, PicPair.MasterPort, PicPair.PortCount, pc.Pic.Master, out error)) return null;
            if (!Io(vm, p, PicPair.SlavePort, PicPair.PortCount, pc.Pic.Slave, out error)) return null;
            if (!Io(vm, p, PicPair.ElcrPort, PicPair.PortCount, pc.Pic.Elcr, out error)) return null;
            if (!vm.TryRegisterMmio(IoApic.DefaultBase, IoApic.MmioSize, new LockedDevice(p, pc.Ioapic), out error)) return null;

            // Timers and the rest of the ISA platform; IRQs go through the platform's router.
            pc.Pit = new Pit8254(clock, p);
            if (!Io(vm, p, Pit8254.BasePort, Pit8254.PortCount, pc.Pit, out error)) return null;
            if (!Io(vm, p, SystemControlPortB.Port, SystemControlPortB.PortCount, pc.Pit.PortB, out error)) return null;
            pc.Rtc = new Mc146818Rtc(clock, p, options.WallClock);
            pc.Rtc.SetMemorySize(options.RamBelow4G, options.RamAbove4G);
            if (!Io(vm, p, Mc146818Rtc.BasePort, Mc146818Rtc.PortCount, pc.Rtc, out error)) return null;
            pc.Pm = new AcpiPmDevice(clock, p, options.Power);
            if (!Io(vm, p, PmLayout.IoBase, PmLayout.IoLength, pc.Pm, out error)) return null;
            p.AddTimed(pc.Pit);
            p.AddTimed(pc.Rtc);
            p.AddTimed(pc.Pm);
            if (options.Com1Output != null)
            {
                pc.Com1 = new Uart16550(p, Uart16550.Com1Irq, options.Com1Output);
                if (!Io(vm, p, Uart16550.Com1Port, Uart16550.PortCount, pc.Com1, out error)) return null;
            }

            // PCI: the host bridge at 00:00.0, reached through 0xCF8/0xCFC (with the reset register at 0xCF9) and ECAM.
            pc.Pci = new PciRootBus();
            if (!pc.Pci.TryAdd(0, 0, 0, new PciHostBridge(), out error)) return null;
            if (!Io(vm, p, PciConfigPorts.BasePort, PciConfigPorts.PortCount, new PciConfigPorts(pc.Pci, new ResetControlRegister(options.Power)), out error)) return null;
            if (!vm.TryRegisterMmio(PciEcam.Base, PciEcam.Size, new LockedDevice(p, new PciEcam(pc.Pci)), out error)) return null;
            p.DevicesChangedLocked();

            pc.Lapics = new LocalApic[vm.VcpuCount];
            for (int i = 0; i < vm.VcpuCount; i++)
            {
                var lapic = new LocalApic((uint)i, i == 0, p, clock, options.GuestTsc, true, options.PhysicalAddressBits);
                var port = new LapicPort(lapic);
                pc.Lapics[i] = lapic;
                p.SetApic(i, port);
                if (!vm.VcpuAt(i).AttachPlatform(p, port)) { error = "vCPU " + i.ToString() + ": platform already attached"; return null; }
            }
            error = null;
            return pc;
        }

        private static bool Io(Vm vm, VmPlatform p, ushort port, int count, IIoDevice device, out string error)
            => vm.TryRegisterIo(port, (ushort)count, new LockedDevice(p, device), out error);
    }
}
