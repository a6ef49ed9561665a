using Hv.Integration.Harness;
using Xunit;

namespace Hv.Integration;

/// <summary>A CPU without VMX or SVM: the report says why, nothing starts, and the run ends with
/// status 4 instead of hanging or pretending.</summary>
[Collection(QemuCollection.Name)]
public sealed class NoVirtualizationTests
{
    [Fact]
    public void CpuWithoutSvmOrVmxIsReportedAndNothingStarts()
    {
        const string config = "[hypervisor]\non_exit = debug-exit\n";
        using BootCase boot = BootCase.FromBuild("no-virtualization").WithConfig(config)
            .WithQemuArgs("-cpu", "qemu64,-svm,-vmx");
        BootResult r = boot.Run(Emulator.Qemu);

        r.AssertLineMatching(@"backend: none \(.+\)");
        r.AssertLine("HV: this CPU cannot run guests");
        r.AssertExitStatus(4);
    }
}
