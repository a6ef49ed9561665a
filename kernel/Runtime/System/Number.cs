namespace System
{
    /// <summary>Decimal formatting for the integer ToString() methods (no culture, no format strings).</summary>
    internal static class Number
    {
        public static unsafe string Format(long value)
        {
            if (value >= 0) return Format((ulong)value);
            // -(MinValue) overflows long but not ulong: negate in unsigned arithmetic.
            return Format(unchecked((ulong)(-(value + 1)) + 1), true);
        }

        public static string Format(ulong value) => Format(value, false);

        private static unsafe string Format(ulong value, bool negative)
        {
            char* buf = stackalloc char[21];
            int pos = 21;
            do
            {
                buf[--pos] = (char)('0' + (int)(value % 10));
                value /= 10;
            } while (value != 0);
            if (negative) buf[--pos] = '-';
            return new string(buf, pos, 21 - pos);
        }
    }
}
