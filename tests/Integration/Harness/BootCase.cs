using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Xunit;

namespace Hv.Integration.Harness;

/// <summary>
/// One boot to run: a private copy of build/esp that a test may change (its own hv.cfg, extra or
/// missing guest files), turned into a FAT image by tools/emu/mkimage.sh and booted by
/// tools/emu/qemu.sh or bochs.sh.
/// <code>
/// using var boot = BootCase.FromBuild("config-bad-memory").WithConfig(text);
/// BootResult r = boot.Run(Emulator.Qemu);
/// r.AssertLine("CONFIG ERROR: hv.cfg:4: memory:");
/// r.AssertExitStatus(2);
/// </code>
/// The work folder is deleted on Dispose unless HV_KEEP_RUNS=1. Serial logs are also saved to
/// build/test-logs/NAME.EMULATOR.serial.log.
/// </summary>
public sealed class BootCase : IDisposable
{
    /// <summary>
    /// The hypervisor prints a line with this when it stops for good without an exit port write
    /// (after a panic, or with on_exit = halt). The harness then stops the emulator after
    /// <see cref="HaltGrace"/> instead of waiting for the time limit; the result says Halted.
    /// </summary>
    public const string HaltMarker = "HV: halted";
    static readonly TimeSpan HaltGrace = TimeSpan.FromSeconds(3);

    readonly string work;
    readonly List<string> qemuArgs = new();
    int smp = 1;
    TimeSpan? timeout;

    BootCase(string name, string work)
    {
        Name = name;
        this.work = work;
        EspDir = Path.Combine(work, "esp");
    }

    /// <summary>A name for logs and messages: letters, digits, '-', '_' and '.'.</summary>
    public string Name { get; }

    /// <summary>This case's copy of the boot folder (EFI/BOOT/BOOTX64.EFI, hv.cfg, guests/...).</summary>
    public string EspDir { get; }

    /// <summary>Copies build/esp (see <see cref="RepoPaths.EspDir"/>); fails if `make image` has not run.</summary>
    public static BootCase FromBuild(string name)
    {
        string app = Path.Combine(RepoPaths.EspDir, "EFI", "BOOT", "BOOTX64.EFI");
        if (!File.Exists(app))
            Assert.Fail($"{app} is missing: run make image first");
        return FromFolder(name, RepoPaths.EspDir);
    }

    /// <summary>Copies any boot folder (e.g. one holding tools/emu/smoke's stand-in app).</summary>
    public static BootCase FromFolder(string name, string source)
    {
        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_' && c != '.')
                throw new ArgumentException($"case name '{name}' may hold only letters, digits, '-', '_', '.'", nameof(name));
        }
        if (!Directory.Exists(source))
            throw new DirectoryNotFoundException($"boot folder '{source}' does not exist");

