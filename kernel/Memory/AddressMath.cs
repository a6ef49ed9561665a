namespace Hv.Memory
{
    /// <summary>
    /// Page and large-page sizes of x86-64 paging (SDM Vol. 3A §4.5: 4-level paging maps 4 KiB pages,
    /// 2 MiB pages from a PDE, 1 GiB pages from a PDPTE). The frame allocator works in 4 KiB frames.
    /// </summary>
    public static class PageSize
    {
        public const ulong Size4K = 0x1000;
        public const ulong Size2M = 0x20_0000;
        public const ulong Size1G = 0x4000_0000;
        public const int Shift4K = 12;
        public const int Shift2M = 21;
        public const int Shift1G = 30;
        public const ulong FramesPer2M = Size2M / Size4K;
        public const ulong FramesPer1G = Size1G / Size4K;
    }

    /// <summary>
    /// Checked 64-bit address arithmetic for the address types, the memory map and the frame
    /// allocator. Whatever can overflow returns false instead of wrapping (style.md: address
    /// arithmetic is checked); the out value is 0 then.
    /// </summary>
    public static class AddressMath
    {
        /// <summary>Architectural limit on physical addresses: MAXPHYADDR is at most 52 (SDM Vol. 3A §4.1.4).</summary>
        public const int MaxPhysicalAddressBits = 52;

        public static bool IsPowerOfTwo(ulong value) => value != 0 && (value & (value - 1)) == 0;

        /// <summary>True when <paramref name="alignment"/> is a power of two and divides <paramref name="value"/>.</summary>
        public static bool IsAligned(ulong value, ulong alignment) =>
            IsPowerOfTwo(alignment) && (value & (alignment - 1)) == 0;

        public static bool TryAdd(ulong a, ulong b, out ulong sum)
        {
            sum = a + b;
            if (sum >= a)
                return true;
            sum = 0;
            return false;
        }

        public static bool TrySubtract(ulong a, ulong b, out ulong difference)
        {
            if (b <= a)
            {
                difference = a - b;
                return true;
            }
            difference = 0;
            return false;
        }

        public static bool TryMultiply(ulong a, ulong b, out ulong product)
        {
            if (a != 0 && b > ulong.MaxValue / a)
            {
                product = 0;
                return false;
            }
            product = a * b;
            return true;
        }

        /// <summary>Rounds up to a power-of-two alignment; false when the alignment is not one or the result overflows.</summary>
        public static bool TryAlignUp(ulong value, ulong alignment, out ulong result)
        {
            result = 0;
            if (!IsPowerOfTwo(alignment) || !TryAdd(value, alignment - 1, out ulong bumped))
                return false;
            result = bumped & ~(alignment - 1);
            return true;
        }

        /// <summary>Rounds down to a power-of-two alignment; false when the alignment is not one.</summary>
        public static bool TryAlignDown(ulong value, ulong alignment, out ulong result)
        {
            result = 0;
            if (!IsPowerOfTwo(alignment))
                return false;
            result = value & ~(alignment - 1);
            return true;
        }

        /// <summary>Bytes in <paramref name="pages"/> 4 KiB pages; false when that exceeds 64 bits.</summary>
        public static bool TryPagesToBytes(ulong pages, out ulong bytes) => TryMultiply(pages, PageSize.Size4K, out bytes);

        /// <summary>"0x" and lower-case hex digits, no padding: Hex(0x100000) == "0x100000" (no string.Format in the kernel).</summary>
        public static string Hex(ulong value)
        {
            char[] buf = new char[18];
            int pos = buf.Length;
            do
            {
                uint nibble = (uint)(value & 0xF);
                buf[--pos] = nibble < 10 ? (char)('0' + nibble) : (char)('a' + (nibble - 10));
                value >>= 4;
            }
            while (value != 0);
            buf[--pos] = 'x';
            buf[--pos] = '0';
            return new string(buf, pos, buf.Length - pos);
        }
    }
}
