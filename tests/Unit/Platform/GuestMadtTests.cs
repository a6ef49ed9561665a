using System;
using Hv.Virt.Platform.Acpi;
using Xunit;
using static Hv.Tests.Platform.GuestAcpi;

namespace Hv.Tests.Platform
{
    /// <summary>The MADT (ACPI 6.5 §5.2.12), read with offsets from the spec's tables.</summary>
    public class GuestMadtTests
    {
        static byte[] Madt(int vcpus)
        {
            byte[] area = Build(vcpus, out GuestAcpiLayout l);
            return Table(area, l.Address(l.Madt));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(64)]
        [InlineData(254)]
        public void OneEnabledLocalApicPerVcpuWithUidAndApicIdEqualToItsIndex(int vcpus)
        {
            byte[] m = Madt(vcpus);
            Assert.Equal("APIC", Ascii(m, 0, 4));
            Assert.Equal(6, m[8]);
            Assert.Equal(44 + 8 * vcpus + 12 + 2 * 10 + 6, m.Length);
            Assert.Equal(0xFEE00000u, U32(m, 36));
            Assert.Equal(1u, U32(m, 40));                  // PCAT_COMPAT
            int lapics = 0;
            for (int o = 44; o < m.Length; o += m[o + 1])
            {
                Assert.True(m[o + 1] >= 2, "entry length");
                if (m[o] != 0)
                    continue;
                Assert.Equal(8, m[o + 1]);
                Assert.Equal(lapics, m[o + 2]);            // ACPI processor UID
                Assert.Equal(lapics, m[o + 3]);            // APIC ID
                Assert.Equal(1u, U32(m, o + 4));           // Enabled
                lapics++;
            }
            Assert.Equal(vcpus, lapics);
        }

        [Fact]
        public void IoApicOverridesAndNmiFollowTheLocalApics()
        {
            byte[] m = Madt(2);
            int o = 44 + 2 * 8;
            // I/O APIC: type 1, length 12, ID 0, reserved, address, GSI base 0.
            Assert.Equal(new byte[] { 1, 12, 0, 0 }, m.AsSpan(o, 4).ToArray());
            Assert.Equal(0xFEC00000u, U32(m, o + 4));
            Assert.Equal(0u, U32(m, o + 8));
            o += 12;
            // ISA IRQ 0 -> GSI 2, edge (01b << 2), active high (01b).
            Assert.Equal(new byte[] { 2, 10, 0, 0 }, m.AsSpan(o, 4).ToArray());
            Assert.Equal(2u, U32(m, o + 4));
            Assert.Equal(0x0005, U16(m, o + 8));
            o += 10;
            // ISA IRQ 9 (SCI) -> GSI 9, level (11b << 2), active high.
            Assert.Equal(new byte[] { 2, 10, 0, 9 }, m.AsSpan(o, 4).ToArray());
            Assert.Equal(9u, U32(m, o + 4));
            Assert.Equal(0x000D, U16(m, o + 8));
            o += 10;
            // Local APIC NMI: all processors (0xFF), edge/high, LINT1.
            Assert.Equal(new byte[] { 4, 6, 0xFF }, m.AsSpan(o, 3).ToArray());
            Assert.Equal(0x0005, U16(m, o + 3));
            Assert.Equal(1, m[o + 5]);
            Assert.Equal(m.Length, o + 6);
        }

        [Fact]
        public void ConfiguredIoApicIdAndSciAreUsed()
        {
            GuestAcpiConfig cfg = GuestAcpiConfig.Default(1);
            cfg.IoApicId = 7;
            cfg.SciIrq = 11;
            byte[] area = Build(cfg, out GuestAcpiLayout l);
            byte[] m = Table(area, l.Address(l.Madt));
            Assert.Equal(7, m[44 + 8 + 2]);
            Assert.Equal(11, m[44 + 8 + 12 + 10 + 3]);
            Assert.Equal(11u, U32(m, 44 + 8 + 12 + 10 + 4));
            byte[] f = Table(area, l.Address(l.Fadt));
            Assert.Equal(11, U16(f, 46));
        }
    }
}
