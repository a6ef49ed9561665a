using System.Collections.Generic;
using Hv.Acpi;
using Xunit;

namespace Hv.Tests.Acpi
{
    /// <summary>
    /// DMAR rules. The Intel fixture: one DRHD at 0x30 (length 0x40), its six 8-byte device
    /// scopes at 0x40..0x68, table length 0x70.
    /// </summary>
    public class AcpiDmarTests
    {
        static byte[] DmarBytes() => Fixture.Bytes(Fixture.Intel, "DMAR");

        static AcpiError With(int at, ushort value, bool word)
        {
            byte[] b = DmarBytes();
            if (word) Bytes.U16(b, at, value); else b[at] = (byte)value;
            Bytes.FixChecksum(b);
            return Dmar.TryParse(b, out _);
        }

        [Theory]
        [InlineData(0x32, 0, true, "DMAR: entry type 0x0 at offset 0x30: length 0 is below the minimum 4")]
        [InlineData(0x32, 10, true, "DMAR: entry type 0x0 at offset 0x30: length 10 is below the minimum 16")]
        [InlineData(0x32, 0x41, true, "DMAR: entry type 0x0 at offset 0x30: length 65 runs past the end (64 bytes left)")]
        [InlineData(0x32, 0xFFFF, true, "DMAR: entry type 0x0 at offset 0x30: length 65535 runs past the end (64 bytes left)")]
        [InlineData(0x41, 0, false, "DMAR: entry type 0x3 at offset 0x40: length 0 is below the minimum 2")]
        [InlineData(0x41, 4, false, "DMAR: entry type 0x3 at offset 0x40: length 4 is below the minimum 6")]
        [InlineData(0x41, 7, false, "DMAR: at offset 0x40: device scope path is not whole (device, function) pairs (0x7, 0x0)")]
        [InlineData(0x69, 9, false, "DMAR: entry type 0x1 at offset 0x68: length 9 runs past the end (8 bytes left)")]
        public void BadStructureAndScopeLengths(int at, ushort value, bool word, string message)
        {
            Assert.Equal(message, With(at, value, word).Message);
        }

        [Fact]
        public void TrailingBytesAreTruncated()
        {
            Assert.Equal("DMAR: at offset 0x70: truncated: 3 bytes, needs 4", Dmar.TryParse(Bytes.Resized(DmarBytes(), 0x73), out _).Message);
        }

        /// <summary>The fixture plus an RMRR with one scope, an ATSR, an RHSA and a structure of an unknown type.</summary>
        static byte[] Extended(ulong rmrrLimit = 0xfffff)
        {
            var body = new List<byte> { 1, 0, 32, 0, 0, 0, 0, 0 };                  // RMRR, length 32, segment 0
            body.AddRange(System.BitConverter.GetBytes(0xe0000UL));
            body.AddRange(System.BitConverter.GetBytes(rmrrLimit));
            body.AddRange(new byte[] { 1, 8, 0, 0, 0, 0, 0x1d, 0 });                  // scope: endpoint 00:1d.0
            body.AddRange(new byte[] { 2, 0, 8, 0, 1, 0, 0, 0 });                     // ATSR, all ports
            body.AddRange(new byte[] { 3, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0xd9, 0xfe, 0, 0, 0, 0, 1, 0, 0, 0 });  // RHSA
            body.AddRange(new byte[] { 0x99, 0, 8, 0, 0, 0, 0, 0 });                  // unknown type
            return Bytes.WithBody(DmarBytes(), 0x70, body.ToArray());
        }

        [Fact]
        public void RmrrAtsrRhsaAndUnknownTypesDecode()
        {
            AcpiError e = Dmar.TryParse(Extended(), out Dmar d);
            Assert.True(e.Ok, e.Message);
            var types = new List<DmarStructureType>();
            DmarReader r = d.Structures();
            while (r.Next(out DmarStructure s))
            {
                types.Add(s.Type);
                if (s.Type == DmarStructureType.Rmrr)
                {
                    Assert.Equal(0xe0000UL, s.Rmrr().Base);
                    Assert.Equal(0xfffffUL, s.Rmrr().Limit);
                    DeviceScopeReader sr = s.Scopes();
                    Assert.True(sr.Next(out DeviceScope scope));
                    Assert.Equal(DeviceScopeType.PciEndpoint, scope.Type);
                    Assert.Equal(0x1d, scope.PathDevice(0));
                    Assert.Equal(0, scope.PathDevice(1));   // out of range: 0
                    Assert.False(sr.Next(out _));
                }
                if (s.Type == DmarStructureType.Atsr)
                    Assert.Equal(AtsrFlags.AllPorts, s.Atsr().Flags);
                if (s.Type == DmarStructureType.Rhsa)
                {
                    Assert.Equal(0xfed90000UL, s.Rhsa().RegisterBase);
                    Assert.Equal(1U, s.Rhsa().ProximityDomain);
                    Assert.False(s.Scopes().Next(out _));
                }
            }
            Assert.Equal(new[] { DmarStructureType.Drhd, DmarStructureType.Rmrr, DmarStructureType.Atsr, DmarStructureType.Rhsa,
                (DmarStructureType)0x99 }, types);
        }

        [Fact]
        public void RmrrLimitBelowBaseIsAnError()
        {
            Assert.Equal("DMAR: at offset 0x70: RMRR limit below base (0xe0000, 0xdffff)", Dmar.TryParse(Extended(0xdffff), out _).Message);
        }

        [Fact]
        public void SummaryOfTheExtendedDmarWithIncludePciAll()
        {
            byte[] b = Extended();
            b[0x34] = (byte)DrhdFlags.IncludePciAll;
            b[37] |= (byte)DmarFlags.X2ApicOptOut;
            Bytes.FixChecksum(b);
            FakeMemory m = Fixture.Memory(Fixture.Intel).Put(0x3fb75000, b);
            Assert.Contains("acpi: DMAR: 1 DRHD at 0xfed90000 (segment 0, all PCI devices), 1 RMRR (0xe0000-0xfffff), 1 ATSR, "
                + "2 other structures, address width 39, interrupt remapping, x2APIC opt-out", AcpiSummary.Lines(m, Fixture.RsdpAddress(Fixture.Intel)));
        }

        [Fact]
        public void DrhdRegisterSize()
        {
            DmarDrhd u = new DmarDrhd { Size = 0 };
            Assert.Equal(4096UL, u.RegisterBytes);
            u.Size = 2;
            Assert.Equal(16384UL, u.RegisterBytes);
        }
    }
}
