// Block helpers the JIT calls for struct copies, zeroing and initblk (ilc finds them by name).
// [Intrinsic] lets the JIT unroll small constant sizes itself; the loops are the general case.
using System.Runtime.CompilerServices;

namespace System
{
    internal static class SpanHelpers
    {
        [Intrinsic]
        public static void ClearWithoutReferences(ref byte dest, nuint len) => Fill(ref dest, 0, len);

        [Intrinsic]
        internal static void Memmove(ref byte dest, ref byte src, nuint len)
        {
            // Forward copy unless dest lies inside [src, src+len), where it must go backwards.
            if ((nuint)Unsafe.ByteOffset(ref src, ref dest) >= len)
                for (nuint i = 0; i < len; i++) Unsafe.Add(ref dest, i) = Unsafe.Add(ref src, i);
            else
                for (nuint i = len; i > 0; i--) Unsafe.Add(ref dest, i - 1) = Unsafe.Add(ref src, i - 1);
        }

        internal static void Fill(ref byte dest, byte value, nuint len)
        {
            for (nuint i = 0; i < len; i++) Unsafe.Add(ref dest, i) = value;
        }
    }
}
