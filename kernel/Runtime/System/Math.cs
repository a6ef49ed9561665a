namespace System
{
    /// <summary>Integer helpers only: the kernel does no floating point (docs/runtime.md).</summary>
    public static class Math
    {
        public static int Max(int a, int b) => a >= b ? a : b;
        public static uint Max(uint a, uint b) => a >= b ? a : b;
        public static long Max(long a, long b) => a >= b ? a : b;
        public static ulong Max(ulong a, ulong b) => a >= b ? a : b;
        public static int Min(int a, int b) => a <= b ? a : b;
        public static uint Min(uint a, uint b) => a <= b ? a : b;
        public static long Min(long a, long b) => a <= b ? a : b;
        public static ulong Min(ulong a, ulong b) => a <= b ? a : b;
        public static int Abs(int value) => value < 0 ? checked(-value) : value;
        public static long Abs(long value) => value < 0 ? checked(-value) : value;

        public static int DivRem(int a, int b, out int result)
        {
            int q = a / b;
            result = a - q * b;
            return q;
        }

        // Conversion helpers the JIT may reference for floating-point casts (ilc looks them up by
        // name). The kernel does no floating point; they exist so such code compiles and is correct.
        private static int ConvertToInt32Checked(double v)
        {
            if (!(v > -2147483649.0 && v < 2147483648.0)) Internal.Runtime.Kernel.ThrowHelpers.ThrowOverflowException();
            return (int)v;
        }
        private static uint ConvertToUInt32Checked(double v)
        {
            if (!(v > -1.0 && v < 4294967296.0)) Internal.Runtime.Kernel.ThrowHelpers.ThrowOverflowException();
            return (uint)v;
        }
        private static long ConvertToInt64Checked(double v)
        {
            if (!(v >= -9223372036854775808.0 && v < 9223372036854775808.0)) Internal.Runtime.Kernel.ThrowHelpers.ThrowOverflowException();
            return (long)v;
        }
        private static ulong ConvertToUInt64Checked(double v)
        {
            if (!(v > -1.0 && v < 18446744073709551616.0)) Internal.Runtime.Kernel.ThrowHelpers.ThrowOverflowException();
            return (ulong)v;
        }
    }
}
