using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Hv.Integration.Harness;

/// <summary>How a command ended. TimedOut: killed at the time limit. Stopped: killed because the
/// caller's stop condition came true (e.g. the hypervisor halted for good).</summary>
public sealed record ProcessResult(int ExitCode, bool TimedOut, bool Stopped, TimeSpan Duration, string StdOut, string StdErr);

/// <summary>Runs a command in its own process group, with a time limit that kills the whole group.</summary>
static class ProcessRunner
{
    const int SIGKILL = 9;

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int sig);

    /// <summary>
    /// The command runs under coreutils `timeout`, which puts itself (and so the runner script and
    /// the emulator) into a new process group whose id is its pid: on our own time limit the whole
    /// group gets SIGKILL. `timeout` also ends the group on its own a minute later, so an emulator
    /// cannot outlive a test host that was killed.
    /// </summary>
    /// <param name="stopWhen">Polled every 250 ms while the command runs; once it returns true the
    /// command gets <paramref name="grace"/> to finish on its own, then its group is killed.</param>
    public static ProcessResult Run(string file, IEnumerable<string> args, string workDir, TimeSpan limit,
                                    Func<bool>? stopWhen = null, TimeSpan grace = default)
    {
        var psi = new ProcessStartInfo("timeout")
        {
            WorkingDirectory = workDir,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add("--kill-after=10");
        psi.ArgumentList.Add($"{(int)Math.Ceiling(limit.TotalSeconds) + 60}");
        psi.ArgumentList.Add(file);
        foreach (string a in args)
            psi.ArgumentList.Add(a);

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (stderr) stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();

        bool timedOut = false, stopped = false;
        var poll = TimeSpan.FromMilliseconds(250);
        while (!process.WaitForExit(poll))
        {
            if (clock.Elapsed >= limit)
            {
                timedOut = true;
                break;
            }
            if (stopWhen != null && stopWhen())
            {
                stopped = !process.WaitForExit(grace);
                break;
            }
        }
        if (timedOut || stopped)
        {
            kill(-process.Id, SIGKILL);
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
                throw new InvalidOperationException($"'{file}' (pid {process.Id}) survived SIGKILL");
        }
        process.WaitForExit(); // also waits until the output readers reached end of stream
        clock.Stop();

        string outText, errText;
        lock (stdout) outText = stdout.ToString();
        lock (stderr) errText = stderr.ToString();
        return new ProcessResult(process.ExitCode, timedOut, stopped, clock.Elapsed, outText, errText);
    }
}
