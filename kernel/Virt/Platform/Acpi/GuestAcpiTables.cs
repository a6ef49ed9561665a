// A VM's ACPI tables: planned, written into one byte area, installed in guest RAM at
// GuestPlatformLayout.AcpiAreaStart (0xE0000). Configuration time only (Install allocates the
// area once; the tables are a few KiB).
using System;
using Hv.Acpi;
using Hv.Loader;

namespace Hv.Virt.Platform.Acpi
{
    /// <summary>Where each table is: offsets from Base (the guest-physical address of byte 0 of the area).</summary>
    public struct GuestAcpiLayout
    {
        public ulong Base;
        public int Rsdp, Facs, Xsdt, Fadt, Mcfg, Madt, Dsdt;
        public int XsdtLength, MadtLength, DsdtLength;
        /// <summary>Bytes of the area in use, from Base.</summary>
        public int Size;

        public ulong Address(int offset) => Base + (ulong)offset;
        public ulong RsdpAddress => Base + (ulong)Rsdp;
    }

    /// <summary>
    /// The guest's tables, in this order in the area (ACPI 6.5 §5.2):
    /// <code>
    /// +0x000 RSDP (36 bytes; 16-byte aligned so a scan of 0xE0000-0xFFFFF finds it, §5.2.5.1)
    /// +0x040 FACS (64 bytes, 64-byte aligned, §5.2.10)
    /// +0x080 XSDT -> FADT, MADT, MCFG
    /// then   FADT (276 bytes), MCFG (60), MADT (82 + 8 per vCPU), DSDT (iasl's AML), each 16-byte aligned
    /// </code>
    /// The FADT points to the FACS and the DSDT. Every table's checksum is set; the RSDP has both.
    /// </summary>
    public static class GuestAcpiTables
    {
        public const int TableAlignment = 16;
        /// <summary>The tables the XSDT lists.</summary>
        public const int XsdtEntries = 3;

        public static GuestAcpiLayout Plan(int vcpus, ulong areaBase)
        {
            GuestAcpiLayout l = default;
            l.Base = areaBase;
            l.Rsdp = 0;
            l.Facs = Align(GuestRoot.RsdpLength, GuestFacs.Alignment);
            l.Xsdt = Align(l.Facs + GuestFacs.Length, TableAlignment);
            l.XsdtLength = GuestRoot.XsdtLength(XsdtEntries);
            l.Fadt = Align(l.Xsdt + l.XsdtLength, TableAlignment);
            l.Mcfg = Align(l.Fadt + GuestFadt.Length, TableAlignment);
            l.Madt = Align(l.Mcfg + GuestMcfg.Length, TableAlignment);
            l.MadtLength = GuestMadt.Length(vcpus);
            l.Dsdt = Align(l.Madt + l.MadtLength, TableAlignment);
            l.DsdtLength = DsdtAml.Table.Length;
            l.Size = l.Dsdt + l.DsdtLength;
            return l;
        }

        /// <summary>
        /// Writes every table into <paramref name="area"/>, the image of guest-physical
        /// <paramref name="areaBase"/> onwards (at least Plan(...).Size bytes; the rest is left as
        /// it is). Returns null, or why the configuration cannot be described.
        /// </summary>
        public static string Build(in GuestAcpiConfig cfg, ulong areaBase, Span<byte> area, out GuestAcpiLayout layout)
        {
            layout = default;
            string error = cfg.Validate();
            if (error != null)
                return error;
            GuestAcpiLayout l = Plan(cfg.VcpuCount, areaBase);
            if ((ulong)l.Size > GuestPlatformLayout.AcpiAreaSize)
                return "ACPI: the tables need " + ((uint)l.Size).ToString() + " bytes, more than the 128 KiB table area";
            if (area.Length < l.Size)
                return "ACPI: the table buffer is " + ((uint)area.Length).ToString() + " bytes, the tables need " + ((uint)l.Size).ToString();
            if (areaBase + (ulong)l.Size > GuestPlatformLayout.FourGiB)
                return "ACPI: the table area must lie below 4 GiB (the RSDP and FADT hold 32-bit addresses)";

            area.Slice(0, l.Size).Clear();
            GuestFacs.Write(area.Slice(l.Facs, GuestFacs.Length));
            GuestFadt.Write(area.Slice(l.Fadt, GuestFadt.Length), cfg, l.Address(l.Dsdt), l.Address(l.Facs));
            GuestMcfg.Write(area.Slice(l.Mcfg, GuestMcfg.Length), cfg);
            GuestMadt.Write(area.Slice(l.Madt, l.MadtLength), cfg);
            DsdtAml.Table.CopyTo(area.Slice(l.Dsdt, l.DsdtLength));
            Span<ulong> tables = stackalloc ulong[XsdtEntries];
            tables[0] = l.Address(l.Fadt);
            tables[1] = l.Address(l.Madt);
            tables[2] = l.Address(l.Mcfg);
            GuestRoot.WriteXsdt(area.Slice(l.Xsdt, l.XsdtLength), tables);
            GuestRoot.WriteRsdp(area.Slice(l.Rsdp, GuestRoot.RsdpLength), l.Address(l.Xsdt));
            layout = l;
            return null;
        }

        /// <summary>
        /// Builds the tables and writes them into guest RAM at GuestPlatformLayout.AcpiAreaStart;
        /// the RSDP is then at layout.RsdpAddress (0xE0000), which the Linux loader passes in
        /// boot_params.acpi_rsdp_addr. Returns null, or what went wrong.
        /// </summary>
        public static string Install(in GuestAcpiConfig cfg, IGuestRam ram, out GuestAcpiLayout layout)
        {
            layout = default;
            if (ram == null)
                return "ACPI: no guest RAM";
            string error = cfg.Validate();
            if (error != null)
                return error;
            ulong areaBase = GuestPlatformLayout.AcpiAreaStart;
            GuestAcpiLayout plan = Plan(cfg.VcpuCount, areaBase);
            if (ram.Size < areaBase + (ulong)plan.Size)
                return "ACPI: guest RAM (" + ram.Size.ToString() + " bytes) does not reach the end of the ACPI tables at 0xE0000";
            byte[] area = new byte[plan.Size];
            error = Build(cfg, areaBase, area, out layout);
            if (error != null)
                return error;
            if (!ram.Write(areaBase, area))
                return "ACPI: guest RAM refused the table area write";
            return null;
        }

        private static int Align(int v, int a) => (v + a - 1) & ~(a - 1);
    }
}
