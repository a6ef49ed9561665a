using System;

namespace Hv.Acpi
{
    /// <summary>
    /// One ECAM (enhanced configuration access) region (PCI Firmware Specification 3.3 §4.1.2,
    /// Table 4-3), 16 bytes: 0 Base Address (u64), 8 PCI Segment Group (u16), 10 Start Bus,
    /// 11 End Bus, 12 Reserved. Base is the address of bus 0 even when StartBus is not 0.
    /// </summary>
    public struct McfgSegment
    {
        public const int Size = 16;

        public ulong BaseAddress;
        public ushort Segment;
        public byte StartBus;
        public byte EndBus;

        /// <summary>Physical address of a function's 4 KiB configuration space (PCIe Base 6.0 §7.2.2).</summary>
        public ulong ConfigAddress(byte bus, byte device, byte function) =>
            BaseAddress + ((ulong)bus << 20) + ((ulong)(device & 31) << 15) + ((ulong)(function & 7) << 12);

        public bool Covers(ushort segment, byte bus) => segment == Segment && bus >= StartBus && bus <= EndBus;
    }

    /// <summary>
    /// The MCFG table (PCI Firmware Specification 3.3 §4.1.2): header, 8 reserved bytes, then
    /// 16-byte allocation entries to Length. A trailing partial entry is ignored, as Linux does.
    /// An entry with EndBus below StartBus, or a base that is 0 or not 1 MiB aligned, is an error.
    /// </summary>
    public readonly ref struct Mcfg
    {
        public const int EntriesOffset = 44;

        private readonly ReadOnlySpan<byte> _table;
        public readonly SdtHeader Header;
        public readonly int Count;

        private Mcfg(ReadOnlySpan<byte> table, SdtHeader header)
        {
            _table = table;
            Header = header;
            Count = (table.Length - EntriesOffset) / McfgSegment.Size;
        }

        public static AcpiError TryParse(ReadOnlySpan<byte> table, out Mcfg mcfg)
        {
            mcfg = default;
            AcpiError e = SdtHeader.TryParse(table, AcpiSignature.Mcfg, EntriesOffset, out SdtHeader h);
            if (!e.Ok)
                return e;
            Mcfg m = new Mcfg(table.Slice(0, (int)h.Length), h);
            for (int i = 0; i < m.Count; i++)
            {
                McfgSegment s = m.Segment(i);
                if (s.EndBus < s.StartBus)
                    return AcpiError.Field(AcpiSignature.Mcfg, EntriesOffset + i * McfgSegment.Size, "end bus below start bus", s.StartBus, s.EndBus);
                if (s.BaseAddress == 0 || (s.BaseAddress & 0xFFFFF) != 0)
                    return AcpiError.Field(AcpiSignature.Mcfg, EntriesOffset + i * McfgSegment.Size, "base address is 0 or not 1 MiB aligned", s.BaseAddress, 0);
            }
            mcfg = m;
            return AcpiError.None;
        }

        /// <summary>Entry <paramref name="index"/>, 0..Count-1 (zeros out of range).</summary>
        public McfgSegment Segment(int index)
        {
            McfgSegment s = default;
            if ((uint)index >= (uint)Count)
                return s;
            int o = EntriesOffset + index * McfgSegment.Size;
            s.BaseAddress = Le.U64(_table, o);
            s.Segment = Le.U16(_table, o + 8);
            s.StartBus = _table[o + 10];
            s.EndBus = _table[o + 11];
            return s;
        }
    }
}
