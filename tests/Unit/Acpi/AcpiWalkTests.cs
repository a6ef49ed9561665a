using System;
using System.Collections.Generic;
using System.Globalization;
using Hv.Acpi;
using Xunit;

namespace Hv.Tests.Acpi
{
    /// <summary>The RSDP -> XSDT -> tables walk, the boot-log summary and the dump, over fake memory built from the fixtures.</summary>
    public class AcpiWalkTests
    {
        [Fact]
        public void WalkFindsEveryTableOfTheIntelConfig()
        {
            AcpiTables t = AcpiTables.Discover(Fixture.Memory(Fixture.Intel), Fixture.RsdpAddress(Fixture.Intel));
            Assert.True(t.Ok, t.Error.Message);
            Assert.True(t.RootWarning.Ok);
            Assert.Equal(AcpiSignature.Xsdt, t.RootSignature);
            Assert.Equal(0x3fb7d0e8UL, t.RootAddress);
            Assert.Equal(7, t.RootEntries);
            var names = new List<string>();
            foreach (AcpiTableInfo i in t.Tables)
                names.Add(AcpiSignature.Text(i.Signature) + (i.ViaFadt ? "*" : ""));
            Assert.Equal(new[] { "FACP", "APIC", "HPET", "MCFG", "DMAR", "WAET", "BGRT", "DSDT*", "FACS*" }, names);
            Assert.True(t.Load(AcpiSignature.Dmar, out byte[] dmar).Ok);
            Assert.Equal(Fixture.Bytes(Fixture.Intel, "DMAR"), dmar);
            Assert.Equal(AcpiErrorKind.NotFound, t.Load(AcpiSignature.Ivrs, out _).Kind);
        }

        [Fact]
        public void SummaryOfTheIntelConfig()
        {
            string[] lines = AcpiSummary.Lines(Fixture.Memory(Fixture.Intel), Fixture.RsdpAddress(Fixture.Intel));
            Assert.Equal(new[]
            {
                "acpi: RSDP 0x3fb7e014 rev 2 OEM BOCHS, XSDT 0x3fb7d0e8: FACP APIC HPET MCFG DMAR WAET BGRT, via FADT: DSDT FACS",
                "acpi: MADT: 4 CPUs (APIC IDs 0,1,2,3), 1 IOAPIC id 0 at 0xfec00000 GSI 0, 5 overrides (IRQ 0->2, 5->5 level, "
                    + "9->9 level, 10->10 level, 11->11 level), NMI on LINT1 of all CPUs, LAPIC at 0xfee00000, 8259 PICs present",
                "acpi: FADT: rev 3, PM timer at port 0x608 (24-bit), reset via port 0xcf9 value 0xf, PM1a control port 0x604, "
                    + "SCI IRQ 9, century at CMOS 0x32, boot flags 8042",
                "acpi: MCFG: ECAM 0xb0000000 bus 0-255",
                "acpi: HPET: at 0xfed00000, 3 comparators, 64-bit counter, min tick 0, legacy routing, vendor 0x8086",
                "acpi: DMAR: 1 DRHD at 0xfed90000 (segment 0, 6 device scopes), 0 RMRRs, 0 ATSRs, address width 39, interrupt remapping",
            }, lines);
        }

        [Fact]
        public void SummaryOfTheAmdConfig()
        {
            string[] lines = AcpiSummary.Lines(Fixture.Memory(Fixture.Amd), Fixture.RsdpAddress(Fixture.Amd));
            Assert.Equal(6, lines.Length);
            Assert.StartsWith("acpi: MADT: 2 CPUs (APIC IDs 0,1), 1 IOAPIC id 0 at 0xfec00000 GSI 0, ", lines[1]);
            Assert.Equal("acpi: IVRS: 1 IOMMU at 0xfed80000 (device 00:02.0, segment 0, IVHD 10h), 7 device ranges, "
                + "IOAPIC 0 as 00:14.0, 0 IVMDs, PA 40 bits", lines[5]);
        }

        [Fact]
        public void NoRsdpIsOneInformationLine()
        {
            Assert.Equal(new[] { "acpi: no ACPI tables: the firmware gave no RSDP (Bochs + OVMF has none)" },
                AcpiSummary.Lines(new FakeMemory(), 0));
            Assert.Equal(AcpiErrorKind.NoRsdp, AcpiTables.Discover(new FakeMemory(), 0).Error.Kind);
        }

        [Fact]
        public void UnreadableRsdpIsAnError()
        {
            AcpiTables t = AcpiTables.Discover(new FakeMemory(), 0xe0000);
            Assert.Equal(AcpiErrorKind.ReadFailed, t.Error.Kind);
            Assert.Equal("RSDP: cannot read 20 bytes at physical 0xe0000", t.Error.Message);
            Assert.Empty(t.Tables);
        }

        [Fact]
        public void BadXsdtFallsBackToTheRsdt()
        {
            FakeMemory m = Fixture.Memory(Fixture.Intel);
            m.At(0x3fb7d0e8)[20] ^= 0x55;   // XSDT checksum now wrong
            AcpiTables t = AcpiTables.Discover(m, Fixture.RsdpAddress(Fixture.Intel));
            Assert.True(t.Ok);
            Assert.Equal(AcpiSignature.Rsdt, t.RootSignature);
            Assert.Equal(AcpiErrorKind.BadChecksum, t.RootWarning.Kind);
            Assert.Equal(7, t.RootEntries);
            Assert.Contains("acpi: XSDT: bad checksum (bytes sum to 0x55, not 0) (using the RSDT)",
                AcpiSummary.Lines(m, Fixture.RsdpAddress(Fixture.Intel)));
        }

