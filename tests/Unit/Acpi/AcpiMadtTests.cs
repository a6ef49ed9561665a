using System.Collections.Generic;
using Hv.Acpi;
using Xunit;

namespace Hv.Tests.Acpi
{
    /// <summary>
    /// MADT entry rules. The Intel fixture's entries: local APICs at 0x2c, 0x34, 0x3c, 0x44, the
    /// IOAPIC at 0x4c, overrides at 0x58..0x80, the local APIC NMI at 0x8a (table length 0x90).
    /// </summary>
    public class AcpiMadtTests
    {
        static byte[] Apic() => Fixture.Bytes(Fixture.Intel, "APIC");

        static AcpiError WithByte(int at, byte value)
        {
            byte[] b = Apic();
            b[at] = value;
            Bytes.FixChecksum(b);
            return Madt.TryParse(b, out _);
        }

        [Theory]
        [InlineData(0x2d, 0, "MADT: entry type 0x0 at offset 0x2c: length 0 is below the minimum 2")]
        [InlineData(0x2d, 1, "MADT: entry type 0x0 at offset 0x2c: length 1 is below the minimum 2")]
        [InlineData(0x2d, 4, "MADT: entry type 0x0 at offset 0x2c: length 4 is below the minimum 8")]
        [InlineData(0x4d, 8, "MADT: entry type 0x1 at offset 0x4c: length 8 is below the minimum 12")]
        [InlineData(0x59, 9, "MADT: entry type 0x2 at offset 0x58: length 9 is below the minimum 10")]
        [InlineData(0x8b, 5, "MADT: entry type 0x4 at offset 0x8a: length 5 is below the minimum 6")]
        [InlineData(0x8b, 7, "MADT: entry type 0x4 at offset 0x8a: length 7 runs past the end (6 bytes left)")]
        [InlineData(0x2d, 255, "MADT: entry type 0x0 at offset 0x2c: length 255 runs past the end (100 bytes left)")]
        public void BadEntryLengths(int at, byte value, string message)
        {
            AcpiError e = WithByte(at, value);
            Assert.False(e.Ok);
            Assert.Equal(message, e.Message);
        }

        [Fact]
        public void TrailingByteIsTruncated()
        {
            Assert.Equal("MADT: at offset 0x90: truncated: 1 bytes, needs 2", Madt.TryParse(Bytes.Resized(Apic(), 0x91), out _).Message);
        }

        [Fact]
        public void HeaderOnlyMadtHasNoEntries()
        {
            Assert.True(Madt.TryParse(Bytes.Resized(Apic(), 44), out Madt m).Ok);
            Assert.False(m.Entries().Next(out _));
            Assert.Equal(AcpiErrorKind.LengthTooSmall, Madt.TryParse(Bytes.Resized(Apic(), 43), out _).Kind);
        }

        /// <summary>x2APIC, online-capable and disabled CPUs, NMI source, x2APIC NMI, address override, unknown and long entries.</summary>
        static byte[] Synthetic() => Bytes.WithBody(Apic(), 44,
            0, 8, 0, 0, 1, 0, 0, 0,                               // local APIC 0, enabled
            0, 8, 1, 1, 2, 0, 0, 0,                               // local APIC 1, online-capable
            0, 8, 2, 2, 0, 0, 0, 0,                               // local APIC 2, disabled
            9, 16, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0,      // x2APIC 0x100, enabled, UID 0x100
            1, 12, 2, 0, 0x00, 0x10, 0xc0, 0xfe, 24, 0, 0, 0,     // IOAPIC 2 at 0xfec01000, GSI 24
            2, 10, 0, 9, 20, 0, 0, 0, 0x0f, 0,                    // IRQ 9 -> GSI 20, level, active low
            3, 8, 5, 0, 3, 0, 0, 0,                               // NMI source GSI 3
            10, 12, 0, 0, 0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0,     // x2APIC NMI, all CPUs, LINT1
            5, 12, 0, 0, 0, 0, 0xe1, 0xfe, 0, 0, 0, 0,            // LAPIC address override 0xfee10000
            0x7f, 4, 0xaa, 0xbb,                                  // unknown type: passed through
            0, 10, 3, 3, 1, 0, 0, 0, 0xee, 0xee);                 // local APIC 3 with 2 extra bytes

        [Fact]
        public void EveryEntryTypeDecodes()
        {
            AcpiError e = Madt.TryParse(Synthetic(), out Madt m);
            Assert.True(e.Ok, e.Message);
            Assert.Equal(0xfee10000UL, m.LocalApicAddress);
            Assert.Equal(0xfee00000U, m.LocalApicAddress32);
            var types = new List<MadtEntryType>();
            MadtReader r = m.Entries();
            while (r.Next(out MadtEntry x))
            {
                types.Add(x.Type);
                switch (x.Type)
                {
                    case MadtEntryType.LocalX2Apic:
                        Assert.Equal(0x100U, x.LocalX2Apic().X2ApicId);
                        Assert.Equal(0x100U, x.LocalX2Apic().ProcessorUid);
                        Assert.Equal(LocalApicFlags.Enabled, x.LocalX2Apic().Flags);
                        Assert.Equal(LocalApicFlags.None, x.LocalApic().Flags);   // the wrong accessor gives zeros
                        break;
                    case MadtEntryType.InterruptSourceOverride:
                        Assert.Equal(InterruptTrigger.Level, x.InterruptOverride().Flags.Trigger);
                        Assert.Equal(InterruptPolarity.ActiveLow, x.InterruptOverride().Flags.Polarity);
                        break;
                    case MadtEntryType.NmiSource:
                        Assert.Equal(3U, x.NmiSource().Gsi);
                        Assert.Equal(InterruptPolarity.ActiveHigh, x.NmiSource().Flags.Polarity);
                        Assert.Equal(InterruptTrigger.Edge, x.NmiSource().Flags.Trigger);
                        break;
                    case MadtEntryType.LocalX2ApicNmi:
                        Assert.Equal(MadtLocalX2ApicNmi.AllProcessors, x.LocalX2ApicNmi().ProcessorUid);
                        Assert.Equal(1, x.LocalX2ApicNmi().Lint);
                        break;
                    case (MadtEntryType)0x7f:
                        Assert.Equal(4, x.Length);
                        break;
                }
            }
            Assert.Equal(11, types.Count);
            Assert.True(r.Error.Ok);
        }

        [Fact]
        public void SummaryOfTheSyntheticMadt()
        {
            FakeMemory m = Fixture.Memory(Fixture.Intel).Put(0x3fb78000, Synthetic());
            Assert.Contains("acpi: MADT: 3 CPUs (APIC IDs 0,256,3) + 1 online-capable, 1 IOAPIC id 2 at 0xfec01000 GSI 24, "
                + "1 override (IRQ 9->20 level low), 1 NMI source, NMI on LINT1 of all CPUs, LAPIC at 0xfee10000, 8259 PICs present",
                AcpiSummary.Lines(m, Fixture.RsdpAddress(Fixture.Intel)));
        }
    }
}
