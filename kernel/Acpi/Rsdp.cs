using System;

namespace Hv.Acpi
{
    /// <summary>
    /// The Root System Description Pointer (ACPI 6.5 §5.2.5.3, Table 5.3):
    /// <code>
    ///  0 "RSD PTR "   8 Checksum (bytes 0..19)   9 OEMID[6]   15 Revision   16 RsdtAddress (u32)
    /// -- revision 2 and later (ACPI 2.0+) --
    /// 20 Length (u32, 36)   24 XsdtAddress (u64)   32 ExtendedChecksum (whole Length)   33 Reserved[3]
    /// </code>
    /// Revision 0 is ACPI 1.0 (20 bytes). Revision 1 was never defined; it is read as 1.0, as
    /// ACPICA does. Revisions above 2 are read as 2.0: later specs may only grow the structure,
    /// which the Length field covers.
    /// </summary>
    public struct Rsdp
    {
        public const int V1Length = 20;
        public const int V2Length = 36;
        /// <summary>Sanity cap on the Length of a 2.0+ RSDP (today it is 36).</summary>
        public const int MaxLength = 1024;

        public byte Revision;
        public ulong OemId;          // 6 ASCII bytes, little-endian
        public uint RsdtAddress;
        public ulong XsdtAddress;    // 0 for revision 0/1
        /// <summary>Bytes the structure covers: 20 for ACPI 1.0, the Length field for 2.0+.</summary>
        public int Length;

        public bool IsExtended => Revision >= 2;

        /// <summary>The XSDT when the RSDP gives one (2.0+ and non-zero), else the RSDT (ACPI 6.5 §5.2.5.3).</summary>
        public bool UsesXsdt => IsExtended && XsdtAddress != 0;

        public ulong RootAddress => UsesXsdt ? XsdtAddress : RsdtAddress;

        public string OemIdText() => SdtHeader.AsciiText(OemId, 6);

        /// <summary>
        /// How many bytes to read at the RSDP address before parsing: 20, or the Length field of
        /// a 2.0+ RSDP found in the first 36 bytes (clamped to MaxLength; TryParse rejects it then).
        /// </summary>
        public static int NeededLength(ReadOnlySpan<byte> first)
        {
            if (first.Length < V2Length || first[15] < 2)
                return V1Length;
            uint length = Le.U32(first, 20);
            return length < V2Length ? V2Length : length > MaxLength ? MaxLength : (int)length;
        }

        public static AcpiError TryParse(ReadOnlySpan<byte> bytes, out Rsdp rsdp)
        {
            rsdp = default;
            const uint sig = AcpiSignature.Rsdp;
            if (bytes.Length < V1Length)
                return AcpiError.Table(AcpiErrorKind.Truncated, sig, (ulong)bytes.Length, V1Length);
            // "RSD PTR " as two little-endian words.
            if (Le.U32(bytes, 0) != 0x20445352 || Le.U32(bytes, 4) != 0x20525450)
                return AcpiError.Table(AcpiErrorKind.BadSignature, sig, Le.U32(bytes, 0), 0);
            byte sum = Le.Sum(bytes.Slice(0, V1Length));
            if (sum != 0)
                return AcpiError.Table(AcpiErrorKind.BadChecksum, sig, sum, 0);

            rsdp.Revision = bytes[15];
            rsdp.OemId = Le.U32(bytes, 9) | ((ulong)Le.U16(bytes, 13) << 32);
            rsdp.RsdtAddress = Le.U32(bytes, 16);
            rsdp.Length = V1Length;
            if (rsdp.IsExtended)
            {
                if (bytes.Length < V2Length)
                    return AcpiError.Table(AcpiErrorKind.Truncated, sig, (ulong)bytes.Length, V2Length);
                uint length = Le.U32(bytes, 20);
                if (length < V2Length)
                    return AcpiError.Table(AcpiErrorKind.LengthTooSmall, sig, length, V2Length);
                if (length > MaxLength)
                    return AcpiError.Table(AcpiErrorKind.LengthTooLarge, sig, length, MaxLength);
                if (length > (uint)bytes.Length)
                    return AcpiError.Table(AcpiErrorKind.LengthPastEnd, sig, length, (ulong)bytes.Length);
                byte xsum = Le.Sum(bytes.Slice(0, (int)length));
                if (xsum != 0)
                    return AcpiError.Table(AcpiErrorKind.BadExtendedChecksum, sig, xsum, 0);
                rsdp.Length = (int)length;
                rsdp.XsdtAddress = Le.U64(bytes, 24);
            }
            if (rsdp.RootAddress == 0)
                return AcpiError.Field(sig, -1, "neither an RSDT nor an XSDT address", rsdp.RsdtAddress, rsdp.XsdtAddress);
            return AcpiError.None;
        }
    }
}
