namespace Hv.Virt.Caps
{
    /// <summary>Hexadecimal text without string.Format (docs/runtime.md): "0x" + lower-case digits.</summary>
    public static class Hex
    {
        /// <summary>
        /// Formats <paramref name="value"/> as "0x" followed by at least <paramref name="minDigits"/>
        /// digits (clamped to 1..16), zero-padded: Format(0x2b, 1) == "0x2b", Format(0x7f, 8) == "0x0000007f".
        /// </summary>
        public static string Format(ulong value, int minDigits)
        {
            if (minDigits < 1)
                minDigits = 1;
            if (minDigits > 16)
                minDigits = 16;
            char[] buf = new char[18];
            int pos = buf.Length;
            int digits = 0;
            while (value != 0 || digits < minDigits)
            {
                buf[--pos] = Digit((uint)(value & 0xF));
                value >>= 4;
                digits++;
            }
            buf[--pos] = 'x';
            buf[--pos] = '0';
            return new string(buf, pos, buf.Length - pos);
        }

        private static char Digit(uint nibble)
        {
            return nibble < 10 ? (char)('0' + nibble) : (char)('a' + (nibble - 10));
        }
    }
}
