using System;
using System.IO;
using Hv.Integration.Harness;
using Xunit;

namespace Hv.Integration;

/// <summary>
/// The emulator runners and this harness, checked without the hypervisor: tools/emu/smoke builds a
/// 2 KB EFI app that reports the CPU's virtualization features and exits through the same ports
/// with "HV: exit status 3". When these fail, the lab is broken, not the hypervisor.
/// </summary>
static class SmokeApp
{
    public const int Status = 3;

    static readonly Lazy<string> esp = new(() =>
    {
        string dir = Path.Combine(RepoPaths.Root, "build", "test-smoke");
        Directory.CreateDirectory(dir);
        ProcessResult build = ProcessRunner.Run(
            "bash", new[] { Path.Combine(RepoPaths.Root, "tools", "emu", "smoke", "build.sh"), dir, Status.ToString() },
            dir, TimeSpan.FromSeconds(120));
        if (build.TimedOut || build.ExitCode != 0)
            throw new InvalidOperationException($"tools/emu/smoke/build.sh failed:\n{build.StdErr}{build.StdOut}");
        return Path.Combine(dir, "esp");
    });

    public static BootResult Boot(Emulator emulator)
    {
        using BootCase boot = BootCase.FromFolder("runner-smoke", esp.Value);
        return boot.Run(emulator);
    }
}

[Collection(QemuCollection.Name)]
public sealed class QemuRunnerSmokeTests
{
    [Fact]
    public void SmokeAppSeesSvmAndExitStatusReachesQemu()
    {
        BootResult r = SmokeApp.Boot(Emulator.Qemu);
        r.AssertLine("smoke: svm=yes");
        r.AssertLine("smoke: npt=yes");
        r.AssertExitStatus(SmokeApp.Status);
    }
}

[Collection(BochsCollection.Name)]
public sealed class BochsRunnerSmokeTests
{
    [Fact]
    public void SmokeAppSeesVmxAndShutdownEndsBochs()
    {
        BootResult r = SmokeApp.Boot(Emulator.Bochs);
        r.AssertLine("smoke: vmx=yes");
        r.AssertExitStatus(SmokeApp.Status);
    }
}
