using System;
using Hv.Virt.Platform;
using Hv.Virt.Platform.Acpi;
using Xunit;
using static Hv.Tests.Platform.GuestAcpi;

namespace Hv.Tests.Platform
{
    /// <summary>The RSDP, the XSDT, the checksums and where the tables go (ACPI 6.5 §5.2.5-§5.2.8).</summary>
    public class GuestAcpiLayoutTests
    {
        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(64)]
        [InlineData(254)]
        public void EveryTableChecksumsToZeroAndFitsInTheArea(int vcpus)
        {
            byte[] area = Build(vcpus, out GuestAcpiLayout l);
            Assert.True((ulong)l.Size <= GuestPlatformLayout.AcpiAreaSize);
            Assert.True(Base + (ulong)l.Size <= GuestPlatformLayout.HighMemoryStart, "the tables must end below 1 MiB");
            // The RSDP's two checksums: the first 20 bytes, and all 36.
            Assert.Equal(0, Sum(area.AsSpan(l.Rsdp, 20)));
            Assert.Equal(0, Sum(area.AsSpan(l.Rsdp, 36)));
            foreach (int o in new[] { l.Xsdt, l.Fadt, l.Madt, l.Mcfg, l.Dsdt })
            {
                int length = (int)U32(area, o + 4);
                Assert.Equal(0, Sum(area.AsSpan(o, length)));
            }
            // Nothing after the last table.
            Assert.True(area.AsSpan(l.Size).IndexOfAnyExcept((byte)0) < 0);
        }

        [Fact]
        public void RsdpIsAnAcpi2RsdpAt0xE0000PointingToTheXsdt()
        {
            byte[] area = Build(2, out GuestAcpiLayout l);
            Assert.Equal(0xE0000UL, l.RsdpAddress);
            Assert.Equal(GuestPlatformLayout.RsdpAddress, l.RsdpAddress);
            Assert.Equal("RSD PTR ", Ascii(area, 0, 8));
            Assert.Equal("HV\0\0\0\0", Ascii(area, 9, 6));
            Assert.Equal(2, area[15]);                 // revision: ACPI 2.0+
            Assert.Equal(0u, U32(area, 16));           // no RSDT
            Assert.Equal(36u, U32(area, 20));          // Length
            Assert.Equal(l.Address(l.Xsdt), U64(area, 24));
            Assert.Equal(new byte[3], area.AsSpan(33, 3).ToArray());
            // A scan of 0xE0000-0xFFFFF looks on 16-byte boundaries (ACPI 6.5 §5.2.5.1).
            Assert.Equal(0UL, l.RsdpAddress % 16);
        }

        [Fact]
        public void XsdtListsFadtMadtMcfg()
        {
            byte[] area = Build(4, out GuestAcpiLayout l);
            byte[] xsdt = Table(area, l.Address(l.Xsdt));
            Assert.Equal("XSDT", Ascii(xsdt, 0, 4));
            Assert.Equal(36 + 3 * 8, xsdt.Length);
            Assert.Equal(1, xsdt[8]);
            Assert.Equal("HV\0\0\0\0", Ascii(xsdt, 10, 6));
            Assert.Equal("HVGUEST\0", Ascii(xsdt, 16, 8));
            Assert.Equal(l.Address(l.Fadt), U64(xsdt, 36));
            Assert.Equal(l.Address(l.Madt), U64(xsdt, 44));
            Assert.Equal(l.Address(l.Mcfg), U64(xsdt, 52));
            Assert.Equal("FACP", Ascii(area, l.Fadt, 4));
            Assert.Equal("APIC", Ascii(area, l.Madt, 4));
            Assert.Equal("MCFG", Ascii(area, l.Mcfg, 4));
            Assert.Equal("DSDT", Ascii(area, l.Dsdt, 4));
            Assert.Equal("FACS", Ascii(area, l.Facs, 4));
        }

