using Hv.Acpi;
using Xunit;
using Hv.Tests.Acpi;

namespace Hv.Tests.Acpi
{
    public class HostTopologyTests
    {
        [Fact]
        public void QemuQ35IntelIommuTablesGiveFourCpusOneIoApicAndThePmTimer()
        {
            HostTopology t = HostTopology.Read(Fixture.Memory(Fixture.Intel), Fixture.RsdpAddress(Fixture.Intel));
            Assert.Null(t.Problem);
            Assert.True(t.HasMadt);
            Assert.Equal(4, t.CpuCount);
            Assert.Equal(new uint[] { 0, 1, 2, 3 }, t.ApicIds[..4]);
            Assert.Equal(1, t.IoApicCount);
            Assert.Equal(0xfec00000u, t.IoApicAddress[0]);
            Assert.Equal(0u, t.IoApicGsiBase[0]);
            Assert.Equal((ushort)0x608, t.PmTimerPort);
            Assert.False(t.PmTimer32Bit);
            Assert.Equal(0xfed00000UL, t.HpetAddress);
        }

        [Fact]
        public void AmdIommuConfigurationHasTwoCpus()
        {
            HostTopology t = HostTopology.Read(Fixture.Memory(Fixture.Amd), Fixture.RsdpAddress(Fixture.Amd));
            Assert.Equal(2, t.CpuCount);
        }

        [Fact]
        public void NoRsdpMeansNoTablesAndNoProblem()
        {
            HostTopology t = HostTopology.Read(Fixture.Memory(Fixture.Intel), 0);
            Assert.False(t.HasMadt);
            Assert.Equal(0, t.CpuCount);
            Assert.Equal((ushort)0, t.PmTimerPort);
            Assert.Null(t.Problem);
        }

        [Fact]
        public void CorruptMadtIsReportedAndGivesNoCpuList()
        {
            FakeMemory m = Fixture.Memory(Fixture.Intel);
            ulong madt = 0;
            foreach (var e in Fixture.Manifest(Fixture.Intel)) if (e.Name == "APIC") madt = e.Address;
            byte[] b = Fixture.Bytes(Fixture.Intel, "APIC");
            b[9] ^= 0xFF; // checksum byte
            m.Put(madt, b);
            HostTopology t = HostTopology.Read(m, Fixture.RsdpAddress(Fixture.Intel));
            Assert.Equal(0, t.CpuCount);
            Assert.False(t.HasMadt);
            Assert.NotNull(t.Problem);
        }
    }
}
