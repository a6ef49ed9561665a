using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Hv.Integration.Harness;

/// <summary>
/// The COM1 log as lines. It starts with OVMF's console mirror (firmware noise full of ANSI
/// escape sequences), then the hypervisor's own lines.
/// </summary>
public static partial class SerialLog
{
    [GeneratedRegex(@"\x1B(\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")]
    private static partial Regex AnsiEscape();

    [GeneratedRegex(@"HV: exit status (\d+)")]
    private static partial Regex ExitStatusLine();

    /// <summary>Splits the raw log into lines without CR, ANSI escapes or other control characters
    /// (except tab). A last line without its newline is kept (Bochs may end mid-line).</summary>
    public static IReadOnlyList<string> ToLines(string raw)
    {
        var lines = new List<string>();
        foreach (string rawLine in raw.Split('\n'))
        {
            string line = AnsiEscape().Replace(rawLine, "");
            var clean = new StringBuilder(line.Length);
            foreach (char c in line)
            {
                if (c == '\t' || !char.IsControl(c))
                    clean.Append(c);
            }
            lines.Add(clean.ToString());
        }
        while (lines.Count > 0 && lines[^1].Length == 0)
            lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    /// <summary>N from the last "HV: exit status N" line, or null when the hypervisor never said.</summary>
    public static int? ExitStatus(IReadOnlyList<string> lines)
    {
        for (int i = lines.Count - 1; i >= 0; i--)
        {
            Match m = ExitStatusLine().Match(lines[i]);
            if (m.Success && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n))
                return n;
        }
        return null;
    }
}
