using Hv.Integration.Harness;
using Xunit;

namespace Hv.Integration;

/// <summary>The image boots in QEMU (AMD SVM + NPT under TCG) with no VMs: self-tests, CPU report,
/// SVM backend chosen, clean debug exit.</summary>
[Collection(QemuCollection.Name)]
public sealed class QemuBootTests : IClassFixture<QemuBootTests.Boot>
{
    public sealed class Boot : BootFixture
    {
        public Boot() : base("boot-selftest", Emulator.Qemu, HvConfig.SelfTestOnly, Cpus) { }
    }

    const int Cpus = 4;

    readonly BootResult r;

    public QemuBootTests(Boot boot) => r = boot.Result;

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
    public void ReportsSvmWithNestedPaging() => r.AssertLineHas(r.AssertReportLine("svm"), "npt=yes");

    [Fact]
    public void ChoosesSvmBackend() => r.AssertLine("backend: svm");

    [Fact]
    public void ExitsWithStatusZero() => r.AssertExitStatus(0);
}
