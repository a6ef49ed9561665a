// The ECAM window (PCI Express Base 4.0 §7.2.2, "PCI Express Enhanced Configuration Access
// Mechanism"): offset = bus << 20 | device << 15 | function << 12 | register, memory-mapped at
// PciLayout.EcamBase for buses 0 .. BusCount - 1. Width 1, 2 or 4 naturally aligned is one
// configuration access; an aligned 8-byte access is two dword accesses (low first); anything else
// is taken byte by byte. Each piece finds its own function, so nothing crosses a function's 4 KiB.
using System;

namespace Hv.Devices.Pci
{
    public sealed class PciEcam : IIoDevice
    {
        public const ulong Base = PciLayout.EcamBase;
        public const ulong Size = PciLayout.EcamSize;

        private readonly PciRootBus _bus;

        public PciEcam(PciRootBus bus) { _bus = bus; }

        public void Read(ulong offset, Span<byte> data)
        {
            int width = data.Length;
            if (IsSimple(offset, width))
            {
                Store(data, Access(offset, width, false, 0));
                return;
            }
            if (width == 8 && offset % 8 == 0)
            {
                Store(data.Slice(0, 4), Access(offset, 4, false, 0));
                Store(data.Slice(4, 4), Access(offset + 4, 4, false, 0));
                return;
            }
            for (int i = 0; i < width; i++)
                data[i] = (byte)Access(offset + (ulong)i, 1, false, 0);
        }

        public void Write(ulong offset, ReadOnlySpan<byte> data)
        {
            int width = data.Length;
            if (IsSimple(offset, width))
            {
                Access(offset, width, true, Load(data));
                return;
            }
            if (width == 8 && offset % 8 == 0)
            {
                Access(offset, 4, true, Load(data.Slice(0, 4)));
                Access(offset + 4, 4, true, Load(data.Slice(4, 4)));
                return;
            }
            for (int i = 0; i < width; i++)
                Access(offset + (ulong)i, 1, true, data[i]);
        }

        private static bool IsSimple(ulong offset, int width) => (width == 1 || width == 2 || width == 4) && offset % (ulong)width == 0;

        private uint Access(ulong offset, int width, bool write, uint value)
        {
            if (offset >= Size)
                return 0xFFFF_FFFFu;
            int bus = (int)(offset >> 20);
            int device = (int)(offset >> 15) & 0x1F;
            int function = (int)(offset >> 12) & 0x7;
            int register = (int)(offset & 0xFFF);
            if (!write)
                return _bus.Read(bus, device, function, register, width);
            _bus.Write(bus, device, function, register, width, value);
            return 0;
        }

        private static uint Load(ReadOnlySpan<byte> data)
        {
            uint v = 0;
            for (int i = data.Length - 1; i >= 0; i--)
                v = v << 8 | data[i];
            return v;
        }

        private static void Store(Span<byte> data, uint value)
        {
            for (int i = 0; i < data.Length; i++)
                data[i] = (byte)(value >> (8 * i));
        }
    }
}