        [Fact]
        public void TablesAreAlignedAndDoNotOverlap()
        {
            Build(64, out GuestAcpiLayout l);
            Assert.Equal(0, l.Facs % 64);
            int[] starts = { l.Rsdp, l.Facs, l.Xsdt, l.Fadt, l.Mcfg, l.Madt, l.Dsdt };
            int[] lengths = { 36, 64, l.XsdtLength, 276, 60, l.MadtLength, l.DsdtLength };
            for (int i = 0; i < starts.Length; i++)
            {
                Assert.Equal(0, starts[i] % 16);
                if (i > 0)
                    Assert.True(starts[i] >= starts[i - 1] + lengths[i - 1], "table " + i + " overlaps the one before");
            }
            Assert.Equal(l.Dsdt + l.DsdtLength, l.Size);
        }

        [Fact]
        public void McfgHasOneEcamAllocation()
        {
            byte[] area = Build(1, out GuestAcpiLayout l);
            byte[] mcfg = Table(area, l.Address(l.Mcfg));
            Assert.Equal(60, mcfg.Length);
            Assert.Equal(1, mcfg[8]);
            Assert.Equal(0UL, U64(mcfg, 36));                 // reserved
            Assert.Equal(0xB0000000UL, U64(mcfg, 44));        // base address
            Assert.Equal(0, U16(mcfg, 52));                   // segment group
            Assert.Equal(0, mcfg[54]);                        // start bus
            Assert.Equal(255, mcfg[55]);                      // end bus
            Assert.Equal(0u, U32(mcfg, 56));                  // reserved
            Assert.Equal(GuestPlatformLayout.EcamSize, (ulong)(mcfg[55] - mcfg[54] + 1) << 20);
        }

        [Fact]
        public void FacsIsVersion2AndEmpty()
        {
            byte[] area = Build(1, out GuestAcpiLayout l);
            Assert.Equal("FACS", Ascii(area, l.Facs, 4));
            Assert.Equal(64u, U32(area, l.Facs + 4));
            Assert.Equal(2, area[l.Facs + 32]);
            for (int i = 8; i < 64; i++)
                if (i != 32)
                    Assert.True(area[l.Facs + i] == 0, "FACS byte " + i);
        }

        [Fact]
        public void InstallWritesTheAreaIntoGuestRamAt0xE0000()
        {
            var ram = new Hv.Tests.Loader.FakeGuestRam(64 << 20);
            Assert.Null(GuestAcpiTables.Install(GuestAcpiConfig.Default(2), ram, out GuestAcpiLayout l));
            Assert.Single(ram.Ranges);
            Assert.Equal((0xE0000UL, (ulong)l.Size), ram.Ranges[0]);
            byte[] expected = Build(2, out _);
            Assert.Equal(expected.AsSpan(0, l.Size).ToArray(), ram.Read(0xE0000, l.Size));
        }

        [Fact]
        public void InstallRefusesRamThatDoesNotReachTheArea()
        {
            var ram = new Hv.Tests.Loader.FakeGuestRam(0xE0100);
            string error = GuestAcpiTables.Install(GuestAcpiConfig.Default(1), ram, out _);
            Assert.Contains("does not reach", error);
            Assert.Equal(0, ram.Calls);
        }

        [Fact]
        public void BuildRefusesASmallBuffer()
        {
            GuestAcpiLayout plan = GuestAcpiTables.Plan(8, Base);
            string error = GuestAcpiTables.Build(GuestAcpiConfig.Default(8), Base, new byte[plan.Size - 1], out _);
            Assert.Contains("buffer", error);
        }

        [Fact]
        public void BuildRefusesAnAreaAbove4GiB()
        {
            GuestAcpiLayout plan = GuestAcpiTables.Plan(1, Base);
            string error = GuestAcpiTables.Build(GuestAcpiConfig.Default(1), 0xFFFFFF00, new byte[plan.Size], out _);
            Assert.Contains("4 GiB", error);
        }
    }
}
