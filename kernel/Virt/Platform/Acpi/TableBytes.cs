// Writing ACPI structures: little-endian fields, the common header, checksums and Generic
// Address Structures (ACPI 6.5 §5.2.3.2, §5.2.6). Every table of the guest is written through
// these, into a span the caller has sized; the span indexer checks every byte.
using System;
using Hv.Acpi;

namespace Hv.Virt.Platform.Acpi
{
    internal static class TableBytes
    {
        /// <summary>OEM ID (6 bytes) and OEM table ID (8 bytes) of every guest table; dsdt.asl uses the same (iasl pads with NULs).</summary>
        public const string OemId = "HV";
        public const string OemTableId = "HVGUEST";
        public const uint OemRevision = 1;
        /// <summary>Creator ID "HV" and revision: who built the table (ACPI 6.5 Table 5.4).</summary>
        public const uint CreatorId = 'H' | ('V' << 8);
        public const uint CreatorRevision = 1;

        // Little-endian stores: the loader's (one implementation for every guest structure we write).
        public static void Put16(Span<byte> s, int o, ushort v) => Hv.Loader.LoaderBytes.Put16(s, o, v);
        public static void Put32(Span<byte> s, int o, uint v) => Hv.Loader.LoaderBytes.Put32(s, o, v);
        public static void Put64(Span<byte> s, int o, ulong v) => Hv.Loader.LoaderBytes.Put64(s, o, v);

        /// <summary>ASCII text into a fixed-width field, padded with NULs.</summary>
        public static void Ascii(Span<byte> s, int o, string text, int width)
        {
            for (int i = 0; i < width; i++)
                s[o + i] = i < text.Length ? (byte)text[i] : (byte)0;
        }

        /// <summary>
        /// The 36-byte System Description Table header (ACPI 6.5 §5.2.6, Table 5.4) at the start of
        /// <paramref name="table"/>, whose length is the table's Length. The checksum byte is left
        /// 0: call Checksum after the body is written.
        /// </summary>
        public static void Header(Span<byte> table, uint signature, byte revision)
        {
            Put32(table, 0, signature);
            Put32(table, 4, (uint)table.Length);
            table[8] = revision;
            table[9] = 0;
            Ascii(table, 10, OemId, 6);
            Ascii(table, 16, OemTableId, 8);
            Put32(table, 24, OemRevision);
            Put32(table, 28, CreatorId);
            Put32(table, 32, CreatorRevision);
        }

        /// <summary>Sets the byte at <paramref name="at"/> so that the bytes of <paramref name="s"/> sum to 0 (mod 256).</summary>
        public static void Checksum(Span<byte> s, int at)
        {
            s[at] = 0;
            uint sum = 0;
            for (int i = 0; i < s.Length; i++)
                sum += s[i];
            s[at] = (byte)(0x100 - (sum & 0xFF));
        }

        /// <summary>A Generic Address Structure (ACPI 6.5 Table 5.1), 12 bytes; an absent register is all zeros.</summary>
        public static void Gas(Span<byte> s, int o, AddressSpace space, byte bitWidth, AccessSize access, ulong address)
        {
            s[o] = (byte)space;
            s[o + 1] = bitWidth;
            s[o + 2] = 0;   // bit offset
            s[o + 3] = (byte)access;
            Put64(s, o + 4, address);
        }

        /// <summary>MPS INTI flags (ACPI 6.5 Table 5.26): polarity in bits 1:0, trigger mode in bits 3:2.</summary>
        public static ushort IntiFlags(InterruptPolarity polarity, InterruptTrigger trigger) =>
            (ushort)((int)polarity | ((int)trigger << 2));
    }
}
