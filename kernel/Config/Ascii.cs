using System;

namespace Hv.Config
{
    /// <summary>
    /// Byte-level text helpers for the parser. The kernel corelib has no char.IsXxx, Encoding,
    /// MemoryExtensions or number formatting, so the few the parser needs live here, all over
    /// ReadOnlySpan&lt;byte&gt; and all bounds-checked by construction.
    /// </summary>
    internal static class Ascii
    {
        /// <summary>Longest piece of user text echoed in an error; the rest becomes "...".</summary>
        internal const int MaxShown = 40;

        internal static bool IsBlank(byte b) => b == (byte)' ' || b == (byte)'\t';
        internal static bool IsDigit(byte b) => b >= (byte)'0' && b <= (byte)'9';
        internal static bool IsLower(byte b) => b >= (byte)'a' && b <= (byte)'z';
        internal static bool IsUpper(byte b) => b >= (byte)'A' && b <= (byte)'Z';
        internal static bool IsPrintable(byte b) => b >= 0x20 && b < 0x7F;

        internal static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s)
        {
            int start = 0;
            int end = s.Length;
            while (start < end && IsBlank(s[start]))
                start++;
            while (end > start && IsBlank(s[end - 1]))
                end--;
            return s.Slice(start, end - start);
        }

        internal static int IndexOf(ReadOnlySpan<byte> s, byte value)
        {
            for (int i = 0; i < s.Length; i++)
            {
                if (s[i] == value)
                    return i;
            }
            return -1;
        }

        /// <summary>Index of the first blank, or the length when there is none.</summary>
        internal static int WordEnd(ReadOnlySpan<byte> s)
        {
            int i = 0;
            while (i < s.Length && !IsBlank(s[i]))
                i++;
            return i;
        }

        /// <summary>Exact, case-sensitive comparison with an ASCII word.</summary>
        internal static bool Is(ReadOnlySpan<byte> s, string word)
        {
            if (s.Length != word.Length)
                return false;
            for (int i = 0; i < s.Length; i++)
            {
                if (s[i] != word[i])
                    return false;
            }
            return true;
        }

        /// <summary>The index of the word in the table that the text equals, or -1.</summary>
        internal static int Find(ReadOnlySpan<byte> s, string[] words)
        {
            for (int i = 0; i < words.Length; i++)
            {
                if (Is(s, words[i]))
                    return i;
            }
            return -1;
        }

        /// <summary>The text as a string, byte for byte. Callers pass only checked ASCII.</summary>
        internal static string ToText(ReadOnlySpan<byte> s)
        {
            if (s.Length == 0)
                return "";
            char[] chars = new char[s.Length];
            for (int i = 0; i < s.Length; i++)
                chars[i] = (char)s[i];
            return new string(chars, 0, chars.Length);
        }

        /// <summary>
        /// User text made safe to print in an error: bytes that are not printable ASCII become
        /// '?' (so garbage cannot drive the serial terminal) and long text is cut.
        /// </summary>
        internal static string Shown(ReadOnlySpan<byte> s)
        {
            int n = s.Length > MaxShown ? MaxShown : s.Length;
            char[] chars = new char[n + 3];
            for (int i = 0; i < n; i++)
                chars[i] = IsPrintable(s[i]) ? (char)s[i] : '?';
            int length = n;
            if (s.Length > MaxShown)
            {
                chars[n] = '.';
                chars[n + 1] = '.';
                chars[n + 2] = '.';
                length = n + 3;
            }
            return new string(chars, 0, length);
        }

        /// <summary>Shown(s) in single quotes, the form values take in messages.</summary>
        internal static string Quoted(ReadOnlySpan<byte> s) => "'" + Shown(s) + "'";

        /// <summary>One byte for a message: "' '" when printable, else "byte 0x09".</summary>
        internal static string ByteText(byte b)
        {
            if (IsPrintable(b))
            {
                char[] one = new char[3];
                one[0] = '\'';
                one[1] = (char)b;
                one[2] = '\'';
                return new string(one, 0, 3);
            }
            return "byte " + Hex(b);
        }

        /// <summary>"0x0A" style, for bytes in messages.</summary>
        internal static string Hex(byte b)
        {
            char[] chars = new char[4];
            chars[0] = '0';
            chars[1] = 'x';
            chars[2] = HexDigit(b >> 4);
            chars[3] = HexDigit(b & 0xF);
            return new string(chars, 0, 4);
        }

        static char HexDigit(int nibble) => nibble < 10 ? (char)('0' + nibble) : (char)('A' + nibble - 10);
    }
}
