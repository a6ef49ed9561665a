using System;

namespace Hv.Acpi
{
    /// <summary>
    /// The I/O Virtualization Reporting Structure, signature "IVRS" (AMD IOMMU Specification
    /// 48882 rev 3.x §5.2.1): header, 36 IVinfo (u32), 40 Reserved[8], 48 IVHD/IVMD blocks, each
    /// Type (u8), Flags (u8), Length (u16) first. TryParse walks every block and every IVHD device
    /// entry once, so an accepted table walks again without errors. Blocks of unknown types are
    /// skipped by their length (§5.2.1: software ignores IVHD types it does not support). Several
    /// IVHD types may describe the same IOMMU (10h and 11h with one DeviceID); see Ivhd.
    /// </summary>
    public readonly ref struct Ivrs
    {
        public const int BlocksOffset = 48;

        private readonly ReadOnlySpan<byte> _table;
        public readonly SdtHeader Header;
        public readonly uint IvInfo;

        private Ivrs(ReadOnlySpan<byte> table, SdtHeader header)
        {
            _table = table;
            Header = header;
            IvInfo = Le.U32(table, 36);
        }

        /// <summary>IVinfo bit 0: the IVHDs of type 11h/40h carry an EFR image.</summary>
        public bool EfrSupported => (IvInfo & 1) != 0;
        /// <summary>IVinfo bit 1: the platform asks for DMA protection before the OS takes over.</summary>
        public bool DmaRemapRequested => (IvInfo & 2) != 0;
        /// <summary>IVinfo bits 14:8: supported physical address size in bits.</summary>
        public int PhysicalAddressBits => (int)((IvInfo >> 8) & 0x7F);
        /// <summary>IVinfo bits 21:15: supported virtual address size in bits.</summary>
        public int VirtualAddressBits => (int)((IvInfo >> 15) & 0x7F);

        public static AcpiError TryParse(ReadOnlySpan<byte> table, out Ivrs ivrs)
        {
            ivrs = default;
            AcpiError e = SdtHeader.TryParse(table, AcpiSignature.Ivrs, BlocksOffset, out SdtHeader h);
            if (!e.Ok)
                return e;
            Ivrs v = new Ivrs(table.Slice(0, (int)h.Length), h);
            IvrsReader r = v.Blocks();
            while (r.Next(out IvrsBlock b))
            {
                if (b.IsIvmd)
                {
                    IvrsIvmd m = b.Ivmd();
                    if (m.LastDevice < m.FirstDevice)
                        return AcpiError.Field(AcpiSignature.Ivrs, b.Offset, "IVMD last DeviceID below first", m.FirstDevice, m.LastDevice);
                    if (m.Bytes != 0 && m.Start + m.Bytes - 1 < m.Start)
                        return AcpiError.Field(AcpiSignature.Ivrs, b.Offset, "IVMD range wraps past 2^64", m.Start, m.Bytes);
                }
                IvhdDeviceReader devices = b.Devices();
                while (devices.Next(out IvhdDeviceRange _)) { }
                if (!devices.Error.Ok)
                    return devices.Error;
            }
            if (!r.Error.Ok)
                return r.Error;
            ivrs = v;
            return AcpiError.None;
        }

        public IvrsReader Blocks() =>
            new IvrsReader(new SubtableReader(_table.Slice(BlocksOffset), BlocksOffset, AcpiSignature.Ivrs, SubtableFormat.ByteTypeWordLengthAt2));
    }

    /// <summary>Walks IVRS blocks, checking each known type's minimum length.</summary>
    public ref struct IvrsReader
    {
        private SubtableReader _r;

        internal IvrsReader(SubtableReader reader) { _r = reader; }

        public AcpiError Error => _r.Error;

        public bool Next(out IvrsBlock block)
        {
            block = default;
            if (!_r.Next(out Subtable s))
                return false;
            int min = MinimumLength((IvrsBlockType)s.Type);
            if (s.Length < min)
                return _r.FailTooShort(s, min);
            block = new IvrsBlock(s);
            return true;
        }

        public static int MinimumLength(IvrsBlockType type)
        {
            switch (type)
            {
                case IvrsBlockType.Ivhd10: return IvrsIvhd.Length10;
                case IvrsBlockType.Ivhd11:
                case IvrsBlockType.Ivhd40: return IvrsIvhd.Length11;
                case IvrsBlockType.IvmdAll:
                case IvrsBlockType.IvmdSelect:
                case IvrsBlockType.IvmdRange: return IvrsIvmd.Length;
                default: return 4;
            }
        }
    }

    /// <summary>One IVRS block; Ivhd() or Ivmd() decodes it according to its type.</summary>
    public readonly ref struct IvrsBlock
    {
        private readonly ReadOnlySpan<byte> _b;
        public readonly IvrsBlockType Type;
        public readonly int Offset;

        internal IvrsBlock(Subtable s)
        {
            _b = s.Bytes;
            Type = (IvrsBlockType)s.Type;
            Offset = s.Offset;
        }

        public int Length => _b.Length;
        public bool IsIvhd => Type == IvrsBlockType.Ivhd10 || Type == IvrsBlockType.Ivhd11 || Type == IvrsBlockType.Ivhd40;
        public bool IsIvmd => Type == IvrsBlockType.IvmdAll || Type == IvrsBlockType.IvmdSelect || Type == IvrsBlockType.IvmdRange;
        private int HeaderLength => Type == IvrsBlockType.Ivhd10 ? IvrsIvhd.Length10 : IvrsIvhd.Length11;

        public IvrsIvhd Ivhd()
        {
            IvrsIvhd v = default;
            if (!IsIvhd || _b.Length < HeaderLength) return v;
            v.Type = Type;
            v.Flags = (IvhdFlags)_b[1];
            v.DeviceId = Le.U16(_b, 4);
            v.CapabilityOffset = Le.U16(_b, 6);
            v.BaseAddress = Le.U64(_b, 8);
            v.Segment = Le.U16(_b, 16);
            v.IommuInfo = Le.U16(_b, 18);
            v.Attributes = Le.U32(_b, 20);
            if (Type != IvrsBlockType.Ivhd10)
                v.Efr = Le.U64(_b, 24);
            return v;
        }

        public IvrsIvmd Ivmd()
        {
            IvrsIvmd v = default;
            if (!IsIvmd || _b.Length < IvrsIvmd.Length) return v;
            v.Type = Type;
            v.Flags = (IvmdFlags)_b[1];
            ushort device = Le.U16(_b, 4);
            v.FirstDevice = Type == IvrsBlockType.IvmdAll ? (ushort)0 : device;
            v.LastDevice = Type == IvrsBlockType.IvmdAll ? (ushort)0xFFFF : Type == IvrsBlockType.IvmdRange ? Le.U16(_b, 6) : device;
            v.Start = Le.U64(_b, 16);
            v.Bytes = Le.U64(_b, 24);
            return v;
        }

        /// <summary>The device entries of an IVHD, decoded to ranges; an empty walk for other blocks.</summary>
        public IvhdDeviceReader Devices()
        {
            if (!IsIvhd || _b.Length < HeaderLength)
                return new IvhdDeviceReader(ReadOnlySpan<byte>.Empty, Offset);
            return new IvhdDeviceReader(_b.Slice(HeaderLength), Offset + HeaderLength);
        }
    }
}
