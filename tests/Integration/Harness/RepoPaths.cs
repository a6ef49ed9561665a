using System;
using System.IO;

namespace Hv.Integration.Harness;

/// <summary>Where the repository, the built boot folder and the emulator runners are.</summary>
public static class RepoPaths
{
    static readonly Lazy<string> root = new(FindRoot);

    /// <summary>The folder holding the Makefile, found by walking up from the test assembly
    /// (HV_REPO_ROOT overrides).</summary>
    public static string Root => root.Value;

    /// <summary>The boot folder `make image` produces (HV_ESP_DIR overrides, e.g. to run the harness
    /// against tools/emu/smoke).</summary>
    public static string EspDir =>
        Environment.GetEnvironmentVariable("HV_ESP_DIR") is { Length: > 0 } esp
            ? Path.GetFullPath(esp)
            : Path.Combine(Root, "build", "esp");

    /// <summary>Serial logs of every run are copied here, for CI artifacts and post-mortems.</summary>
    public static string TestLogDir => Path.Combine(Root, "build", "test-logs");

    public static string EmuTool(string script) => Path.Combine(Root, "tools", "emu", script);

    static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("HV_REPO_ROOT") is { Length: > 0 } fromEnv)
            return Path.GetFullPath(fromEnv);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Makefile")))
                return dir.FullName;
        }
        throw new InvalidOperationException(
            $"no folder with a Makefile above {AppContext.BaseDirectory}: cannot find the repository root " +
            "(set HV_REPO_ROOT)");
    }
}
