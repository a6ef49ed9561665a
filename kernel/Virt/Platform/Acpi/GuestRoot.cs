// The root of the guest's tables: the RSDP (ACPI 6.5 §5.2.5.3) and the XSDT (§5.2.8).
using System;
using Hv.Acpi;

namespace Hv.Virt.Platform.Acpi
{
    internal static class GuestRoot
    {
        public const int RsdpLength = 36;
        /// <summary>ACPI 2.0+ RSDP: it has Length, the XSDT address and the extended checksum.</summary>
        public const byte RsdpRevision = 2;
        public const byte XsdtRevision = 1;

        public static int XsdtLength(int entries) => SdtHeader.Size + 8 * entries;

        /// <summary>
        /// The RSDP: "RSD PTR ", checksum over bytes 0-19, OEM ID, revision 2, no RSDT (an ACPI 2.0+
        /// OS uses the XSDT; §5.2.7 keeps the RSDT only for ACPI 1.0 OSes), Length 36, the XSDT,
        /// and the extended checksum over all 36 bytes.
        /// </summary>
        public static void WriteRsdp(Span<byte> rsdp, ulong xsdtAddress)
        {
            TableBytes.Ascii(rsdp, 0, "RSD PTR ", 8);
            TableBytes.Ascii(rsdp, 9, TableBytes.OemId, 6);
            rsdp[15] = RsdpRevision;
            TableBytes.Put32(rsdp, 16, 0);
            TableBytes.Put32(rsdp, 20, RsdpLength);
            TableBytes.Put64(rsdp, 24, xsdtAddress);
            rsdp[33] = rsdp[34] = rsdp[35] = 0;
            TableBytes.Checksum(rsdp.Slice(0, Rsdp.V1Length), 8);
            TableBytes.Checksum(rsdp.Slice(0, RsdpLength), 32);
        }

        /// <summary>The XSDT: the header and one 64-bit physical address per table (the DSDT and FACS are reached through the FADT).</summary>
        public static void WriteXsdt(Span<byte> xsdt, ReadOnlySpan<ulong> tables)
        {
            TableBytes.Header(xsdt, AcpiSignature.Xsdt, XsdtRevision);
            for (int i = 0; i < tables.Length; i++)
                TableBytes.Put64(xsdt, SdtHeader.Size + 8 * i, tables[i]);
            TableBytes.Checksum(xsdt, 9);
        }
    }
}
