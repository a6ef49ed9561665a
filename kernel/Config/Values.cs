using System;

namespace Hv.Config
{
    /// <summary>
    /// Parsers for single values. Each returns null on success or the message of the first
    /// problem, worded to follow "FILE:LINE: FIELD: ". Input is trimmed, non-empty printable
    /// ASCII (the line checks guarantee that); nothing here can overflow or index out of range.
    /// </summary>
    internal static class Values
    {
        /// <summary>
        /// Decimal digits only. The value saturates at limit + 1 instead of wrapping, so "2^70"
        /// written out reads as "too big"; limit must stay below ulong.MaxValue / 10.
        /// </summary>
        internal static bool TryDigits(ReadOnlySpan<byte> s, ulong limit, out ulong value)
        {
            value = 0;
            if (s.IsEmpty)
                return false;
            for (int i = 0; i < s.Length; i++)
            {
                if (!Ascii.IsDigit(s[i]))
                    return false;
                if (value <= limit)
                    value = value * 10 + (ulong)(s[i] - (byte)'0');
            }
            if (value > limit)
                value = limit + 1;
            return true;
        }

        internal static string Integer(ReadOnlySpan<byte> s, int min, int max, out int value)
        {
            value = 0;
            if (!TryDigits(s, (ulong)max, out ulong n))
                return Ascii.Quoted(s) + " is not a number";
            if (n < (ulong)min || n > (ulong)max)
            {
                string range = min.ToString() + " to " + max.ToString() + ")";
                return Ascii.Quoted(s) + " is out of range (" + range;
            }
            value = (int)n;
            return null;
        }

        /// <summary>A memory size: digits with an optional K, M or G (powers of 1024); bare means bytes.</summary>
        internal static string Size(ReadOnlySpan<byte> s, out ulong bytes)
        {
            bytes = 0;
            int digits = 0;
            while (digits < s.Length && Ascii.IsDigit(s[digits]))
                digits++;
            int shift = -1;
            if (digits == s.Length)
                shift = 0;
            else if (digits == s.Length - 1)
                shift = SuffixShift(s[digits]);
            if (digits == 0 || shift < 0)
                return Ascii.Quoted(s) + " is not a size (use a number with K, M or G)";
            TryDigits(s.Slice(0, digits), ConfigLimits.MaxVmMemory, out ulong n);
            string max = ConfigNames.FormatSize(ConfigLimits.MaxVmMemory);
            if (n > ConfigLimits.MaxVmMemory >> shift)
                return Ascii.Quoted(s) + " is too large (the maximum is " + max + ")";
            ulong size = n << shift;
            if (size < ConfigLimits.MinVmMemory)
                return Ascii.Quoted(s) + " is too small (the minimum is " + ConfigNames.FormatSize(ConfigLimits.MinVmMemory) + ")";
            if (size % ConfigLimits.MemoryAlign != 0)
                return Ascii.Quoted(s) + " is not a multiple of 4K";
            bytes = size;
            return null;
        }

        static int SuffixShift(byte b)
        {
            switch (b)
            {
                case (byte)'K': case (byte)'k': return 10;
                case (byte)'M': case (byte)'m': return 20;
                case (byte)'G': case (byte)'g': return 30;
                default: return -1;
            }
        }

        /// <summary>A rate the 16550 can make: its 115200 base clock divided by a whole divisor.</summary>
        internal static string Baud(ReadOnlySpan<byte> s, out int baud)
        {
            baud = 0;
            if (!TryDigits(s, (ulong)ConfigLimits.UartClock, out ulong n))
                return Ascii.Quoted(s) + " is not a number";
            if (n == 0 || n > (ulong)ConfigLimits.UartClock || (ulong)ConfigLimits.UartClock % n != 0)
                return Ascii.Quoted(s) + " is not a rate the UART can make (115200 divided by a whole number, e.g. 9600, 38400, 57600, 115200)";
            baud = (int)n;
            return null;
        }

        /// <summary>One word of a fixed set; the index into the set is the enum value.</summary>
        internal static string Keyword(ReadOnlySpan<byte> s, string[] words, out int index)
        {
            index = Ascii.Find(s, words);
            if (index >= 0)
                return null;
            return Ascii.Quoted(s) + " is not " + ConfigNames.Choices(words);
        }

        /// <summary>
        /// A path on the boot volume: relative to its root, '/' between components, no '.' or
        /// '..' (nothing may point outside the volume or alias another name), and a small
        /// character set that FAT and every shell accept.
        /// </summary>
        internal static string Path(ReadOnlySpan<byte> s, out string path)
        {
            path = null;
            if (s.IsEmpty)
                return "path is empty";
            if (s.Length > ConfigLimits.MaxPathLength)
                return "path is " + s.Length.ToString() + " characters long; the limit is 255";
            string shown = "path " + Ascii.Quoted(s);
            if (s[0] == (byte)'/')
                return shown + " must be relative to the volume root (no leading '/')";
            int start = 0;
            for (int i = 0; i <= s.Length; i++)
            {
                if (i < s.Length && s[i] != (byte)'/')
                {
                    byte b = s[i];
                    if (b == (byte)'\\')
                        return shown + " uses '\\'; separate directories with '/'";
                    if (!IsPathByte(b))
                        return shown + " contains " + Ascii.ByteText(b) + " (use letters, digits, '.', '_', '-', '+' and '/')";
                    continue;
                }
                ReadOnlySpan<byte> part = s.Slice(start, i - start);
                if (part.IsEmpty)
                    return shown + " has an empty component";
                if (Ascii.Is(part, ".") || Ascii.Is(part, ".."))
                    return shown + " must not contain '.' or '..' components";
                start = i + 1;
            }
            path = Ascii.ToText(s);
            return null;
        }

        static bool IsPathByte(byte b) =>
            Ascii.IsLower(b) || Ascii.IsUpper(b) || Ascii.IsDigit(b) ||
            b == (byte)'.' || b == (byte)'_' || b == (byte)'-' || b == (byte)'+';

        /// <summary>A VM name: what logs and tools show, so short and shell-safe.</summary>
        internal static string VmName(ReadOnlySpan<byte> s, out string name)
        {
            name = null;
            if (s.IsEmpty)
                return "missing VM name (write [vm NAME])";
            if (s.Length > ConfigLimits.MaxNameLength)
                return "VM name is " + s.Length.ToString() + " characters long; the limit is 32";
            for (int i = 0; i < s.Length; i++)
            {
                byte b = s[i];
                if (!Ascii.IsLower(b) && !Ascii.IsDigit(b) && b != (byte)'_' && b != (byte)'-')
                {
                    string what = Ascii.ByteText(b) + " (use a-z, 0-9, '_' and '-')";
                    return "VM name " + Ascii.Quoted(s) + " contains " + what;
                }
            }
            name = Ascii.ToText(s);
            return null;
        }

        /// <summary>The rest of the line, verbatim; may hold '=', spaces and '#'.</summary>
        internal static string Cmdline(ReadOnlySpan<byte> s, out string cmdline)
        {
            cmdline = null;
            if (s.Length > ConfigLimits.MaxCmdlineLength)
                return "command line is " + s.Length.ToString() + " characters long; the limit is 2047";
            cmdline = Ascii.ToText(s);
            return null;
        }
    }
}
