namespace Hv.Memory
{
    /// <summary>
    /// One bit per frame over caller-provided storage: 1 = allocated (or not a frame at all: the
    /// tail of a region's last word), 0 = free. Bits are addressed globally (word * 64 + bit).
    /// Every access is bounds-checked against the word count: outside it reads as "allocated" and
    /// writes are dropped, so a bug cannot scribble past the storage.
    /// </summary>
    internal readonly unsafe struct FrameBitmap
    {
        public const ulong NotFound = ulong.MaxValue;

        private readonly ulong* _words;
        private readonly ulong _count;

        public FrameBitmap(ulong* words, ulong count)
        {
            _words = words;
            _count = words == null ? 0 : count;
        }

        public ulong WordCount => _count;

        public ulong Word(ulong index)
        {
            // SAFETY: index < _count and the caller guaranteed _count words of storage at _words.
            return index < _count ? _words[index] : ulong.MaxValue;
        }

        public void SetWord(ulong index, ulong value)
        {
            // SAFETY: as in Word.
            if (index < _count)
                _words[index] = value;
        }

        public bool Test(ulong bit) => (Word(bit >> 6) & (1UL << (int)(bit & 63))) != 0;

        /// <summary>Sets (<paramref name="value"/> true) or clears <paramref name="count"/> bits from <paramref name="bit"/>.</summary>
        public void Fill(ulong bit, ulong count, bool value)
        {
            while (count != 0)
            {
                ulong index = bit >> 6;
                int shift = (int)(bit & 63);
                ulong n = count < (ulong)(64 - shift) ? count : (ulong)(64 - shift);
                ulong mask = (n == 64 ? ulong.MaxValue : ((1UL << (int)n) - 1)) << shift;
                ulong w = Word(index);
                SetWord(index, value ? w | mask : w & ~mask);
                bit += n;
                count -= n;
            }
        }

        /// <summary>Offset (from <paramref name="bit"/>) of the first bit in [bit, bit + count) equal to
        /// <paramref name="value"/>, or NotFound.</summary>
        public ulong FindFirst(ulong bit, ulong count, bool value)
        {
            ulong offset = 0;
            while (offset < count)
            {
                ulong at = bit + offset;
                int shift = (int)(at & 63);
                ulong w = Word(at >> 6);
                ulong hits = (value ? w : ~w) >> shift;
                ulong available = (ulong)(64 - shift);
                if (hits != 0)
                {
                    ulong found = offset + (ulong)TrailingZeroCount(hits);
                    return found < count ? found : NotFound;
                }
                offset += available;
            }
            return NotFound;
        }

        /// <summary>Clear bits in the whole storage (for consistency checks).</summary>
        public ulong CountClear()
        {
            ulong total = 0;
            for (ulong i = 0; i < _count; i++)
            {
                ulong free = ~Word(i);
                while (free != 0)
                {
                    free &= free - 1;
                    total++;
                }
            }
            return total;
        }

        /// <summary>Index of the lowest set bit of a non-zero value (no BitOperations in the kernel corelib).</summary>
        public static int TrailingZeroCount(ulong value)
        {
            if (value == 0)
                return 64;
            int n = 0;
            if ((value & 0xFFFF_FFFF) == 0) { n += 32; value >>= 32; }
            if ((value & 0xFFFF) == 0) { n += 16; value >>= 16; }
            if ((value & 0xFF) == 0) { n += 8; value >>= 8; }
            if ((value & 0xF) == 0) { n += 4; value >>= 4; }
            if ((value & 0x3) == 0) { n += 2; value >>= 2; }
            if ((value & 0x1) == 0) n += 1;
            return n;
        }
    }
}
