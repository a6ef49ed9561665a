using System.Diagnostics;

namespace HvBuild;

/// <summary>Runs one external tool, echoing the command; output is returned for inspection.</summary>
internal static class Run
{
    public static string Tool(string exe, IEnumerable<string> args, string what, string workingDirectory = null, bool echoOutput = true)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory != null) psi.WorkingDirectory = workingDirectory;
        foreach (var a in args) psi.ArgumentList.Add(a);
        Console.WriteLine("  " + what);
        using var p = Process.Start(psi) ?? throw new BuildError("cannot start " + exe);
        var stderrTask = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        string output = stdout + stderrTask.Result;
        if (p.ExitCode != 0)
        {
            Console.Error.Write(output);
            throw new BuildError(what + ": " + Path.GetFileName(exe) + " exited with " + p.ExitCode);
        }
        if (echoOutput && output.Trim().Length > 0) Console.Write(output);
        return output;
    }

    public static string Which(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            string f = Path.Combine(dir, name);
            if (File.Exists(f)) return f;
        }
        throw new BuildError("'" + name + "' is not on PATH; run 'make deps' first");
    }
}
