using Hv.Integration.Harness;
using Xunit;

namespace Hv.Integration;

/// <summary>Bad hv.cfg contents are reported with file, line and field; no VM starts and the
/// hypervisor exits with status 2.</summary>
[Collection(QemuCollection.Name)]
public sealed class ConfigErrorTests
{
    [Fact]
    public void BadMemorySizeIsReportedWithItsLine()
    {
        const string config =
            "[hypervisor]\n" +
            "on_exit = debug-exit\n" +
            "[vm bad]\n" +
            "memory = 12Q\n" +
            "vcpus = 1\n" +
            "kernel = guests/dummy.bin\n" +
            "loader = raw\n";
        int line = HvConfig.LineOf(config, "memory");

        // Everything but the size is valid, so the memory line is the only error.
        using BootCase boot = BootCase.FromBuild("config-bad-memory").WithConfig(config)
            .WriteFile("guests/dummy.bin", new byte[] { 0xF4, 0xEB, 0xFD }); // hlt; jmp back to the hlt
        BootResult r = boot.Run(Emulator.Qemu);

        r.AssertLine($"CONFIG ERROR: hv.cfg:{line}: memory:");
        r.AssertNoLineMatching($"CONFIG ERROR: hv.cfg:(?!{line}:)");
        r.AssertLine("HV: no VM started");
        r.AssertExitStatus(2);
    }

    [Fact]
    public void MissingKernelFileIsReported()
    {
        const string config =
            "[hypervisor]\n" +
            "on_exit = debug-exit\n" +
            "\n" +
            "[vm missing]\n" +
            "memory = 64M\n" +
            "vcpus = 1\n" +
            "kernel = guests/missing.bin\n" +
            "loader = multiboot\n";
        int line = HvConfig.LineOf(config, "kernel");

        using BootCase boot = BootCase.FromBuild("config-missing-kernel").WithConfig(config);
        if (System.IO.File.Exists(System.IO.Path.Combine(boot.EspDir, "guests", "missing.bin")))
            boot.RemoveFile("guests/missing.bin");
        BootResult r = boot.Run(Emulator.Qemu);

        r.AssertLine($"CONFIG ERROR: hv.cfg:{line}: kernel: file 'guests/missing.bin' not found on the boot volume");
        r.AssertLine("HV: no VM started");
        r.AssertExitStatus(2);
    }
}
