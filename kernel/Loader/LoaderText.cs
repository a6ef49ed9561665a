using Hv.Virt.Caps;

namespace Hv.Loader
{
    /// <summary>
    /// Message building within the kernel's string subset (docs/runtime.md: Concat of 2-4 strings).
    /// Nested calls join longer messages; only error paths call these.
    /// </summary>
    internal static class Text
    {
        public static string Cat(string a, string b, string c, string d) => a + b + c + d;

        public static string Cat(string a, string b, string c, string d, string e, string f) => Cat(a + b + c, d, e, f);

        public static string Cat(string a, string b, string c, string d, string e, string f, string g, string h) =>
            Cat(a + b + c + d, e, f + g, h);

        public static string Dec(uint v) => v.ToString();

        public static string Dec(ulong v) => v.ToString();

        /// <summary>"0x" + at least 8 hex digits, the width of a 32-bit guest address.</summary>
        public static string Addr(ulong v) => Hex.Format(v, 8);

        /// <summary>"0xA..0xB" for the range [start, end).</summary>
        public static string Range(ulong start, ulong end) => Hex.Format(start, 8) + ".." + Hex.Format(end, 8);
    }
}
