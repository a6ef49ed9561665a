using Hv.Acpi;
using Xunit;

namespace Hv.Tests.Acpi
{
    /// <summary>FADT revisions and register forms; MCFG and HPET field rules.</summary>
    public class AcpiFadtTests
    {
        static byte[] Facp() => Fixture.Bytes(Fixture.Intel, "FACP");

        [Fact]
        public void AcpiOneFadtUsesTheLegacyPortBlocks()
        {
            byte[] b = Bytes.Resized(Facp(), 116);
            b[8] = 1;
            Bytes.FixChecksum(b);
            AcpiError e = Fadt.TryParse(b, out Fadt f);
            Assert.True(e.Ok, e.Message);
            Assert.True(f.HasPmTimer);
            Assert.Equal(0x608UL, f.PmTimer.Address);
            Assert.Equal(32, f.PmTimer.BitWidth);           // PM_TMR_LEN 4
            Assert.Equal(AddressSpace.SystemIo, f.PmTimer.Space);
            Assert.False(f.HasResetRegister);               // RESET_REG lies beyond 116 bytes
            Assert.Equal(0x3fb7a000UL, f.Dsdt);             // from the 32-bit DSDT field
            Assert.Equal(0, f.MinorVersion);
        }

        [Fact]
        public void ShorterThanAcpiOneIsAnError()
        {
            Assert.Equal("FADT: length 100 is below the minimum 116", Fadt.TryParse(Bytes.Resized(Facp(), 100), out _).Message);
        }

        [Fact]
        public void ZeroExtendedBlockFallsBackToThePort()
        {
            byte[] b = Facp();
            Bytes.U64(b, 208 + 4, 0);                        // X_PM_TMR_BLK.Address
            Bytes.FixChecksum(b);
            Assert.True(Fadt.TryParse(b, out Fadt f).Ok);
            Assert.Equal(0x608UL, f.PmTimer.Address);
            Assert.Equal(32, f.PmTimer.BitWidth);
        }

        [Fact]
        public void MemoryMappedTimerAndThirtyTwoBits()
        {
            byte[] b = Facp();
            b[208] = 0;                                      // X_PM_TMR_BLK in system memory
            Bytes.U64(b, 208 + 4, 0xfe000008);
            Bytes.U32(b, 112, BitConverterU32(b, 112) | (uint)FadtFlags.TimerValueExtended);
            Bytes.FixChecksum(b);
            Assert.True(Fadt.TryParse(b, out Fadt f).Ok);
            Assert.Equal("memory 0xfe000008", f.PmTimer.Describe());
            Assert.Equal(32, f.PmTimerBits);
        }

        [Fact]
        public void HardwareReducedHasNoPmTimerAndTheSummarySaysSo()
        {
            byte[] b = Facp();
            Bytes.U32(b, 112, (uint)(FadtFlags.HardwareReduced | FadtFlags.ResetRegisterSupported));
            Bytes.FixChecksum(b);
            Assert.True(Fadt.TryParse(b, out Fadt f).Ok);
            Assert.True(f.HardwareReduced);
            Assert.False(f.HasPmTimer);
            FakeMemory m = Fixture.Memory(Fixture.Intel).Put(0x3fb79000, b);
            Assert.Contains("acpi: FADT: rev 3, HW-reduced ACPI, no PM timer, reset via port 0xcf9 value 0xf, PM1a control port 0x604, "
                + "century at CMOS 0x32, boot flags 8042", AcpiSummary.Lines(m, Fixture.RsdpAddress(Fixture.Intel)));
        }

        [Fact]
        public void FutureRevisionIsReadAsFarAsItsLength()
        {
            byte[] b = Bytes.Resized(Facp(), 300);
            b[8] = 7;
            Bytes.U64(b, 268, 0x4b4d564b4d564b4dUL);          // hypervisor vendor identity
            Bytes.FixChecksum(b);
            Assert.True(Fadt.TryParse(b, out Fadt f).Ok);
            Assert.Equal(0x4b4d564b4d564b4dUL, f.HypervisorVendorId);
            Assert.Equal(0x608UL, f.PmTimer.Address);
        }

        [Fact]
        public void McfgRules()
        {
            byte[] m = Fixture.Bytes(Fixture.Intel, "MCFG");
            byte[] b = (byte[])m.Clone();
            b[44 + 10] = 9;                                  // start bus 9, end bus 3
            b[44 + 11] = 3;
            Bytes.FixChecksum(b);
            Assert.Equal("MCFG: at offset 0x2c: end bus below start bus (0x9, 0x3)", Mcfg.TryParse(b, out _).Message);
            b = (byte[])m.Clone();
            Bytes.U64(b, 44, 0xb0001000);
            Bytes.FixChecksum(b);
            Assert.Equal(AcpiErrorKind.BadField, Mcfg.TryParse(b, out _).Kind);
            Assert.True(Mcfg.TryParse(Bytes.Resized(m, 44), out Mcfg empty).Ok);
            Assert.Equal(0, empty.Count);
            Assert.True(Mcfg.TryParse(Bytes.Resized(m, 44 + 16 + 7), out Mcfg partial).Ok);
            Assert.Equal(1, partial.Count);
            Assert.Equal(0UL, partial.Segment(1).BaseAddress);
        }

        [Fact]
        public void HpetRules()
        {
            byte[] h = Fixture.Bytes(Fixture.Intel, "HPET");
            byte[] b = (byte[])h.Clone();
            b[40] = (byte)AddressSpace.SystemIo;
            Bytes.FixChecksum(b);
            Assert.Equal("HPET: at offset 0x28: base address is not a non-zero system memory address (0x1, 0xfed00000)",
                Hpet.TryParse(b, out _).Message);
            Assert.Equal(AcpiErrorKind.LengthTooSmall, Hpet.TryParse(Bytes.Resized(h, 50), out _).Kind);
        }

        static uint BitConverterU32(byte[] b, int at) => System.BitConverter.ToUInt32(b, at);
    }
}