        [Fact]
        public void BrokenRootEntriesAreReportedNotFatal()
        {
            FakeMemory m = Fixture.Memory(Fixture.Intel);
            byte[] xsdt = m.At(0x3fb7d0e8);
            Bytes.U64(xsdt, 36 + 8 * 2, 0);              // HPET entry -> 0
            Bytes.U64(xsdt, 36 + 8 * 3, 0x7fff0000);     // MCFG entry -> unmapped
            Bytes.FixChecksum(xsdt);
            AcpiTables t = AcpiTables.Discover(m, Fixture.RsdpAddress(Fixture.Intel));
            Assert.True(t.Ok);
            Assert.Equal(AcpiErrorKind.BadField, t.Tables[2].Error.Kind);
            Assert.Equal(AcpiErrorKind.ReadFailed, t.Tables[3].Error.Kind);
            string[] lines = AcpiSummary.Lines(m, Fixture.RsdpAddress(Fixture.Intel));
            Assert.Contains("acpi: table at 0x0: root entry holds physical address 0", lines);
            Assert.Contains("acpi: table at 0x7fff0000: cannot read 8 bytes at physical 0x7fff0000", lines);
            Assert.Contains("acpi: DMAR: 1 DRHD at 0xfed90000 (segment 0, 6 device scopes), 0 RMRRs, 0 ATSRs, address width 39, interrupt remapping", lines);
        }

        [Fact]
        public void CorruptTablesGiveInvalidLinesAndTheRestStillReports()
        {
            FakeMemory m = Fixture.Memory(Fixture.Intel);
            m.At(0x3fb78000)[50] ^= 1;    // MADT checksum
            string[] lines = AcpiSummary.Lines(m, Fixture.RsdpAddress(Fixture.Intel));
            Assert.Contains("acpi: MADT: invalid: bad checksum (bytes sum to 0x01, not 0)", lines);
            Assert.Contains("acpi: MCFG: ECAM 0xb0000000 bus 0-255", lines);
        }

        [Theory]
        [InlineData(Fixture.Intel)]
        [InlineData(Fixture.Amd)]
        public void DumpRoundTripsToTheFixtures(string config)
        {
            ListSink sink = new ListSink();
            AcpiDump.Write(Fixture.Memory(config), Fixture.RsdpAddress(config), sink);
            Assert.Equal("ACPIDUMP RSDP at 0x3fb7e014 length 36", sink.Lines[0]);
            Assert.Equal("ACPIDUMP RSDP 0000 525344205054522016424f434853200274d0b73f24000000e8d0b73f00000000", sink.Lines[1]);
            Assert.Equal("ACPIDUMP RSDP 0020 2e000000", sink.Lines[2]);
            var files = new Dictionary<string, List<byte>>();
            string current = null;
            foreach (string line in sink.Lines)
            {
                string[] f = line.Split(' ');
                Assert.Equal("ACPIDUMP", f[0]);
                if (f[1] == "end:") continue;
                if (f[2] == "at") { current = f[1]; files[current] = new List<byte>(); continue; }
                Assert.Equal(current, f[1]);
                Assert.Equal(files[current].Count, int.Parse(f[2], NumberStyles.HexNumber));
                Assert.True(f[3].Length <= 64);
                for (int i = 0; i < f[3].Length; i += 2)
                    files[current].Add(byte.Parse(f[3].Substring(i, 2), NumberStyles.HexNumber));
            }
            var manifest = Fixture.Manifest(config);
            Assert.Equal(manifest.Count, files.Count);
            foreach (var t in manifest)
                Assert.Equal(Fixture.Bytes(config, t.Name), files[t.Name].ToArray());
            Assert.Equal("ACPIDUMP end: 12 tables, " + SumOfLengths(manifest) + " bytes", sink.Lines[sink.Lines.Count - 1]);
        }

        static int SumOfLengths(List<(string Name, ulong Address, int Length)> m)
        {
            int s = 0;
            foreach (var t in m) s += t.Length;
            return s;
        }

        [Fact]
        public void DumpNamesRepeatsAndSurvivesUnreadableTables()
        {
            FakeMemory m = Fixture.Memory(Fixture.Intel);
            byte[] xsdt = m.At(0x3fb7d0e8);
            Bytes.U64(xsdt, 36 + 8 * 2, 0x3fb78000);     // HPET entry -> the MADT again
            Bytes.U64(xsdt, 36 + 8 * 3, 0x7fff0000);     // MCFG entry -> unmapped
            Bytes.FixChecksum(xsdt);
            ListSink sink = new ListSink();
            AcpiDump.Write(m, Fixture.RsdpAddress(Fixture.Intel), sink);
            Assert.Contains("ACPIDUMP APIC-2 at 0x3fb78000 length 144", sink.Lines);
            Assert.Contains("ACPIDUMP ? at 0x7fff0000 unreadable", sink.Lines);
            Assert.Equal("ACPIDUMP none: the firmware gave no RSDP", Dump(new FakeMemory(), 0)[0]);
        }

        static List<string> Dump(IPhysicalMemory m, ulong rsdp)
        {
            ListSink sink = new ListSink();
            AcpiDump.Write(m, rsdp, sink);
            return sink.Lines;
        }
    }
}
