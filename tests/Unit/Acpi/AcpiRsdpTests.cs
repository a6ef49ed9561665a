using System;
using Hv.Acpi;
using Xunit;

namespace Hv.Tests.Acpi
{
    /// <summary>RSDP revisions and checksums, the RSDT fallback, and the root table's own limits.</summary>
    public class AcpiRsdpTests
    {
        static byte[] Rsdp2() => Fixture.Bytes(Fixture.Intel, "RSDP");

        /// <summary>The fixture RSDP cut to ACPI 1.0's 20 bytes with the given revision.</summary>
        static byte[] Rsdp1(byte revision)
        {
            byte[] b = Rsdp2().AsSpan(0, 20).ToArray();
            b[15] = revision;
            Bytes.FixChecksum(b, 8, 20);
            return b;
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]   // never defined; read as 1.0, as ACPICA does
        public void AcpiOneRsdpUsesTheRsdt(byte revision)
        {
            AcpiError e = Rsdp.TryParse(Rsdp1(revision), out Rsdp r);
            Assert.True(e.Ok, e.Message);
            Assert.Equal(20, r.Length);
            Assert.False(r.UsesXsdt);
            Assert.Equal(0x3fb7d074UL, r.RootAddress);
            Assert.Equal(0UL, r.XsdtAddress);
        }

        [Fact]
        public void FutureRevisionIsReadAsTwo()
        {
            byte[] b = Rsdp2();
            b[15] = 9;
            Bytes.FixChecksum(b, 8, 20);
            Bytes.FixChecksum(b, 32, 36);
            Assert.True(Rsdp.TryParse(b, out Rsdp r).Ok);
            Assert.True(r.UsesXsdt);
            Assert.Equal(9, r.Revision);
        }

        [Fact]
        public void ChecksumsAndSignature()
        {
            byte[] b = Rsdp2();
            b[12] ^= 1;    // in the first 20 bytes
            Assert.Equal("RSDP: bad checksum (bytes sum to 0x01, not 0)", Rsdp.TryParse(b, out _).Message);
            b = Rsdp2();
            b[33] = 7;     // reserved byte: only the extended checksum covers it
            Assert.Equal(AcpiErrorKind.BadExtendedChecksum, Rsdp.TryParse(b, out _).Kind);
            b = Rsdp2();
            b[0] = (byte)'X';
            Assert.Equal(AcpiErrorKind.BadSignature, Rsdp.TryParse(b, out _).Kind);
        }

        [Theory]
        [InlineData(0u, AcpiErrorKind.LengthTooSmall)]
        [InlineData(35u, AcpiErrorKind.LengthTooSmall)]
        [InlineData(40u, AcpiErrorKind.LengthPastEnd)]
        [InlineData(2000u, AcpiErrorKind.LengthTooLarge)]
        [InlineData(0xFFFFFFFFu, AcpiErrorKind.LengthTooLarge)]
        public void HostileRsdpLength(uint length, AcpiErrorKind kind)
        {
            byte[] b = Rsdp2();
            Bytes.U32(b, 20, length);
            Bytes.FixChecksum(b, 8, 20);
            Bytes.FixChecksum(b, 32, 36);
            Assert.Equal(kind, Rsdp.TryParse(b, out _).Kind);
            Assert.Equal(length < 36 ? 36 : Math.Min(length, 1024u), (uint)Rsdp.NeededLength(b));
        }

        [Fact]
        public void NoRootAddressIsAnError()
        {
            byte[] b = Rsdp1(0);
            Bytes.U32(b, 16, 0);
            Bytes.FixChecksum(b, 8, 20);
            Assert.Equal("RSDP: neither an RSDT nor an XSDT address", Rsdp.TryParse(b, out _).Message);
        }

        [Fact]
        public void WalkFromAnAcpiOneRsdpListsTheSameTables()
        {
            FakeMemory m = Fixture.Memory(Fixture.Intel);
            m.Put(0xf0000, Rsdp1(0));
            AcpiTables t = AcpiTables.Discover(m, 0xf0000);
            Assert.True(t.Ok, t.Error.Message);
            Assert.Equal(AcpiSignature.Rsdt, t.RootSignature);
            Assert.Equal(9, t.Tables.Length);
            Assert.Equal(AcpiSignature.Madt, t.Tables[1].Signature);
        }

        [Fact]
        public void BothRootsBrokenIsFatal()
        {
            FakeMemory m = Fixture.Memory(Fixture.Intel);
            m.At(0x3fb7d0e8)[40] ^= 1;
            m.At(0x3fb7d074)[40] ^= 1;
            AcpiTables t = AcpiTables.Discover(m, Fixture.RsdpAddress(Fixture.Intel));
            Assert.False(t.Ok);
            Assert.Equal("RSDT: bad checksum (bytes sum to 0x01, not 0)", t.Error.Message);
            Assert.Equal(new[] { "acpi: RSDT: invalid: bad checksum (bytes sum to 0x01, not 0)" },
                AcpiSummary.Lines(m, Fixture.RsdpAddress(Fixture.Intel)));
        }

        [Fact]
        public void RootWithMoreThanMaxTablesIsCapped()
        {
            byte[] xsdt = Fixture.Bytes(Fixture.Intel, "XSDT");
            byte[] body = new byte[8 * 300];
            for (int i = 0; i < 300; i++)
                Bytes.U64(body, 8 * i, 0x3fb76000);   // the MCFG, 300 times
            FakeMemory m = Fixture.Memory(Fixture.Intel).Put(0x3fb7d0e8, Bytes.WithBody(xsdt, 36, body));
            AcpiTables t = AcpiTables.Discover(m, Fixture.RsdpAddress(Fixture.Intel));
            Assert.True(t.Ok);
            Assert.Equal(300, t.RootEntries);
            Assert.Equal(AcpiTables.MaxTables, t.Tables.Length);
            Assert.Equal("XSDT: length 300 exceeds the sanity limit 256", t.RootWarning.Message);
        }

        [Fact]
        public void RootTableEntriesAndPartialEntry()
        {
            byte[] xsdt = Fixture.Bytes(Fixture.Intel, "XSDT");
            Assert.True(RootTable.TryParse(xsdt, true, out RootTable root).Ok);
            Assert.Equal(7, root.Count);
            Assert.Equal(0x3fb79000UL, root.Address(0));
            Assert.Equal(0UL, root.Address(7));
            Assert.Equal(0UL, root.Address(-1));
            Assert.True(RootTable.TryParse(Bytes.Resized(xsdt, 36 + 8 * 2 + 5), true, out root).Ok);
            Assert.Equal(2, root.Count);   // the partial third entry is ignored
            Assert.Equal(AcpiErrorKind.BadSignature, RootTable.TryParse(xsdt, false, out _).Kind);
        }
    }
}
