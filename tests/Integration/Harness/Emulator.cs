using System;

namespace Hv.Integration.Harness;

/// <summary>QEMU (TCG, AMD SVM + NPT: the SVM backend) or Bochs (Intel VMX + EPT: the VMX backend).</summary>
public enum Emulator
{
    Qemu,
    Bochs,
}

static class EmulatorInfo
{
    public static string Script(Emulator emulator) => emulator switch
    {
        Emulator.Qemu => "qemu.sh",
        Emulator.Bochs => "bochs.sh",
        _ => throw new ArgumentOutOfRangeException(nameof(emulator)),
    };

    /// <summary>How long one boot may take before the emulator is killed: QEMU 180 s, Bochs 600 s,
    /// or HV_QEMU_TIMEOUT / HV_BOCHS_TIMEOUT (seconds).</summary>
    public static TimeSpan DefaultTimeout(Emulator emulator)
    {
        (string variable, int seconds) = emulator switch
        {
            Emulator.Qemu => ("HV_QEMU_TIMEOUT", 180),
            Emulator.Bochs => ("HV_BOCHS_TIMEOUT", 600),
            _ => throw new ArgumentOutOfRangeException(nameof(emulator)),
        };
        if (int.TryParse(Environment.GetEnvironmentVariable(variable), out int fromEnv) && fromEnv > 0)
            seconds = fromEnv;
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>The runner's exit code that agrees with "HV: exit status N": QEMU's isa-debug-exit
    /// exits with (N &lt;&lt; 1) | 1; bochs.sh exits 0 when the guest asked Bochs to shut down.</summary>
    public static int ExpectedExitCode(Emulator emulator, int status) => emulator switch
    {
        Emulator.Qemu => (status << 1) | 1,
        Emulator.Bochs => 0,
        _ => throw new ArgumentOutOfRangeException(nameof(emulator)),
    };
}
