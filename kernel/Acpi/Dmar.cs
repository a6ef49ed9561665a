using System;

namespace Hv.Acpi
{
    /// <summary>
    /// The DMA Remapping Reporting table, signature "DMAR" (Intel VT-d 4.1 §8.1, Table 8-1):
    /// header, 36 Host Address Width (N-1), 37 Flags, 38 Reserved[10], 48 remapping structures,
    /// each Type (u16) and Length (u16) first. TryParse walks every structure and device scope
    /// once and checks RMRR ranges, so Structures() walks an accepted table without errors.
    /// Unknown structure types are passed through for the caller to skip (VT-d §8.2: "reserved
    /// types ... should be skipped").
    /// </summary>
    public readonly ref struct Dmar
    {
        public const int StructuresOffset = 48;

        private readonly ReadOnlySpan<byte> _table;
        public readonly SdtHeader Header;
        /// <summary>DMA physical addressing width in bits (the field holds N-1).</summary>
        public readonly int HostAddressWidth;
        public readonly DmarFlags Flags;

        private Dmar(ReadOnlySpan<byte> table, SdtHeader header)
        {
            _table = table;
            Header = header;
            HostAddressWidth = table[36] + 1;
            Flags = (DmarFlags)table[37];
        }

        public static AcpiError TryParse(ReadOnlySpan<byte> table, out Dmar dmar)
        {
            dmar = default;
            AcpiError e = SdtHeader.TryParse(table, AcpiSignature.Dmar, StructuresOffset, out SdtHeader h);
            if (!e.Ok)
                return e;
            Dmar d = new Dmar(table.Slice(0, (int)h.Length), h);
            DmarReader r = d.Structures();
            while (r.Next(out DmarStructure s))
            {
                if (s.Type == DmarStructureType.Rmrr)
                {
                    DmarRmrr m = s.Rmrr();
                    if (m.Limit < m.Base)
                        return AcpiError.Field(AcpiSignature.Dmar, s.Offset, "RMRR limit below base", m.Base, m.Limit);
                }
                DeviceScopeReader scopes = s.Scopes();
                while (scopes.Next(out DeviceScope _)) { }
                if (!scopes.Error.Ok)
                    return scopes.Error;
            }
            if (!r.Error.Ok)
                return r.Error;
            dmar = d;
            return AcpiError.None;
        }

        public DmarReader Structures() =>
            new DmarReader(new SubtableReader(_table.Slice(StructuresOffset), StructuresOffset, AcpiSignature.Dmar, SubtableFormat.WordTypeWordLength));
    }

    /// <summary>Walks DMAR remapping structures, checking each known type's minimum length.</summary>
    public ref struct DmarReader
    {
        private SubtableReader _r;

        internal DmarReader(SubtableReader reader) { _r = reader; }

        public AcpiError Error => _r.Error;

        public bool Next(out DmarStructure structure)
        {
            structure = default;
            if (!_r.Next(out Subtable s))
                return false;
            int min = MinimumLength((DmarStructureType)s.Type);
            if (s.Length < min)
                return _r.FailTooShort(s, min);
            structure = new DmarStructure(s);
            return true;
        }

        /// <summary>Fixed part of each structure (VT-d 4.1 §8.3-§8.9); 4 (the header) for unknown types.</summary>
        public static int MinimumLength(DmarStructureType type)
        {
            switch (type)
            {
                case DmarStructureType.Drhd: return DmarDrhd.HeaderLength;
                case DmarStructureType.Rmrr: return DmarRmrr.HeaderLength;
                case DmarStructureType.Atsr: return DmarAtsr.HeaderLength;
                case DmarStructureType.Rhsa: return DmarRhsa.Length;
                case DmarStructureType.Andd: return 8;
                case DmarStructureType.Satc: return 8;
                case DmarStructureType.Sidp: return 8;
                default: return 4;
            }
        }

        /// <summary>Where the device scopes of a structure start, or 0 for types without scopes.</summary>
        internal static int ScopesOffset(DmarStructureType type)
        {
            switch (type)
            {
                case DmarStructureType.Drhd: return DmarDrhd.HeaderLength;
                case DmarStructureType.Rmrr: return DmarRmrr.HeaderLength;
                case DmarStructureType.Atsr:
                case DmarStructureType.Satc:
                case DmarStructureType.Sidp: return 8;
                default: return 0;
            }
        }
    }

    /// <summary>One DMAR remapping structure; the accessor matching Type decodes it (others return zeros).</summary>
    public readonly ref struct DmarStructure
    {
        private readonly ReadOnlySpan<byte> _b;
        public readonly DmarStructureType Type;
        public readonly int Offset;

        internal DmarStructure(Subtable s)
        {
            _b = s.Bytes;
            Type = (DmarStructureType)s.Type;
            Offset = s.Offset;
        }

        public int Length => _b.Length;

        private bool Is(DmarStructureType t) => Type == t && _b.Length >= DmarReader.MinimumLength(t);

        public DmarDrhd Drhd()
        {
            DmarDrhd v = default;
            if (!Is(DmarStructureType.Drhd)) return v;
            v.Flags = (DrhdFlags)_b[4];
            v.Size = _b[5];
            v.Segment = Le.U16(_b, 6);
            v.RegisterBase = Le.U64(_b, 8);
            return v;
        }

        public DmarRmrr Rmrr()
        {
            DmarRmrr v = default;
            if (!Is(DmarStructureType.Rmrr)) return v;
            v.Segment = Le.U16(_b, 6);
            v.Base = Le.U64(_b, 8);
            v.Limit = Le.U64(_b, 16);
            return v;
        }

        public DmarAtsr Atsr()
        {
            DmarAtsr v = default;
            if (!Is(DmarStructureType.Atsr)) return v;
            v.Flags = (AtsrFlags)_b[4];
            v.Segment = Le.U16(_b, 6);
            return v;
        }

        public DmarRhsa Rhsa()
        {
            DmarRhsa v = default;
            if (!Is(DmarStructureType.Rhsa)) return v;
            v.RegisterBase = Le.U64(_b, 8);
            v.ProximityDomain = Le.U32(_b, 16);
            return v;
        }

        /// <summary>The device scopes of a DRHD, RMRR, ATSR, SATC or SIDP; an empty walk for other types.</summary>
        public DeviceScopeReader Scopes()
        {
            int start = Is(Type) ? DmarReader.ScopesOffset(Type) : 0;
            ReadOnlySpan<byte> area = start == 0 ? ReadOnlySpan<byte>.Empty : _b.Slice(start);
            return new DeviceScopeReader(new SubtableReader(area, Offset + start, AcpiSignature.Dmar, SubtableFormat.ByteTypeByteLength));
        }
    }

    /// <summary>Walks device scope entries: each at least 6 bytes, its path whole (Device, Function) pairs.</summary>
    public ref struct DeviceScopeReader
    {
        private SubtableReader _r;

        internal DeviceScopeReader(SubtableReader reader) { _r = reader; }

        public AcpiError Error => _r.Error;

        public bool Next(out DeviceScope scope)
        {
            scope = default;
            if (!_r.Next(out Subtable s))
                return false;
            if (s.Length < DeviceScope.HeaderLength)
                return _r.FailTooShort(s, DeviceScope.HeaderLength);
            if ((s.Length - DeviceScope.HeaderLength) % 2 != 0)
            {
                _r.Fail(AcpiError.Field(AcpiSignature.Dmar, s.Offset, "device scope path is not whole (device, function) pairs", (ulong)s.Length, 0));
                return false;
            }
            scope = new DeviceScope(s);
            return true;
        }
    }
}
