// Function 00:00.0: the host bridge, presented as the Intel Q35-family memory controller hub
// (8086:29C0, "82G33/G31/P35/P31 Express DRAM Controller"), class 06/00/00 (bridge, host), a
// normal single-function header. It decodes nothing on its own, has no BARs, no interrupt and no
// capabilities: vendor/device/class/header are read-only, the command register keeps only the
// bits a bridge may have, everything else reads 0. The chipset's own registers (PCIEXBAR, PAM,
// SMRAM at 0x60-0x9F) are not modelled: ECAM lives where PciLayout says, fixed.
namespace Hv.Devices.Pci
{
    public sealed class PciHostBridge : PciConfigSpace
    {
        public const ushort VendorIntel = 0x8086;
        public const ushort DeviceQ35Mch = 0x29C0;
        public const byte ClassBridge = 0x06, SubclassHost = 0x00;

        public PciHostBridge()
            : base(VendorIntel, DeviceQ35Mch, ClassBridge, SubclassHost, 0x00, 0x00, PciHeaderType.Normal,
                   PciCommand.MemorySpace | PciCommand.BusMaster | PciCommand.ParityErrorResponse | PciCommand.SErrEnable)
        {
            // What a host bridge reports after reset: it forwards memory cycles and masters the bus.
            Set16((int)PciConfigOffset.Command, (ushort)(PciCommand.MemorySpace | PciCommand.BusMaster));
        }
    }
}
