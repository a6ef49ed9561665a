// What a VM's ACPI tables describe: the vCPUs and the platform's fixed-address parts. Default()
// takes everything from GuestPlatformLayout; a caller may change what the C#-built tables state
// (vCPUs, IOAPIC, LAPIC, SCI, PM ports, reset register). The ECAM range is also stated by the
// DSDT, which iasl compiled at build time, so it must stay the layout's.

namespace Hv.Virt.Platform.Acpi
{
    public struct GuestAcpiConfig
    {
        /// <summary>
        /// Processor Local APIC entries carry an 8-bit APIC ID, and 0xFF means "all"; more CPUs
        /// would need x2APIC entries (ACPI 6.5 §5.2.12.12), which this builder does not write.
        /// </summary>
        public const int MaxVcpus = 254;

        /// <summary>vCPU i has ACPI processor UID i and local APIC ID i.</summary>
        public int VcpuCount;
        public byte IoApicId;
        public uint IoApicAddress;
        public uint LocalApicAddress;
        /// <summary>ISA IRQ of the SCI; it is also GSI SciIrq (level, active-high).</summary>
        public byte SciIrq;
        public ushort Pm1aEventPort, Pm1aControlPort, PmTimerPort, Gpe0Port;
        public ushort ResetPort;
        public byte ResetValue;
        public ulong EcamBase;
        public byte EcamStartBus, EcamEndBus;

        public static GuestAcpiConfig Default(int vcpuCount)
        {
            GuestAcpiConfig c;
            c.VcpuCount = vcpuCount;
            c.IoApicId = GuestPlatformLayout.IoApicId;
            c.IoApicAddress = (uint)GuestPlatformLayout.IoApicBase;
            c.LocalApicAddress = (uint)GuestPlatformLayout.LocalApicBase;
            c.SciIrq = GuestPlatformLayout.SciIrq;
            c.Pm1aEventPort = GuestPlatformLayout.Pm1aEventPort;
            c.Pm1aControlPort = GuestPlatformLayout.Pm1aControlPort;
            c.PmTimerPort = GuestPlatformLayout.PmTimerPort;
            c.Gpe0Port = GuestPlatformLayout.Gpe0Port;
            c.ResetPort = GuestPlatformLayout.ResetPort;
            c.ResetValue = GuestPlatformLayout.ResetValue;
            c.EcamBase = GuestPlatformLayout.EcamBase;
            c.EcamStartBus = GuestPlatformLayout.EcamStartBus;
            c.EcamEndBus = GuestPlatformLayout.EcamEndBus;
            return c;
        }

        /// <summary>Null when the tables can describe this configuration, else what is wrong.</summary>
        public string Validate()
        {
            if (VcpuCount < 1 || VcpuCount > MaxVcpus)
                return "ACPI: " + ((uint)VcpuCount).ToString() + " vCPUs; the MADT describes 1-254 (8-bit APIC IDs)";
            if (IoApicAddress == 0 || (IoApicAddress & 0xFFF) != 0)
                return "ACPI: the IOAPIC address must be a non-zero 4 KiB-aligned address";
            if (LocalApicAddress == 0 || (LocalApicAddress & 0xFFF) != 0)
                return "ACPI: the local APIC address must be a non-zero 4 KiB-aligned address";
            // IRQ 0 and 2 are the timer and the cascade; the SCI must be a free ISA IRQ.
            if (SciIrq == 0 || SciIrq == 2 || SciIrq > 15)
                return "ACPI: SCI IRQ " + ((uint)SciIrq).ToString() + " is not a free ISA IRQ (1, 3-15)";
            if (!InPmBlock(Pm1aEventPort, GuestPlatformLayout.Pm1EventLength) || !InPmBlock(Pm1aControlPort, GuestPlatformLayout.Pm1ControlLength)
                || !InPmBlock(PmTimerPort, GuestPlatformLayout.PmTimerLength) || !InPmBlock(Gpe0Port, GuestPlatformLayout.Gpe0Length))
                return "ACPI: the PM register blocks must lie in the PM I/O range the DSDT reserves (0x600-0x63F)";
            if (ResetPort == 0)
                return "ACPI: the reset register port must not be 0";
            if (EcamBase != GuestPlatformLayout.EcamBase || EcamStartBus != GuestPlatformLayout.EcamStartBus || EcamEndBus != GuestPlatformLayout.EcamEndBus)
                return "ACPI: the DSDT (dsdt.asl) is compiled for ECAM at 0xB0000000, buses 0-255; the MCFG must say the same";
            return null;
        }

        private static bool InPmBlock(ushort port, byte length) =>
            port >= GuestPlatformLayout.PmIoBase && port + length <= GuestPlatformLayout.PmIoBase + GuestPlatformLayout.PmIoLength;
    }
}
