using System;

namespace Hv.Integration.Harness;

/// <summary>
/// One boot shared by all tests of a class (xunit class fixture): the class's facts each check one
/// thing about the same serial log. If the boot itself fails (no image, emulator hang), every
/// fact of the class fails with that message.
/// </summary>
public abstract class BootFixture
{
    readonly Lazy<BootResult> result;

    protected BootFixture(string name, Emulator emulator, string config, int cpus = 1)
    {
        // Lazy: the boot runs inside the first test, so its failure is reported as a test failure
        // with its own message rather than as a fixture construction error.
        result = new Lazy<BootResult>(() =>
        {
            using BootCase boot = BootCase.FromBuild(name).WithConfig(config).WithSmp(cpus);
            return boot.Run(emulator);
        });
    }

    /// <summary>The boot's result (runs the boot the first time).</summary>
    public BootResult Result => result.Value;
}
