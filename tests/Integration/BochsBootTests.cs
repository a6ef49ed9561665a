using Hv.Integration.Harness;
using Xunit;

namespace Hv.Integration;

/// <summary>The image boots in Bochs (Intel VMX with EPT and unrestricted guest) with no VMs:
/// self-tests, CPU report, VMX backend chosen, clean debug exit.</summary>
[Collection(BochsCollection.Name)]
public sealed class BochsBootTests : IClassFixture<BochsBootTests.Boot>
{
    public sealed class Boot : BootFixture
    {
        public Boot() : base("boot-selftest", Emulator.Bochs, HvConfig.SelfTestOnly, Cpus) { }
    }

    const int Cpus = 2;

    readonly BootResult r;

    public BochsBootTests(Boot boot) => r = boot.Result;

    [Fact]
    public void AllCpusComeOnline()
    {
        for (int i = 0; i < Cpus; i++) r.AssertLineMatching($@"cpu {i} online \(APIC ID \d+\)");
        r.AssertLine($"smp: {Cpus} CPU(s) online");
    }

    [Fact]
    public void TimersAreCalibrated() => r.AssertLineMatching(@"time: TSC [1-9]\d* kHz \(against the .+\), LAPIC timer [1-9]\d* kHz");

    [Fact]
    public void SelfTestsPass()
    {
        r.AssertLine("SELFTEST runtime: PASS");
        r.AssertLine("SELFTEST iced: PASS");
        r.AssertLine("SELFTEST scheduler: PASS");
        r.AssertNoLineMatching(@"SELFTEST [^:]*: FAIL");
    }

    [Fact]
    public void ReportsCpuVendor() => r.AssertReportLine("cpu");

    [Fact]
    public void ReportsVmxWithEptAndUnrestrictedGuest() =>
        r.AssertLineHas(r.AssertReportLine("vmx"), "ept=yes", "unrestricted-guest=yes");

    [Fact]
    public void ChoosesVmxBackend() => r.AssertLine("backend: vmx");

    [Fact]
    public void ExitsWithStatusZero() => r.AssertExitStatus(0);
}
