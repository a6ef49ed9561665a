// Port 0xCF9, the chipset's reset control register (Intel ICH/PCH datasheets, "RST_CNT - Reset
// Control Register", I/O 0xCF9) and the FADT RESET_REG of this platform (PmLayout.ResetValue =
// 0x06). A write that sets RST_CPU (bit 2; the bit always reads 0, so every such write is a 0-to-1
// transition) resets the VM, whatever SYS_RST says: a soft (INIT-only) reset of a VM would leave it
// in the same state a full reset does for every guest we run. Bits 1 and 3 read back.
//
// The port lies inside the PCI configuration address register (0xCF8-0xCFB): only a byte access
// at 0xCF9 reaches it, which is why PciConfigPorts forwards those bytes here. It can also be
// registered on its own at 0xCF9 on a bus without mechanism #1.
using System;

namespace Hv.Devices.Acpi
{
    public sealed class ResetControlRegister : IIoDevice
    {
        public const ushort Port = PmLayout.ResetRegisterPort;
        public const ushort PortCount = 1;

        private readonly IPowerControl _power;
        private byte _value;

        public ResetControlRegister(IPowerControl power) { _power = power; }

        public ulong Resets { get; private set; }

        public void Read(ulong offset, Span<byte> data)
        {
            data.Fill(0xFF);
            if (offset == 0 && data.Length > 0)
                data[0] = _value;
        }

        public void Write(ulong offset, ReadOnlySpan<byte> data)
        {
            if (offset != 0 || data.Length == 0)
                return;
            _value = (byte)(data[0] & (byte)ResetControl.Stored);
            if ((data[0] & (byte)ResetControl.ResetCpu) == 0)
                return;
            Resets++;
            _power.Reset();
        }
    }
}
