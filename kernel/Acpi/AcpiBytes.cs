using System;

namespace Hv.Acpi
{
    /// <summary>
    /// Little-endian field reads (ACPI 6.5 §5.2: all multi-byte fields are little-endian, packed,
    /// unaligned). Callers check bounds first with Fits; the span indexer still checks each byte,
    /// so a parser bug shows up as a failed unit test, never as a read past the table.
    /// </summary>
    internal static class Le
    {
        public static bool Fits(int available, int offset, int size) =>
            offset >= 0 && size >= 0 && offset <= available && size <= available - offset;

        public static byte U8(ReadOnlySpan<byte> s, int o) => s[o];

        public static ushort U16(ReadOnlySpan<byte> s, int o) => (ushort)(s[o] | (s[o + 1] << 8));

        public static uint U32(ReadOnlySpan<byte> s, int o) =>
            (uint)s[o] | ((uint)s[o + 1] << 8) | ((uint)s[o + 2] << 16) | ((uint)s[o + 3] << 24);

        public static ulong U64(ReadOnlySpan<byte> s, int o) => U32(s, o) | ((ulong)U32(s, o + 4) << 32);

        /// <summary>The 8-bit sum of the bytes; a valid ACPI checksum makes it 0 (ACPI 6.5 §5.2.5.3, §5.2.6).</summary>
        public static byte Sum(ReadOnlySpan<byte> s)
        {
            uint sum = 0;
            for (int i = 0; i < s.Length; i++)
                sum += s[i];
            return (byte)sum;
        }
    }

    /// <summary>
    /// Table signatures as the little-endian uint of their four ASCII bytes (ACPI 6.5 §5.2.6,
    /// Table 5.5 and 5.6), so a signature compares with one integer test.
    /// </summary>
    public static class AcpiSignature
    {
        public const uint Rsdt = 'R' | ('S' << 8) | ('D' << 16) | ((uint)'T' << 24);
        public const uint Xsdt = 'X' | ('S' << 8) | ('D' << 16) | ((uint)'T' << 24);
        public const uint Madt = 'A' | ('P' << 8) | ('I' << 16) | ((uint)'C' << 24);   // "APIC"
        public const uint Fadt = 'F' | ('A' << 8) | ('C' << 16) | ((uint)'P' << 24);   // "FACP"
        public const uint Facs = 'F' | ('A' << 8) | ('C' << 16) | ((uint)'S' << 24);
        public const uint Dsdt = 'D' | ('S' << 8) | ('D' << 16) | ((uint)'T' << 24);
        public const uint Ssdt = 'S' | ('S' << 8) | ('D' << 16) | ((uint)'T' << 24);
        public const uint Mcfg = 'M' | ('C' << 8) | ('F' << 16) | ((uint)'G' << 24);
        public const uint Hpet = 'H' | ('P' << 8) | ('E' << 16) | ((uint)'T' << 24);
        public const uint Dmar = 'D' | ('M' << 8) | ('A' << 16) | ((uint)'R' << 24);
        public const uint Ivrs = 'I' | ('V' << 8) | ('R' << 16) | ((uint)'S' << 24);
        /// <summary>Not a table signature: names the RSDP ("RSD PTR ") in errors and dumps.</summary>
        public const uint Rsdp = 'R' | ('S' << 8) | ('D' << 16) | ((uint)'P' << 24);

        public static uint Read(ReadOnlySpan<byte> s, int offset) => Le.U32(s, offset);

        /// <summary>The four characters; bytes that are not printable ASCII show as '?'.</summary>
        public static string Text(uint signature)
        {
            char[] c = new char[4];
            for (int i = 0; i < 4; i++)
            {
                uint b = (signature >> (8 * i)) & 0xFF;
                c[i] = b >= 0x20 && b < 0x7F ? (char)b : '?';
            }
            return new string(c, 0, 4);
        }

        /// <summary>The name people use: MADT for "APIC", FADT for "FACP", else the signature.</summary>
        public static string Name(uint signature)
        {
            switch (signature)
            {
                case Madt: return "MADT";
                case Fadt: return "FADT";
                case 0: return "ACPI";
                default: return Text(signature);
            }
        }
    }
}
