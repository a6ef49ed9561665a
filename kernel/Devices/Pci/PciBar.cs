// One Base Address Register and its sizing protocol (PCI Local Bus 3.0 §6.2.5.1): the size is a
// power of two, the address bits below it are hardwired to 0, so software that writes all-ones and
// reads back gets ~(size - 1) plus the type bits and knows the size. The low bits are read-only:
// bit 0 = I/O space; for memory, bits 2:1 = type (00 32-bit, 10 64-bit), bit 3 = prefetchable. A
// 64-bit BAR takes two registers, the second holding address bits 63:32.
namespace Hv.Devices.Pci
{
    public enum PciBarKind : byte
    {
        Io,
        Memory32,
        Memory64,
    }

    public sealed class PciBar
    {
        private const ulong IoMinSize = 4, IoMaxSize = 256, MemoryMinSize = 16, Memory32MaxSize = 1ul << 31;
        private const uint IoType = 0x1, Memory64Type = 0x4, PrefetchableBit = 0x8;
        private readonly ulong _addressMask;
        private ulong _address;

        /// <summary>A BAR of at least <paramref name="size"/> bytes: rounded up to a power of two and to the spec's minimum (I/O 4, memory 16) and maximum (I/O 256, 32-bit memory 2 GiB).</summary>
        public PciBar(PciBarKind kind, ulong size, bool prefetchable = false)
        {
            Kind = kind;
            Prefetchable = kind != PciBarKind.Io && prefetchable;
            ulong min = kind == PciBarKind.Io ? IoMinSize : MemoryMinSize;
            ulong max = kind == PciBarKind.Io ? IoMaxSize : kind == PciBarKind.Memory32 ? Memory32MaxSize : 1ul << 63;
            ulong s = min;
            while (s < size && s < max)
                s <<= 1;
            Size = s;
            ulong limit = kind == PciBarKind.Memory64 ? ulong.MaxValue : 0xFFFF_FFFFul;
            _addressMask = ~(s - 1) & limit;
        }

        public PciBarKind Kind { get; }
        public bool Prefetchable { get; }
        public ulong Size { get; }
        public bool Is64Bit => Kind == PciBarKind.Memory64;

        /// <summary>The base address software programmed (all-ones during sizing: decode only with the command register's enable bit).</summary>
        public ulong Address => _address;

        /// <summary>The register at BAR index n (address bits 31:4 or 31:2 plus the type bits).</summary>
        public uint ReadLow() => (uint)_address | TypeBits;

        /// <summary>The second register of a 64-bit BAR.</summary>
        public uint ReadHigh() => Is64Bit ? (uint)(_address >> 32) : 0;

        public void WriteLow(uint value)
        {
            _address = ((_address & 0xFFFF_FFFF_0000_0000ul) | value) & _addressMask;
        }

        public void WriteHigh(uint value)
        {
            if (Is64Bit)
                _address = (((ulong)value << 32) | (_address & 0xFFFF_FFFFul)) & _addressMask;
        }

        private uint TypeBits
        {
            get
            {
                if (Kind == PciBarKind.Io)
                    return IoType;
                uint bits = Kind == PciBarKind.Memory64 ? Memory64Type : 0;
                return Prefetchable ? bits | PrefetchableBit : bits;
            }
        }
    }
}
