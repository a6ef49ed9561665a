using System;
using System.IO;
using System.Text;

namespace Hv.Integration.Harness;

/// <summary>Watches a growing serial log for a marker string, reading only what was added since
/// the last look.</summary>
sealed class SerialWatch
{
    readonly string path;
    readonly string marker;
    long offset;
    string carry = "";

    public SerialWatch(string path, string marker)
    {
        this.path = path;
        this.marker = marker;
    }

    public bool Seen { get; private set; }

    /// <summary>Reads what was appended and reports whether the marker has appeared so far.</summary>
    public bool Poll()
    {
        if (Seen || !File.Exists(path))
            return Seen;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length <= offset)
            return false;
        stream.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[stream.Length - offset];
        int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        offset += read;
        // Latin-1 maps each byte to one char: a marker split across two reads is still found.
        string text = carry + Encoding.Latin1.GetString(buffer, 0, read);
        Seen = text.Contains(marker, StringComparison.Ordinal);
        carry = text.Length >= marker.Length ? text[^(marker.Length - 1)..] : text;
        return Seen;
    }
}
