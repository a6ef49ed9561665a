using Hv.Integration.Harness;
using Xunit;

namespace Hv.Integration;

/// <summary>The image boots in QEMU (AMD SVM + NPT under TCG, 4 CPUs) with no VMs: the common boot
/// checks (BootTestsBase), plus SVM with nested paging reported and chosen.</summary>
[Collection(QemuCollection.Name)]
public sealed class QemuBootTests : BootTestsBase, IClassFixture<QemuBootTests.Boot>
{
    const int Cpus = 4;

    public sealed class Boot : BootFixture
    {
        public Boot() : base("boot-selftest", Emulator.Qemu, HvConfig.SelfTestOnly, Cpus) { }
    }

    public QemuBootTests(Boot boot) : base(boot.Result, Cpus) { }

    [Fact]
    public void ReportsSvmWithNestedPaging() => r.AssertLineHas(r.AssertReportLine("svm"), "npt=yes");

    [Fact]
    public void ChoosesSvmBackend() => r.AssertLine("backend: svm");
}
