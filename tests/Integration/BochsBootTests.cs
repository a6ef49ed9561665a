using Hv.Integration.Harness;
using Xunit;

namespace Hv.Integration;

/// <summary>The image boots in Bochs (Intel VMX with EPT and unrestricted guest, 2 CPUs) with no VMs:
/// the common boot checks (BootTestsBase), plus VMX with EPT and unrestricted guest reported and chosen.</summary>
[Collection(BochsCollection.Name)]
public sealed class BochsBootTests : BootTestsBase, IClassFixture<BochsBootTests.Boot>
{
    const int Cpus = 2;

    public sealed class Boot : BootFixture
    {
        public Boot() : base("boot-selftest", Emulator.Bochs, HvConfig.SelfTestOnly, Cpus) { }
    }

    public BochsBootTests(Boot boot) : base(boot.Result, Cpus) { }

    [Fact]
    public void ReportsVmxWithEptAndUnrestrictedGuest() =>
        r.AssertLineHas(r.AssertReportLine("vmx"), "ept=yes", "unrestricted-guest=yes");

    [Fact]
    public void ChoosesVmxBackend() => r.AssertLine("backend: vmx");
}
