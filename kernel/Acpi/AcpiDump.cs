using System;
using Hv.Diagnostics;
using Hv.Virt.Caps;

namespace Hv.Acpi
{
    /// <summary>
    /// Hex dump of every table reachable from the RSDP (hv.cfg: acpi_dump = yes), so tables of real
    /// firmware can become unit-test fixtures (tools/acpi-fixtures.sh turns the log back into files):
    /// <code>
    /// ACPIDUMP APIC at 0x3fb7c000 length 120
    /// ACPIDUMP APIC 0000 4150494378000000...   (32 bytes a line, offset in hex)
    /// ACPIDUMP end: 11 tables, 9210 bytes
    /// </code>
    /// The RSDP is dumped as "RSDP", then the XSDT and the RSDT, the tables they list and the DSDT and
    /// FACS. A signature seen before gets "-2", "-3"... so every dump has its own name. Tables are
    /// dumped as found, bad checksums included. Bochs + OVMF has no ACPI tables at all (OVMF gets
    /// them from QEMU's fw_cfg, which Bochs lacks), so there the dump says only that the RSDP is 0.
    /// Every line is a new string: about 400 bytes of kernel heap per 32 bytes dumped.
    /// </summary>
    public static class AcpiDump
    {
        public const int BytesPerLine = 32;
        public const string Tag = "ACPIDUMP ";

        private sealed class LogSink : ILogSink
        {
            public void WriteLine(string line) => Log.Info(line);
        }

        public static void Print(IPhysicalMemory memory, ulong rsdpAddress) => Write(memory, rsdpAddress, new LogSink());

        public static void Write(IPhysicalMemory memory, ulong rsdpAddress, ILogSink output)
        {
            if (rsdpAddress == 0)
            {
                output.WriteLine(Tag + "none: the firmware gave no RSDP");
                return;
            }
            int tables = 0;
            long bytes = 0;
            string[] seen = new string[AcpiTables.MaxTables + 8];
            byte[] rsdp = AcpiTables.ReadRsdpBytes(memory, rsdpAddress);
            int rsdpLength = rsdp == null ? Rsdp.V1Length : Rsdp.NeededLength(rsdp);
            Table(memory, output, "RSDP", rsdpAddress, rsdpLength, seen, ref tables, ref bytes);
            if (rsdp == null || !Rsdp.TryParse(rsdp, out Rsdp r).Ok)
            {
                End(output, tables, bytes);
                return;
            }
            if (r.XsdtAddress != 0)
                Sdt(memory, output, r.XsdtAddress, seen, ref tables, ref bytes);
            if (r.RsdtAddress != 0)
                Sdt(memory, output, r.RsdtAddress, seen, ref tables, ref bytes);
            AcpiTables t = AcpiTables.Discover(memory, rsdpAddress);
            for (int i = 0; i < t.Tables.Length; i++)
                Sdt(memory, output, t.Tables[i].Address, seen, ref tables, ref bytes);
            End(output, tables, bytes);
        }

        private static void End(ILogSink output, int tables, long bytes) =>
            output.WriteLine(Tag + "end: " + tables.ToString() + " tables, " + bytes.ToString() + " bytes");

        /// <summary>A table by its own header: signature and Length (bounded by SdtHeader.MaxLength).</summary>
        private static void Sdt(IPhysicalMemory memory, ILogSink output, ulong address, string[] seen, ref int tables, ref long bytes)
        {
            Span<byte> h = stackalloc byte[8];
            if (address == 0 || !memory.TryRead(address, h))
            {
                output.WriteLine(Tag + "? at " + Hex.Format(address, 1) + " unreadable");
                return;
            }
            uint length = Le.U32(h, 4);
            string name = AcpiSignature.Text(Le.U32(h, 0));
            if (length < 8 || length > SdtHeader.MaxLength)
            {
                output.WriteLine(Tag + name + " at " + Hex.Format(address, 1) + " length " + length.ToString() + " not dumped (implausible)");
                return;
            }
            Table(memory, output, name, address, (int)length, seen, ref tables, ref bytes);
        }

        private static void Table(IPhysicalMemory memory, ILogSink output, string name, ulong address, int length,
            string[] seen, ref int tables, ref long bytes)
        {
            name = Unique(name, seen);
            output.WriteLine(Tag + name + " at " + Hex.Format(address, 1) + " length " + length.ToString());
            string prefix = Tag + name + " ";
            Span<byte> chunk = stackalloc byte[BytesPerLine];
            char[] text = new char[8 + 1 + 2 * BytesPerLine];
            for (int offset = 0; offset < length; offset += BytesPerLine)
            {
                int n = length - offset < BytesPerLine ? length - offset : BytesPerLine;
                Span<byte> part = chunk.Slice(0, n);
                if (!memory.TryRead(address + (ulong)offset, part))
                {
                    output.WriteLine(prefix + "unreadable at offset " + Hex.Format((ulong)offset, 4));
                    break;
                }
                output.WriteLine(prefix + Line(text, offset, part));
                bytes += n;
            }
            tables++;
        }

        /// <summary>"0020 4150..." : the offset (at least 4 hex digits), a blank, the bytes in hex.</summary>
        private static string Line(char[] text, int offset, ReadOnlySpan<byte> data)
        {
            string o = Hex.Format((ulong)offset, 4).Substring(2);
            int p = 0;
            for (int i = 0; i < o.Length && p < text.Length; i++)
                text[p++] = o[i];
            text[p++] = ' ';
            for (int i = 0; i < data.Length && p + 1 < text.Length; i++)
            {
                text[p++] = Digit(data[i] >> 4);
                text[p++] = Digit(data[i] & 0xF);
            }
            return new string(text, 0, p);
        }

        private static char Digit(int v) => (char)(v < 10 ? '0' + v : 'a' + v - 10);

        /// <summary>The name, or name-2, name-3... when it was used before (SSDTs, or a table listed twice).</summary>
        private static string Unique(string name, string[] seen)
        {
            int count = 0, free = -1;
            for (int i = 0; i < seen.Length; i++)
            {
                if (seen[i] == null) { if (free < 0) free = i; continue; }
                if (seen[i] == name) count++;
            }
            if (free >= 0)
                seen[free] = name;
            return count == 0 ? name : name + "-" + (count + 1).ToString();
        }
    }
}
