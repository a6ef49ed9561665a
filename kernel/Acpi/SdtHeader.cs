using System;

namespace Hv.Acpi
{
    /// <summary>
    /// The header every System Description Table starts with (ACPI 6.5 §5.2.6, Table 5.4):
    /// <code>
    ///  0 Signature[4]  4 Length (u32, whole table)  8 Revision  9 Checksum (whole table sums to 0)
    /// 10 OEMID[6]  16 OEM Table ID[8]  24 OEM Revision  28 Creator ID  32 Creator Revision  (36 bytes)
    /// </code>
    /// </summary>
    public struct SdtHeader
    {
        public const int Size = 36;
        /// <summary>
        /// Sanity cap on a table's Length. The largest real tables (DSDTs of big servers) are a
        /// few hundred KiB; the cap keeps a corrupt length from making the loader read gigabytes.
        /// </summary>
        public const int MaxLength = 4 << 20;

        public uint Signature;
        public uint Length;
        public byte Revision;
        public ulong OemId;        // 6 ASCII bytes
        public ulong OemTableId;   // 8 ASCII bytes
        public uint OemRevision;
        public uint CreatorId;
        public uint CreatorRevision;

        /// <summary>
        /// Reads and checks the header of <paramref name="table"/> (the bytes read from the table's
        /// address, at least Length of them): size, signature (unless <paramref name="expected"/> is 0),
        /// Length between <paramref name="minLength"/> and the bytes given, and the checksum over Length
        /// bytes. The table body is then table.Slice(0, (int)header.Length).
        /// </summary>
        public static AcpiError TryParse(ReadOnlySpan<byte> table, uint expected, int minLength, out SdtHeader header)
        {
            header = default;
            uint sig = expected;
            if (table.Length < Size)
                return AcpiError.Table(AcpiErrorKind.Truncated, sig, (ulong)table.Length, Size);
            header = Peek(table);
            if (expected == 0)
                sig = header.Signature;
            else if (header.Signature != expected)
                return AcpiError.Table(AcpiErrorKind.BadSignature, sig, header.Signature, 0);
            if (minLength < Size)
                minLength = Size;
            if (header.Length < (uint)minLength)
                return AcpiError.Table(AcpiErrorKind.LengthTooSmall, sig, header.Length, (ulong)minLength);
            if (header.Length > MaxLength)
                return AcpiError.Table(AcpiErrorKind.LengthTooLarge, sig, header.Length, MaxLength);
            if (header.Length > (uint)table.Length)
                return AcpiError.Table(AcpiErrorKind.LengthPastEnd, sig, header.Length, (ulong)table.Length);
            byte sum = Le.Sum(table.Slice(0, (int)header.Length));
            if (sum != 0)
                return AcpiError.Table(AcpiErrorKind.BadChecksum, sig, sum, 0);
            return AcpiError.None;
        }

        /// <summary>The header fields without any check; <paramref name="table"/> holds at least 36 bytes.</summary>
        public static SdtHeader Peek(ReadOnlySpan<byte> table)
        {
            SdtHeader h;
            h.Signature = Le.U32(table, 0);
            h.Length = Le.U32(table, 4);
            h.Revision = table[8];
            h.OemId = Le.U32(table, 10) | ((ulong)Le.U16(table, 14) << 32);
            h.OemTableId = Le.U64(table, 16);
            h.OemRevision = Le.U32(table, 24);
            h.CreatorId = Le.U32(table, 28);
            h.CreatorRevision = Le.U32(table, 32);
            return h;
        }

        public string OemIdText() => AsciiText(OemId, 6);

        public string OemTableIdText() => AsciiText(OemTableId, 8);

        /// <summary>Up to 8 packed ASCII bytes as text, trailing blanks and NULs dropped, others as '?'.</summary>
        internal static string AsciiText(ulong packed, int count)
        {
            char[] c = new char[8];
            int n = 0;
            for (int i = 0; i < count && i < 8; i++)
            {
                uint b = (uint)(packed >> (8 * i)) & 0xFF;
                c[i] = b >= 0x20 && b < 0x7F ? (char)b : b == 0 ? ' ' : '?';
                if (c[i] != ' ')
                    n = i + 1;
            }
            return new string(c, 0, n);
        }
    }

    /// <summary>
    /// The XSDT (64-bit entries, ACPI 6.5 §5.2.8) or RSDT (32-bit entries, §5.2.7): a header and
    /// physical addresses of the other tables. A trailing partial entry is ignored, as ACPICA does.
    /// </summary>
    public readonly ref struct RootTable
    {
        private readonly ReadOnlySpan<byte> _table;
        private readonly int _entrySize;

        public readonly SdtHeader Header;
        public readonly int Count;
        public bool IsXsdt => _entrySize == 8;

        private RootTable(ReadOnlySpan<byte> table, SdtHeader header, int entrySize)
        {
            _table = table;
            Header = header;
            _entrySize = entrySize;
            Count = ((int)header.Length - SdtHeader.Size) / entrySize;
        }

        public static AcpiError TryParse(ReadOnlySpan<byte> table, bool xsdt, out RootTable root)
        {
            root = default;
            AcpiError e = SdtHeader.TryParse(table, xsdt ? AcpiSignature.Xsdt : AcpiSignature.Rsdt, SdtHeader.Size, out SdtHeader h);
            if (!e.Ok)
                return e;
            root = new RootTable(table.Slice(0, (int)h.Length), h, xsdt ? 8 : 4);
            return AcpiError.None;
        }

        /// <summary>The physical address in entry <paramref name="index"/> (0 when out of range).</summary>
        public ulong Address(int index)
        {
            if ((uint)index >= (uint)Count)
                return 0;
            int o = SdtHeader.Size + index * _entrySize;
            return _entrySize == 8 ? Le.U64(_table, o) : Le.U32(_table, o);
        }
    }
}
