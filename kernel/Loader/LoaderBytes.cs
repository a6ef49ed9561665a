using System;

namespace Hv.Loader
{
    /// <summary>
    /// Little-endian field access for image parsers (ELF and Multiboot are little-endian on x86).
    /// Callers check the range with Fits first; the span indexer still checks every byte, so a
    /// parser bug shows up in a unit test as an exception, never as a read past the image.
    /// </summary>
    internal static class LoaderBytes
    {
        /// <summary>True when [offset, offset + size) lies inside a buffer of length bytes (no overflow).</summary>
        public static bool Fits(ulong length, ulong offset, ulong size) => offset <= length && size <= length - offset;

        public static ushort U16(ReadOnlySpan<byte> s, int o) => (ushort)(s[o] | (s[o + 1] << 8));

        public static uint U32(ReadOnlySpan<byte> s, int o) =>
            (uint)s[o] | ((uint)s[o + 1] << 8) | ((uint)s[o + 2] << 16) | ((uint)s[o + 3] << 24);

        public static void Put16(Span<byte> s, int o, ushort v)
        {
            s[o] = (byte)v;
            s[o + 1] = (byte)(v >> 8);
        }

        public static void Put32(Span<byte> s, int o, uint v)
        {
            s[o] = (byte)v;
            s[o + 1] = (byte)(v >> 8);
            s[o + 2] = (byte)(v >> 16);
            s[o + 3] = (byte)(v >> 24);
        }

        public static void Put64(Span<byte> s, int o, ulong v)
        {
            Put32(s, o, (uint)v);
            Put32(s, o + 4, (uint)(v >> 32));
        }
    }
}
