using Hv.Virt.Platform.Acpi;
using Xunit;
using static Hv.Tests.Platform.GuestAcpi;

namespace Hv.Tests.Platform
{
    /// <summary>
    /// The FADT byte by byte, with the offsets written out from ACPI 6.5 Table 5.9 (not taken
    /// from the kernel's FadtOffset, so a wrong constant there would show here).
    /// </summary>
    public class GuestFadtTests
    {
        static byte[] Fadt(out GuestAcpiLayout l)
        {
            byte[] area = Build(2, out l);
            return Table(area, l.Address(l.Fadt));
        }

        [Fact]
        public void HeaderIsRevision65With276Bytes()
        {
            byte[] f = Fadt(out _);
            Assert.Equal("FACP", Ascii(f, 0, 4));
            Assert.Equal(276, f.Length);
            Assert.Equal(6, f[8]);        // major version
            Assert.Equal(5, f[131]);      // FADT minor version
            Assert.Equal(0, Sum(f));
        }

        [Fact]
        public void FacsAndDsdtAreGivenAsBoth32And64BitAddresses()
        {
            byte[] f = Fadt(out GuestAcpiLayout l);
            Assert.Equal((uint)l.Address(l.Facs), U32(f, 36));   // FIRMWARE_CTRL
            Assert.Equal((uint)l.Address(l.Dsdt), U32(f, 40));   // DSDT
            Assert.Equal(l.Address(l.Facs), U64(f, 132));        // X_FIRMWARE_CTRL
            Assert.Equal(l.Address(l.Dsdt), U64(f, 140));        // X_DSDT
        }

        [Fact]
        public void NoSmmSoAcpiIsAlwaysEnabled()
        {
            byte[] f = Fadt(out _);
            Assert.Equal(9, U16(f, 46));       // SCI_INT
            Assert.Equal(0u, U32(f, 48));      // SMI_CMD
            Assert.Equal(0, f[52]);            // ACPI_ENABLE
            Assert.Equal(0, f[53]);            // ACPI_DISABLE
            Assert.Equal(0, f[54]);            // S4BIOS_REQ
            Assert.Equal(0, f[55]);            // PSTATE_CNT
            Assert.Equal(0, f[95]);            // CST_CNT
        }

        [Fact]
        public void LegacyRegisterBlocks()
        {
            byte[] f = Fadt(out _);
            Assert.Equal(0x600u, U32(f, 56));  // PM1a_EVT_BLK
            Assert.Equal(0u, U32(f, 60));      // PM1b_EVT_BLK
            Assert.Equal(0x604u, U32(f, 64));  // PM1a_CNT_BLK
            Assert.Equal(0u, U32(f, 68));      // PM1b_CNT_BLK
            Assert.Equal(0u, U32(f, 72));      // PM2_CNT_BLK
            Assert.Equal(0x608u, U32(f, 76));  // PM_TMR_BLK
            Assert.Equal(0x620u, U32(f, 80));  // GPE0_BLK
            Assert.Equal(0u, U32(f, 84));      // GPE1_BLK
            Assert.Equal(4, f[88]);            // PM1_EVT_LEN
            Assert.Equal(2, f[89]);            // PM1_CNT_LEN
            Assert.Equal(0, f[90]);            // PM2_CNT_LEN
            Assert.Equal(4, f[91]);            // PM_TMR_LEN
            Assert.Equal(4, f[92]);            // GPE0_BLK_LEN
            Assert.Equal(0, f[93]);            // GPE1_BLK_LEN
        }

        [Fact]
        public void ExtendedRegisterBlocksMatchTheLegacyOnes()
        {
            byte[] f = Fadt(out _);
            // (offset, port, bit width, access size): space 1 = system I/O, bit offset 0.
            (int Offset, ulong Port, int Bits, int Access)[] blocks =
            {
                (148, 0x600, 32, 2), (172, 0x604, 16, 2), (208, 0x608, 32, 3), (220, 0x620, 32, 1),
            };
            foreach (var b in blocks)
            {
                Assert.Equal(1, f[b.Offset]);
                Assert.Equal(b.Bits, f[b.Offset + 1]);
                Assert.Equal(0, f[b.Offset + 2]);
                Assert.Equal(b.Access, f[b.Offset + 3]);
                Assert.Equal(b.Port, U64(f, b.Offset + 4));
            }
            foreach (int absent in new[] { 160, 184, 196, 232, 244, 256 })   // PM1b x2, PM2, GPE1, sleep control/status
                for (int i = 0; i < 12; i++)
                    Assert.True(f[absent + i] == 0, "GAS at " + absent + " is not empty");
        }

        [Fact]
        public void ProcessorPowerStatesBeyondC1AreAbsent()
        {
            byte[] f = Fadt(out _);
            Assert.True(U16(f, 96) > 100);     // P_LVL2_LAT: no C2
            Assert.True(U16(f, 98) > 1000);    // P_LVL3_LAT: no C3
            Assert.Equal(0, U16(f, 100));      // FLUSH_SIZE
            Assert.Equal(0, U16(f, 102));      // FLUSH_STRIDE
            Assert.Equal(0, f[108]);           // CENTURY: none
        }

        [Fact]
        public void FlagsAndBootArchitecture()
        {
            byte[] f = Fadt(out _);
            uint flags = U32(f, 112);
            Assert.True((flags & (1u << 0)) != 0, "WBINVD");
            Assert.True((flags & (1u << 2)) != 0, "PROC_C1");
            Assert.True((flags & (1u << 4)) != 0, "PWR_BUTTON (no fixed power button)");
            Assert.True((flags & (1u << 5)) != 0, "SLP_BUTTON (no fixed sleep button)");
            Assert.True((flags & (1u << 8)) != 0, "TMR_VAL_EXT: 32-bit PM timer");
            Assert.True((flags & (1u << 10)) != 0, "RESET_REG_SUP");
            Assert.True((flags & (1u << 19)) != 0, "FORCE_APIC_PHYSICAL_DESTINATION_MODE");
            Assert.True((flags & (1u << 20)) == 0, "not HW_REDUCED_ACPI");
            ushort boot = U16(f, 109);
            Assert.True((boot & 1) != 0, "LEGACY_DEVICES");
            Assert.True((boot & 2) == 0, "8042 absent");
            Assert.True((boot & 4) != 0, "VGA not present");
            Assert.True((boot & 32) == 0, "CMOS RTC present");
        }

        [Fact]
        public void ResetRegisterIsAByteWriteOf6ToPort0xCF9()
        {
            byte[] f = Fadt(out _);
            Assert.Equal(1, f[116]);            // system I/O
            Assert.Equal(8, f[117]);            // bit width
            Assert.Equal(0, f[118]);            // bit offset
            Assert.Equal(1, f[119]);            // byte access
            Assert.Equal(0xCF9UL, U64(f, 120));
            Assert.Equal(6, f[128]);            // RESET_VALUE
        }
    }
}
