using System;

namespace Hv.Acpi
{
    /// <summary>
    /// The Multiple APIC Description Table, signature "APIC" (ACPI 6.5 §5.2.12, Table 5.19):
    /// header, 36 Local Interrupt Controller Address (u32), 40 Flags (u32), 44 entries.
    /// TryParse walks every entry once, so a table it accepts can be walked again with Entries()
    /// without errors. Entries longer than their type needs are accepted (later revisions append
    /// fields); unknown types are passed through for the caller to skip.
    /// </summary>
    public readonly ref struct Madt
    {
        public const int EntriesOffset = 44;

        private readonly ReadOnlySpan<byte> _table;
        public readonly SdtHeader Header;
        /// <summary>The 32-bit local APIC address from the header (see LocalApicAddress for the override).</summary>
        public readonly uint LocalApicAddress32;
        public readonly MadtFlags Flags;

        private Madt(ReadOnlySpan<byte> table, SdtHeader header)
        {
            _table = table;
            Header = header;
            LocalApicAddress32 = Le.U32(table, 36);
            Flags = (MadtFlags)Le.U32(table, 40);
        }

        public static AcpiError TryParse(ReadOnlySpan<byte> table, out Madt madt)
        {
            madt = default;
            AcpiError e = SdtHeader.TryParse(table, AcpiSignature.Madt, EntriesOffset, out SdtHeader h);
            if (!e.Ok)
                return e;
            Madt m = new Madt(table.Slice(0, (int)h.Length), h);
            MadtReader r = m.Entries();
            while (r.Next(out MadtEntry _)) { }
            if (!r.Error.Ok)
                return r.Error;
            madt = m;
            return AcpiError.None;
        }

        public MadtReader Entries() =>
            new MadtReader(new SubtableReader(_table.Slice(EntriesOffset), EntriesOffset, AcpiSignature.Madt, SubtableFormat.ByteTypeByteLength));

        /// <summary>The local APIC physical address: the 64-bit override entry if present, else the header's (§5.2.12.8).</summary>
        public ulong LocalApicAddress
        {
            get
            {
                MadtReader r = Entries();
                while (r.Next(out MadtEntry e))
                    if (e.Type == MadtEntryType.LocalApicAddressOverride)
                        return e.LocalApicAddressOverride().Address;
                return LocalApicAddress32;
            }
        }
    }

    /// <summary>Walks MADT entries, checking each known type's minimum length.</summary>
    public ref struct MadtReader
    {
        private SubtableReader _r;

        internal MadtReader(SubtableReader reader) { _r = reader; }

        public AcpiError Error => _r.Error;

        public bool Next(out MadtEntry entry)
        {
            entry = default;
            if (!_r.Next(out Subtable s))
                return false;
            int min = MinimumLength((MadtEntryType)s.Type);
            if (s.Length < min)
                return _r.FailTooShort(s, min);
            entry = new MadtEntry(s);
            return true;
        }

        /// <summary>The length each structure has in ACPI 6.5 (Table 5.21); 2 (just the header) for types not decoded here.</summary>
        public static int MinimumLength(MadtEntryType type)
        {
            switch (type)
            {
                case MadtEntryType.LocalApic: return MadtLocalApic.Length;
                case MadtEntryType.IoApic: return MadtIoApic.Length;
                case MadtEntryType.InterruptSourceOverride: return MadtInterruptOverride.Length;
                case MadtEntryType.NmiSource: return MadtNmiSource.Length;
                case MadtEntryType.LocalApicNmi: return MadtLocalApicNmi.Length;
                case MadtEntryType.LocalApicAddressOverride: return MadtLocalApicAddressOverride.Length;
                case MadtEntryType.LocalX2Apic: return MadtLocalX2Apic.Length;
                case MadtEntryType.LocalX2ApicNmi: return MadtLocalX2ApicNmi.Length;
                default: return 2;
            }
        }
    }

    /// <summary>One MADT entry; the typed accessor matching Type decodes it (others return zeros).</summary>
    public readonly ref struct MadtEntry
    {
        private readonly ReadOnlySpan<byte> _b;
        public readonly MadtEntryType Type;
        public readonly int Offset;

        internal MadtEntry(Subtable s)
        {
            _b = s.Bytes;
            Type = (MadtEntryType)s.Type;
            Offset = s.Offset;
        }

        public int Length => _b.Length;

        private bool Is(MadtEntryType t) => Type == t && _b.Length >= MadtReader.MinimumLength(t);

        public MadtLocalApic LocalApic()
        {
            MadtLocalApic v = default;
            if (!Is(MadtEntryType.LocalApic)) return v;
            v.ProcessorUid = _b[2];
            v.ApicId = _b[3];
            v.Flags = (LocalApicFlags)Le.U32(_b, 4);
            return v;
        }

        public MadtIoApic IoApic()
        {
            MadtIoApic v = default;
            if (!Is(MadtEntryType.IoApic)) return v;
            v.Id = _b[2];
            v.Address = Le.U32(_b, 4);
            v.GsiBase = Le.U32(_b, 8);
            return v;
        }

        public MadtInterruptOverride InterruptOverride()
        {
            MadtInterruptOverride v = default;
            if (!Is(MadtEntryType.InterruptSourceOverride)) return v;
            v.Bus = _b[2];
            v.Source = _b[3];
            v.Gsi = Le.U32(_b, 4);
            v.Flags = new MpsIntiFlags(Le.U16(_b, 8));
            return v;
        }

        public MadtNmiSource NmiSource()
        {
            MadtNmiSource v = default;
            if (!Is(MadtEntryType.NmiSource)) return v;
            v.Flags = new MpsIntiFlags(Le.U16(_b, 2));
            v.Gsi = Le.U32(_b, 4);
            return v;
        }

        public MadtLocalApicNmi LocalApicNmi()
        {
            MadtLocalApicNmi v = default;
            if (!Is(MadtEntryType.LocalApicNmi)) return v;
            v.ProcessorUid = _b[2];
            v.Flags = new MpsIntiFlags(Le.U16(_b, 3));
            v.Lint = _b[5];
            return v;
        }

        public MadtLocalApicAddressOverride LocalApicAddressOverride()
        {
            MadtLocalApicAddressOverride v = default;
            if (!Is(MadtEntryType.LocalApicAddressOverride)) return v;
            v.Address = Le.U64(_b, 4);
            return v;
        }

        public MadtLocalX2Apic LocalX2Apic()
        {
            MadtLocalX2Apic v = default;
            if (!Is(MadtEntryType.LocalX2Apic)) return v;
            v.X2ApicId = Le.U32(_b, 4);
            v.Flags = (LocalApicFlags)Le.U32(_b, 8);
            v.ProcessorUid = Le.U32(_b, 12);
            return v;
        }

        public MadtLocalX2ApicNmi LocalX2ApicNmi()
        {
            MadtLocalX2ApicNmi v = default;
            if (!Is(MadtEntryType.LocalX2ApicNmi)) return v;
            v.Flags = new MpsIntiFlags(Le.U16(_b, 2));
            v.ProcessorUid = Le.U32(_b, 4);
            v.Lint = _b[8];
            return v;
        }
    }
}
