using Hv.Virt.Platform;
using Hv.Virt.Platform.Acpi;
using Xunit;

namespace Hv.Tests.Platform
{
    /// <summary>Configurations the tables cannot describe are refused with a message, and nothing is built.</summary>
    public class GuestAcpiConfigTests
    {
        static string Error(GuestAcpiConfig cfg)
        {
            byte[] area = new byte[GuestPlatformLayout.AcpiAreaSize];
            string error = GuestAcpiTables.Build(cfg, GuestAcpi.Base, area, out GuestAcpiLayout l);
            Assert.NotNull(error);
            Assert.StartsWith("ACPI: ", error);
            Assert.Equal(0, l.Size);
            Assert.True(System.Array.TrueForAll(area, b => b == 0), "a refused build wrote the area");
            return error;
        }

        [Fact]
        public void DefaultsComeFromThePlatformLayout()
        {
            GuestAcpiConfig c = GuestAcpiConfig.Default(3);
            Assert.Null(c.Validate());
            Assert.Equal(3, c.VcpuCount);
            Assert.Equal(0xFEC00000u, c.IoApicAddress);
            Assert.Equal(0xFEE00000u, c.LocalApicAddress);
            Assert.Equal(9, c.SciIrq);
            Assert.Equal(0x600, c.Pm1aEventPort);
            Assert.Equal(0x604, c.Pm1aControlPort);
            Assert.Equal(0x608, c.PmTimerPort);
            Assert.Equal(0x620, c.Gpe0Port);
            Assert.Equal(0xCF9, c.ResetPort);
            Assert.Equal(6, c.ResetValue);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(-1)]
        [InlineData(255)]
        [InlineData(int.MaxValue)]
        public void VcpuCountOutOfRange(int vcpus) => Assert.Contains("vCPUs", Error(GuestAcpiConfig.Default(vcpus)));

        [Theory]
        [InlineData(0)]
        [InlineData(2)]
        [InlineData(16)]
        public void SciMustBeAFreeIsaIrq(byte irq)
        {
            GuestAcpiConfig c = GuestAcpiConfig.Default(1);
            c.SciIrq = irq;
            Assert.Contains("SCI", Error(c));
        }

        [Fact]
        public void ApicAddressesMustBePageAligned()
        {
            GuestAcpiConfig c = GuestAcpiConfig.Default(1);
            c.IoApicAddress = 0xFEC00010;
            Assert.Contains("IOAPIC", Error(c));
            c = GuestAcpiConfig.Default(1);
            c.LocalApicAddress = 0;
            Assert.Contains("local APIC", Error(c));
        }

        [Theory]
        [InlineData(0x5FF)]
        [InlineData(0x63E)]
        [InlineData(0xB000)]
        public void PmBlocksMustStayInTheReservedPmRange(int port)
        {
            GuestAcpiConfig c = GuestAcpiConfig.Default(1);
            c.PmTimerPort = (ushort)port;
            Assert.Contains("PM register blocks", Error(c));
        }

        [Fact]
        public void EcamMustBeTheOneTheDsdtWasCompiledFor()
        {
            GuestAcpiConfig c = GuestAcpiConfig.Default(1);
            c.EcamEndBus = 0;
            Assert.Contains("ECAM", Error(c));
            c = GuestAcpiConfig.Default(1);
            c.EcamBase = 0xE0000000;
            Assert.Contains("ECAM", Error(c));
        }

        [Fact]
        public void ResetPortZeroIsRefused()
        {
            GuestAcpiConfig c = GuestAcpiConfig.Default(1);
            c.ResetPort = 0;
            Assert.Contains("reset", Error(c));
        }
    }
}
