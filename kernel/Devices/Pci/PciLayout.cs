// Where the guest finds PCI configuration space: the one place the ACPI MCFG/DSDT builder and the
// device models take their numbers from. PCI Local Bus 3.0 §3.2.2.3.2 (configuration mechanism
// #1 at ports 0xCF8/0xCFC); PCI Express Base 4.0 §7.2.2 (ECAM: bus << 20 | device << 15 |
// function << 12 | register); PCI Firmware 3.2 §4.1.2 (MCFG).
//
// ECAM decodes bus 0 only: one 1 MiB window. The MCFG entry is base 0xB000_0000, segment 0,
// start bus 0, end bus 0; that range must also be reserved (E820 reserved or a PNP0C02 _CRS in
// the DSDT), or Linux ignores MMCONFIG and uses mechanism #1, which works too.
namespace Hv.Devices.Pci
{
    public static class PciLayout
    {
        public const ushort ConfigAddressPort = 0xCF8;
        public const ushort ConfigDataPort = 0xCFC;
        /// <summary>PciConfigPorts claims [ConfigAddressPort, +ConfigPortCount): address, then data.</summary>
        public const ushort ConfigPortCount = 8;

        public const ulong EcamBase = 0xB000_0000;
        /// <summary>Buses decoded by ECAM and held by the registry: 0 .. BusCount - 1 (MCFG end bus = BusCount - 1).</summary>
        public const int BusCount = 1;
        public const ulong EcamBytesPerBus = 1ul << 20;
        /// <summary>PciEcam claims [EcamBase, EcamBase + EcamSize).</summary>
        public const ulong EcamSize = BusCount * EcamBytesPerBus;

        public const int DevicesPerBus = 32;
        public const int FunctionsPerDevice = 8;
        /// <summary>Configuration space of one function: 256 bytes conventional, 4 KiB through ECAM.</summary>
        public const int ConventionalConfigSize = 256;
        public const int ExtendedConfigSize = 4096;
    }
}
