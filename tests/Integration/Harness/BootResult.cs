using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace Hv.Integration.Harness;

/// <summary>One finished boot: the serial log as lines and how the run ended. The Assert* helpers
/// fail with a message that carries the last 40 serial lines.</summary>
public sealed class BootResult
{
    public const int TailLines = 40;

    internal BootResult(string name, Emulator emulator, IReadOnlyList<string> lines, ProcessResult run, string? serialLogCopy)
    {
        Name = name;
        Emulator = emulator;
        Lines = lines;
        ExitStatus = SerialLog.ExitStatus(lines);
        EmulatorExitCode = run.ExitCode;
        TimedOut = run.TimedOut;
        Halted = lines.Any(l => l.Contains(BootCase.HaltMarker, StringComparison.Ordinal));
        Duration = run.Duration;
        RunnerOutput = run.StdErr + run.StdOut;
        SerialLogCopy = serialLogCopy;
    }

    public string Name { get; }
    public Emulator Emulator { get; }
    /// <summary>Serial lines, cleaned of CR and ANSI escapes (see <see cref="SerialLog.ToLines"/>).</summary>
    public IReadOnlyList<string> Lines { get; }
    /// <summary>N of the last "HV: exit status N" line; null if there was none.</summary>
    public int? ExitStatus { get; }
    /// <summary>The runner script's exit code (QEMU: (N &lt;&lt; 1) | 1; bochs.sh: 0 after the guest's shutdown).</summary>
    public int EmulatorExitCode { get; }
    public bool TimedOut { get; }
    /// <summary>The hypervisor printed "HV: halted" (the harness then stops the emulator).</summary>
    public bool Halted { get; }
    public TimeSpan Duration { get; }
    /// <summary>stderr and stdout of the runner script (emulator warnings, bochs.sh diagnostics).</summary>
    public string RunnerOutput { get; }
    /// <summary>Where the serial log was saved (build/test-logs), or null if it could not be.</summary>
    public string? SerialLogCopy { get; }

    /// <summary>The first line containing <paramref name="substring"/>; fails if there is none.</summary>
    public string AssertLine(string substring)
    {
        string? line = Lines.FirstOrDefault(l => l.Contains(substring, StringComparison.Ordinal));
        if (line == null)
            Fail($"no serial line contains \"{substring}\"");
        return line!;
    }

    /// <summary>Fails if any line contains <paramref name="substring"/>.</summary>
    public void AssertNoLine(string substring)
    {
        string? line = Lines.FirstOrDefault(l => l.Contains(substring, StringComparison.Ordinal));
        if (line != null)
            Fail($"unexpected serial line containing \"{substring}\": {line}");
    }

    /// <summary>The first line matching the regular expression; fails if there is none.</summary>
    public string AssertLineMatching(string pattern)
    {
        var regex = new Regex(pattern, RegexOptions.CultureInvariant);
        string? line = Lines.FirstOrDefault(l => regex.IsMatch(l));
        if (line == null)
            Fail($"no serial line matches /{pattern}/");
        return line!;
    }

    /// <summary>Fails if any line matches the regular expression.</summary>
    public void AssertNoLineMatching(string pattern)
    {
        var regex = new Regex(pattern, RegexOptions.CultureInvariant);
        string[] hits = Lines.Where(l => regex.IsMatch(l)).ToArray();
        if (hits.Length > 0)
            Fail($"unexpected serial line(s) matching /{pattern}/:\n  " + string.Join("\n  ", hits));
    }

    /// <summary>
    /// The hypervisor's report line "KEY: ..." (e.g. "svm:", "backend:"), at the start of a line or
    /// after a log-level letter ("I svm: ...") or a bracketed prefix, so that "SELFTEST svm: PASS"
    /// does not count.
    /// </summary>
    public string AssertReportLine(string key) =>
        AssertLineMatching(@"^\s*([A-Z]\s+|\[[^\]]*\]\s*)?" + Regex.Escape(key) + ":");

    /// <summary>Fails unless <paramref name="line"/> contains every one of <paramref name="parts"/>.</summary>
    public void AssertLineHas(string line, params string[] parts)
    {
        string[] missing = parts.Where(p => !line.Contains(p, StringComparison.Ordinal)).ToArray();
        if (missing.Length > 0)
            Fail($"line \"{line}\" lacks {string.Join(", ", missing.Select(m => "\"" + m + "\""))}");
    }

    /// <summary>
    /// The hypervisor printed "HV: exit status <paramref name="expected"/>", and the emulator's exit
    /// code agrees with it (QEMU: 2N+1; Bochs: the guest requested the shutdown).
    /// </summary>
    public void AssertExitStatus(int expected)
    {
        if (ExitStatus == null)
            Fail("the hypervisor never printed \"HV: exit status N\"");
        if (ExitStatus != expected)
            Fail($"HV: exit status {ExitStatus}, expected {expected}");
        int code = EmulatorInfo.ExpectedExitCode(Emulator, expected);
        if (EmulatorExitCode != code)
            Fail($"HV: exit status {expected} was printed, but the {Emulator} runner exited with " +
                 $"{EmulatorExitCode} (expected {code}): the exit port write went wrong");
    }

    /// <summary>The last <paramref name="count"/> serial lines, one per line.</summary>
    public string Tail(int count = TailLines) =>
        string.Join("\n", Lines.Skip(Math.Max(0, Lines.Count - count)));

    /// <summary>A failure report: the problem, how the run ended, and the last 40 serial lines.</summary>
    public string Describe(string problem)
    {
        var text = new StringBuilder();
        text.Append(Name).Append(" (").Append(Emulator).Append("): ").AppendLine(problem);
        text.Append(TimedOut ? $"  run: TIMED OUT after {Duration.TotalSeconds:F0} s and was killed"
                    : Halted ? $"  run: the hypervisor halted; emulator ended after {Duration.TotalSeconds:F1} s"
                    : $"  run: {Duration.TotalSeconds:F1} s, runner exit code {EmulatorExitCode}");
        text.AppendLine(ExitStatus is int n ? $", HV: exit status {n}" : ", no \"HV: exit status\" line");
        if (SerialLogCopy != null)
            text.Append("  serial log: ").AppendLine(SerialLogCopy);
        string runner = LastLines(RunnerOutput, 10);
        if (runner.Length > 0)
            text.AppendLine("  runner output (last lines):").AppendLine(Indent(runner));
        text.AppendLine($"  last {Math.Min(TailLines, Lines.Count)} serial lines:");
        text.Append(Indent(Tail()));
        return text.ToString();
    }

    void Fail(string problem) => Assert.Fail(Describe(problem));

    static string LastLines(string text, int count)
    {
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.Contains("TCG doesn't support requested feature", StringComparison.Ordinal))
            .ToArray();
        return string.Join("\n", lines.Skip(Math.Max(0, lines.Length - count))).TrimEnd();
    }

    static string Indent(string text) => "    | " + text.Replace("\n", "\n    | ");
}
