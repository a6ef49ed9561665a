using System;

namespace Hv.Config
{
    /// <summary>
    /// The one parser and validator of hv.cfg, shared by the boot code and tools/ConfigCheck.
    /// docs/config.md is the format's reference; every rule there is enforced here.
    /// </summary>
    public static class ConfigParser
    {
        /// <summary>The file's name on the boot volume, at its root.</summary>
        public const string DefaultFileName = "hv.cfg";

        /// <summary>
        /// Parses and validates a whole file. fileName is only used in messages. Never fails on
        /// any input: bad bytes, huge numbers or lines give errors, not crashes. The result holds
        /// a configuration or errors, never a partly applied file.
        /// </summary>
        public static ConfigResult Parse(string fileName, ReadOnlySpan<byte> text)
        {
            Parser parser = new Parser(fileName);
            if (text.Length > ConfigLimits.MaxFileBytes)
                return parser.TooBig(text.Length);
            // A UTF-8 byte order mark is what some editors put first; it carries no meaning here.
            if (text.Length >= 3 && text[0] == 0xEF && text[1] == 0xBB && text[2] == 0xBF)
                text = text.Slice(3);
            LineReader lines = new LineReader(text);
            while (!parser.Full && lines.TryRead(out ReadOnlySpan<byte> line))
                parser.ParseLine(line, lines.Number);
            return parser.Finish();
        }
    }

    /// <summary>Splits text at '\n', dropping a '\r' before it, and counts lines from 1.</summary>
    internal ref struct LineReader
    {
        ReadOnlySpan<byte> rest;
        int number;

        internal LineReader(ReadOnlySpan<byte> text)
        {
            rest = text;
            number = 0;
        }

        /// <summary>Number of the line last read; 0 before the first.</summary>
        internal int Number => number;

        internal bool TryRead(out ReadOnlySpan<byte> line)
        {
            if (rest.IsEmpty)
            {
                line = default;
                return false;
            }
            number++;
            int end = Ascii.IndexOf(rest, (byte)'\n');
            if (end < 0)
            {
                line = rest;
                rest = default;
            }
            else
            {
                line = rest.Slice(0, end);
                rest = rest.Slice(end + 1);
            }
            if (line.Length > 0 && line[line.Length - 1] == (byte)'\r')
                line = line.Slice(0, line.Length - 1);
            return true;
        }
    }
}