        string work = Directory.CreateTempSubdirectory($"hv-it-{name}-").FullName;
        var boot = new BootCase(name, work);
        CopyTree(source, boot.EspDir);
        return boot;
    }

    /// <summary>Replaces hv.cfg.</summary>
    public BootCase WithConfig(string text) => WriteFile("hv.cfg", text);

    /// <summary>Writes a text file (UTF-8, no BOM) into the boot folder, creating folders.</summary>
    public BootCase WriteFile(string relativePath, string text) =>
        WriteFile(relativePath, new UTF8Encoding(false).GetBytes(text));

    public BootCase WriteFile(string relativePath, byte[] content)
    {
        string path = InEsp(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return this;
    }

    /// <summary>Copies a host file into the boot folder.</summary>
    public BootCase CopyFile(string hostPath, string relativePath)
    {
        string path = InEsp(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Copy(hostPath, path, overwrite: true);
        return this;
    }

    /// <summary>Removes a file (or folder) from the boot folder; fails if it does not exist.</summary>
    public BootCase RemoveFile(string relativePath)
    {
        string path = InEsp(relativePath);
        if (File.Exists(path))
            File.Delete(path);
        else if (Directory.Exists(path))
            Directory.Delete(path, recursive: true);
        else
            throw new FileNotFoundException($"'{relativePath}' is not in the boot folder", path);
        return this;
    }

    /// <summary>Number of emulated CPUs (QEMU -smp, Bochs cpu count).</summary>
    public BootCase WithSmp(int cpus)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cpus, 1);
        smp = cpus;
        return this;
    }

    /// <summary>Extra QEMU arguments (e.g. "-device", "edu"); ignored for Bochs.</summary>
    public BootCase WithQemuArgs(params string[] args)
    {
        qemuArgs.AddRange(args);
        return this;
    }

    /// <summary>Overrides the emulator time limit (default QEMU 180 s, Bochs 600 s, or
    /// HV_QEMU_TIMEOUT / HV_BOCHS_TIMEOUT).</summary>
    public BootCase WithTimeout(TimeSpan limit)
    {
        timeout = limit;
        return this;
    }

    /// <summary>
    /// Builds the image and boots it. Fails (with the last 40 serial lines) if the image cannot be
    /// built or the emulator hangs past its time limit; any other ending (exit ports written,
    /// emulator error, hypervisor halted) is returned for the test to judge
    /// (see <see cref="BootResult.AssertExitStatus"/>).
    /// </summary>
    public BootResult Run(Emulator emulator)
    {
        string tag = emulator.ToString().ToLowerInvariant();
        string image = Path.Combine(work, $"{tag}.img");
        string serial = Path.Combine(work, $"{tag}.serial.log");

        ProcessResult mk = ProcessRunner.Run("bash", new[] { RepoPaths.EmuTool("mkimage.sh"), EspDir, image },
                                             work, TimeSpan.FromSeconds(120));
        if (mk.TimedOut || mk.ExitCode != 0)
            Assert.Fail($"{Name}: mkimage.sh failed (exit code {mk.ExitCode}{(mk.TimedOut ? ", timed out" : "")}):\n{mk.StdErr}{mk.StdOut}");

        var args = new List<string> { RepoPaths.EmuTool(EmulatorInfo.Script(emulator)), "--serial-file", serial,
                                      "--smp", smp.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (emulator == Emulator.Bochs)
            args.AddRange(new[] { "--work-dir", Path.Combine(work, "bochs") });
        args.Add(image);
        if (emulator == Emulator.Qemu)
            args.AddRange(qemuArgs);

        var halted = new SerialWatch(serial, HaltMarker);
        ProcessResult run = ProcessRunner.Run("bash", args, work, timeout ?? EmulatorInfo.DefaultTimeout(emulator),
                                              halted.Poll, HaltGrace);
        string raw = File.Exists(serial) ? Encoding.UTF8.GetString(File.ReadAllBytes(serial)) : "";
        var result = new BootResult(Name, emulator, SerialLog.ToLines(raw), run, SaveLogs(tag, raw, run));
        File.Delete(image);
        if (result.TimedOut)
            Assert.Fail(result.Describe("the emulator hung"));
        return result;
    }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("HV_KEEP_RUNS") == "1")
            return;
        try { Directory.Delete(work, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    string InEsp(string relativePath)
    {
        string path = Path.GetFullPath(Path.Combine(EspDir, relativePath));
        if (!path.StartsWith(EspDir + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"'{relativePath}' leaves the boot folder", nameof(relativePath));
        return path;
    }

    string? SaveLogs(string tag, string serial, ProcessResult run)
    {
        try
        {
            Directory.CreateDirectory(RepoPaths.TestLogDir);
            string path = Path.Combine(RepoPaths.TestLogDir, $"{Name}.{tag}.serial.log");
            File.WriteAllText(path, serial);
            File.WriteAllText(Path.Combine(RepoPaths.TestLogDir, $"{Name}.{tag}.runner.log"), run.StdErr + run.StdOut);
            return path;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
