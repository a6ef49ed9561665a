using System;

namespace Hv.Integration.Harness;

/// <summary>hv.cfg texts the tests share, and line lookup for "CONFIG ERROR: hv.cfg:LINE:" checks.</summary>
public static class HvConfig
{
    /// <summary>No VMs: the hypervisor runs its self-tests, reports the CPU and exits through the
    /// debug-exit ports.</summary>
    public const string SelfTestOnly =
        "[hypervisor]\n" +
        "on_exit = debug-exit\n" +
        "selftest = yes\n" +
        "log_level = info\n";

    /// <summary>1-based number of the first line of <paramref name="text"/> that starts (after
    /// leading blanks) with <paramref name="prefix"/>.</summary>
    public static int LineOf(string text, string prefix)
    {
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith(prefix, StringComparison.Ordinal))
                return i + 1;
        }
        throw new ArgumentException($"no line starts with '{prefix}'", nameof(prefix));
    }
}
