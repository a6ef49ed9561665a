using System;
using System.Collections.Generic;
using Hv.Config;
using Hv.Diagnostics;
using Hv.Virt.Caps;

namespace Hv.Acpi
{
    /// <summary>
    /// The boot log's view of the firmware tables: one line for the RSDP/root and one per table
    /// the hypervisor uses (MADT, FADT, MCFG, HPET, DMAR, IVRS), each "acpi: NAME: ..." or
    /// "acpi: NAME: invalid: what is wrong". Builds strings, so it runs once at boot.
    /// </summary>
    public static partial class AcpiSummary
    {
        /// <summary>Logs Lines(): problems as warnings, the rest as information.</summary>
        public static void Print(IPhysicalMemory memory, ulong rsdpAddress)
        {
            Collector c = Build(memory, rsdpAddress);
            for (int i = 0; i < c.Text.Count; i++)
                Log.Write(c.Warn[i] ? LogLevel.Warn : LogLevel.Info, c.Text[i]);
        }

        public static string[] Lines(IPhysicalMemory memory, ulong rsdpAddress) => Build(memory, rsdpAddress).Text.ToArray();

        public static string[] Lines(AcpiTables tables) => Build(tables).Text.ToArray();

        private sealed class Collector
        {
            public readonly List<string> Text = new List<string>();
            public readonly List<bool> Warn = new List<bool>();

            public void Info(string line) { Text.Add(line); Warn.Add(false); }
            public void Problem(string line) { Text.Add(line); Warn.Add(true); }
            public void Invalid(AcpiError e) => Problem("acpi: " + AcpiSignature.Name(e.Signature) + ": invalid: " + Strip(e.Message));
        }

        private static Collector Build(IPhysicalMemory memory, ulong rsdpAddress) => Build(AcpiTables.Discover(memory, rsdpAddress));

        private static Collector Build(AcpiTables t)
        {
            Collector c = new Collector();
            if (!t.Ok)
            {
                if (t.Error.Kind == AcpiErrorKind.NoRsdp)
                    c.Info("acpi: no ACPI tables: the firmware gave no RSDP (Bochs + OVMF has none)");
                else
                    c.Invalid(t.Error);
                return c;
            }
            RootLine(c, t);
            byte[] b;
            if (Load(c, t, AcpiSignature.Madt, true, out b)) MadtLine(c, b);
            if (Load(c, t, AcpiSignature.Fadt, true, out b)) FadtLine(c, b);
            if (Load(c, t, AcpiSignature.Mcfg, false, out b)) McfgLine(c, b);
            if (Load(c, t, AcpiSignature.Hpet, false, out b)) HpetLine(c, b);
            if (Load(c, t, AcpiSignature.Dmar, false, out b)) DmarLine(c, b);
            if (Load(c, t, AcpiSignature.Ivrs, false, out b)) IvrsLine(c, b);
            return c;
        }

        private static bool Load(Collector c, AcpiTables t, uint signature, bool expected, out byte[] bytes)
        {
            AcpiError e = t.Load(signature, out bytes);
            if (e.Kind == AcpiErrorKind.NotFound)
            {
                if (expected)
                    c.Problem("acpi: " + AcpiSignature.Name(signature) + ": not present");
                return false;
            }
            if (!e.Ok)
                c.Invalid(e);
            return e.Ok;
        }

        /// <summary>"acpi: RSDP 0x... rev 2 OEM BOCHS, XSDT 0x...: FACP APIC HPET MCFG WAET, via FADT: DSDT FACS".</summary>
        private static void RootLine(Collector c, AcpiTables t)
        {
            string line = "acpi: RSDP " + Hex.Format(t.RsdpAddress, 1) + " rev " + ((uint)t.Rsdp.Revision).ToString()
                + " OEM " + Quote(t.Rsdp.OemIdText()) + ", " + AcpiSignature.Text(t.RootSignature) + " "
                + Hex.Format(t.RootAddress, 1) + ":";
            bool fadt = false;
            for (int i = 0; i < t.Tables.Length; i++)
            {
                AcpiTableInfo info = t.Tables[i];
                if (info.ViaFadt && !fadt)
                {
                    line = line + ", via FADT:";
                    fadt = true;
                }
                line = line + " " + (info.Error.Ok ? AcpiSignature.Text(info.Signature) : "?");
            }
            c.Info(line);
            if (!t.RootWarning.Ok)
                c.Problem("acpi: " + AcpiSignature.Name(t.RootWarning.Signature) + ": " + Strip(t.RootWarning.Message)
                    + (t.RootWarning.Kind == AcpiErrorKind.LengthTooLarge ? " (tables beyond are ignored)" : " (using the RSDT)"));
            for (int i = 0; i < t.Tables.Length; i++)
                if (!t.Tables[i].Error.Ok)
                    c.Problem("acpi: table at " + Hex.Format(t.Tables[i].Address, 1) + ": " + Strip(t.Tables[i].Error.Message));
        }

        /// <summary>An error's message without its leading "NAME: " (the caller names the table itself).</summary>
        private static string Strip(string message)
        {
            for (int i = 0; i + 1 < message.Length; i++)
                if (message[i] == ':' && message[i + 1] == ' ')
                    return message.Substring(i + 2);
            return message;
        }

        private static string Quote(string s) => s.Length == 0 ? "''" : s;

        /// <summary>Two lower-case hex digits without "0x" (for PCI bus/device numbers).</summary>
        private static string Hex2(uint v) => Hex.Format(v & 0xFF, 2).Substring(2);

        /// <summary>"bb:dd.f" of a 16-bit PCI requester ID (AMD IOMMU DeviceID).</summary>
        private static string Bdf(ushort id) => Hex2((uint)id >> 8) + ":" + Hex2(((uint)id >> 3) & 31) + "." + ((uint)id & 7).ToString();

        /// <summary>"N thing" or "N things".</summary>
        private static string Count(int n, string thing) => n.ToString() + " " + thing + (n == 1 ? "" : "s");
    }
}
