using Hv.Virt.Caps;

namespace Hv.Acpi
{
    /// <summary>What is wrong with a table. Every parser reports through these, never by throwing.</summary>
    public enum AcpiErrorKind
    {
        None = 0,
        /// <summary>The firmware gave no RSDP address (Bochs + OVMF: no fw_cfg, so no tables).</summary>
        NoRsdp,
        /// <summary>The physical-memory seam refused the address range (unmapped or beyond its bound).</summary>
        ReadFailed,
        BadSignature,
        /// <summary>Fewer bytes than the structure's fixed part needs (A = have, B = need).</summary>
        Truncated,
        /// <summary>The bytes covered by the checksum do not sum to 0 mod 256 (A = the sum).</summary>
        BadChecksum,
        /// <summary>RSDP 2.0+: the extended checksum over the whole structure is wrong (A = the sum).</summary>
        BadExtendedChecksum,
        /// <summary>A length field is below the structure's minimum (A = length, B = minimum).</summary>
        LengthTooSmall,
        /// <summary>A length field points past the bytes available (A = length, B = available).</summary>
        LengthPastEnd,
        /// <summary>A length field is beyond the sanity cap for tables (A = length, B = cap).</summary>
        LengthTooLarge,
        /// <summary>A sub-structure at Offset has a length below its minimum, e.g. 0 (A = length, B = minimum).</summary>
        EntryTooShort,
        /// <summary>A sub-structure at Offset runs past the end of its parent (A = length, B = bytes left).</summary>
        EntryPastEnd,
        /// <summary>A field holds a value the spec forbids (Detail says which; A and B are the values).</summary>
        BadField,
        /// <summary>A revision this parser does not know how to read (A = revision).</summary>
        UnsupportedRevision,
        /// <summary>No table with this signature is listed by the XSDT/RSDT.</summary>
        NotFound,
    }

    /// <summary>
    /// One parse failure: the table (by signature), what is wrong, where, and the numbers that
    /// prove it. A value type so parsers return it without allocating; Message builds the text
    /// (allocating) only when a caller wants to log it.
    /// </summary>
    public struct AcpiError
    {
        public AcpiErrorKind Kind;
        /// <summary>Signature of the table the problem is in (AcpiSignature constants); 0 for the RSDP.</summary>
        public uint Signature;
        /// <summary>Byte offset in the table of the entry concerned, or -1 for the table as a whole.</summary>
        public int Offset;
        /// <summary>Type of the entry concerned (MADT/DMAR/IVRS entry type), or -1.</summary>
        public int EntryType;
        public ulong A, B;
        /// <summary>For BadField: the field's name and the rule it breaks ("end bus below start bus"); A and B follow it unless both are 0.</summary>
        public string Detail;

        public bool Ok => Kind == AcpiErrorKind.None;

        public static AcpiError None => default;

        public static AcpiError Table(AcpiErrorKind kind, uint signature, ulong a, ulong b) =>
            new AcpiError { Kind = kind, Signature = signature, Offset = -1, EntryType = -1, A = a, B = b };

        public static AcpiError Entry(AcpiErrorKind kind, uint signature, int offset, int type, ulong a, ulong b) =>
            new AcpiError { Kind = kind, Signature = signature, Offset = offset, EntryType = type, A = a, B = b };

        public static AcpiError Field(uint signature, int offset, string detail, ulong a, ulong b) =>
            new AcpiError { Kind = AcpiErrorKind.BadField, Signature = signature, Offset = offset, EntryType = -1, A = a, B = b, Detail = detail };

        /// <summary>"MADT: entry type 0x1 at offset 0x2c has length 0 (at least 12)".</summary>
        public string Message
        {
            get
            {
                string where = AcpiSignature.Name(Signature) + ": ";
                if (Offset >= 0)
                    where = where + (EntryType >= 0 ? "entry type " + Hex.Format((ulong)EntryType, 1) + " at offset " : "at offset ")
                        + Hex.Format((ulong)Offset, 1) + ": ";
                return where + What();
            }
        }

        private string What()
        {
            switch (Kind)
            {
                case AcpiErrorKind.None: return "no error";
                case AcpiErrorKind.NoRsdp: return "the firmware gave no RSDP address (no ACPI tables)";
                case AcpiErrorKind.ReadFailed: return "cannot read " + A.ToString() + " bytes at physical " + Hex.Format(B, 1);
                case AcpiErrorKind.BadSignature: return "signature is '" + AcpiSignature.Text((uint)A) + "'";
                case AcpiErrorKind.Truncated: return "truncated: " + A.ToString() + " bytes, needs " + B.ToString();
                case AcpiErrorKind.BadChecksum: return "bad checksum (bytes sum to " + Hex.Format(A, 2) + ", not 0)";
                case AcpiErrorKind.BadExtendedChecksum: return "bad extended checksum (bytes sum to " + Hex.Format(A, 2) + ", not 0)";
                case AcpiErrorKind.LengthTooSmall: return "length " + A.ToString() + " is below the minimum " + B.ToString();
                case AcpiErrorKind.LengthPastEnd: return "length " + A.ToString() + " points past the " + B.ToString() + " bytes available";
                case AcpiErrorKind.LengthTooLarge: return "length " + A.ToString() + " exceeds the sanity limit " + B.ToString();
                case AcpiErrorKind.EntryTooShort: return "length " + A.ToString() + " is below the minimum " + B.ToString();
                case AcpiErrorKind.EntryPastEnd: return "length " + A.ToString() + " runs past the end (" + B.ToString() + " bytes left)";
                case AcpiErrorKind.BadField:
                    return (Detail ?? "bad field") + (A == 0 && B == 0 ? "" : " (" + Hex.Format(A, 1) + ", " + Hex.Format(B, 1) + ")");
                case AcpiErrorKind.UnsupportedRevision: return "unsupported revision " + A.ToString();
                case AcpiErrorKind.NotFound: return "not present";
                default: return "error " + ((int)Kind).ToString();
            }
        }
    }
}
