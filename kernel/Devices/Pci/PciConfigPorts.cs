// Configuration mechanism #1 (PCI Local Bus 3.0 §3.2.2.3.2): CONFIG_ADDRESS at 0xCF8 and
// CONFIG_DATA at 0xCFC-0xCFF. CONFIG_ADDRESS is only a 32-bit register: bit 31 enable, 23:16 bus,
// 15:11 device, 10:8 function, 7:2 register; bits 30:24 and 1:0 read 0. Byte and word accesses to
// 0xCF8-0xCFB are not configuration cycles: they go on to other I/O devices, which on this
// platform means the reset control register for a byte access at 0xCF9 (ResetControlRegister,
// the FADT RESET_REG) and nothing else (reads all-ones). A data access of width w at 0xCFC + k reaches register (addr & 0xFC) + k
// with width w, if the enable bit is set; otherwise it reads all-ones and writes vanish.
// Linux's pci_check_type1 (outb 0x01 to 0xCFB, then the dword round trip) finds the mechanism.
using System;

namespace Hv.Devices.Pci
{
    public sealed class PciConfigPorts : IIoDevice
    {
        public const ushort BasePort = PciLayout.ConfigAddressPort;
        public const ushort PortCount = PciLayout.ConfigPortCount;
        private const uint EnableBit = 0x8000_0000;
        private const uint AddressWritable = 0x80FF_FFFC;
        private const ulong ResetByte = 1;          // 0xCF9
        private const ulong DataOffset = 4;         // 0xCFC

        private readonly PciRootBus _bus;
        private readonly IIoDevice _resetControl;
        private uint _address;

        /// <param name="resetControl">The device behind byte accesses to 0xCF9 (Acpi.ResetControlRegister), or null.</param>
        public PciConfigPorts(PciRootBus bus, IIoDevice resetControl)
        {
            _bus = bus;
            _resetControl = resetControl;
        }

        public uint ConfigAddress => _address;

        public void Read(ulong offset, Span<byte> data)
        {
            data.Fill(0xFF);
            if (offset == 0 && data.Length == 4)
            {
                Store(data, _address);
                return;
            }
            if (offset >= DataOffset && data.Length <= 4)
            {
                Store(data, ReadData((int)(offset - DataOffset), data.Length));
                return;
            }
            if (offset == ResetByte && data.Length == 1)
            {
                _resetControl?.Read(0, data);
                return;
            }
            for (int i = 0; i < data.Length; i++)
                ReadByte(offset + (ulong)i, data.Slice(i, 1));
        }

        public void Write(ulong offset, ReadOnlySpan<byte> data)
        {
            if (offset == 0 && data.Length == 4)
            {
                _address = Load(data) & AddressWritable;
                return;
            }
            if (offset >= DataOffset && data.Length <= 4)
            {
                WriteData((int)(offset - DataOffset), data.Length, Load(data));
                return;
            }
            if (offset == ResetByte && data.Length == 1)
            {
                _resetControl?.Write(0, data);
                return;
            }
            for (int i = 0; i < data.Length; i++)
                WriteByte(offset + (ulong)i, data.Slice(i, 1));
        }

        /// <summary>One byte of a mixed access (e.g. a word at 0xCFB): data bytes count, the rest is not decoded.</summary>
        private void ReadByte(ulong offset, Span<byte> one)
        {
            if (offset >= DataOffset && offset < PortCount)
                one[0] = (byte)ReadData((int)(offset - DataOffset), 1);
        }

        private void WriteByte(ulong offset, ReadOnlySpan<byte> one)
        {
            if (offset >= DataOffset && offset < PortCount)
                WriteData((int)(offset - DataOffset), 1, one[0]);
        }

        private uint ReadData(int lane, int width)
        {
            if ((_address & EnableBit) == 0 || lane + width > 4)
                return 0xFFFF_FFFFu;
            return _bus.Read(Bus, Device, Function, Register + lane, width);
        }

        private void WriteData(int lane, int width, uint value)
        {
            if ((_address & EnableBit) == 0 || lane + width > 4)
                return;
            _bus.Write(Bus, Device, Function, Register + lane, width, value);
        }

        private int Bus => (int)(_address >> 16) & 0xFF;
        private int Device => (int)(_address >> 11) & 0x1F;
        private int Function => (int)(_address >> 8) & 0x7;
        private int Register => (int)_address & 0xFC;

        private static uint Load(ReadOnlySpan<byte> data)
        {
            uint v = 0;
            for (int i = data.Length - 1; i >= 0; i--)
                v = v << 8 | data[i];
            return v;
        }

        private static void Store(Span<byte> data, uint value)
        {
            for (int i = 0; i < data.Length && i < 4; i++)
                data[i] = (byte)(value >> (8 * i));
        }
    }
}
