// A vCPU's external interrupts waiting for delivery: a 256-bit set, one bit per vector, like a LAPIC's
// IRR (SDM Vol. 3A §11.8.4). Fixed size, so it never overflows and never allocates; the same vector
// posted twice before delivery is delivered once (as edge interrupts coalesce in the IRR). Delivery
// order is highest vector first, the LAPIC's priority order (§11.8.3.1). Vectors 0-31 are
// exceptions and never pass through here (Vcpu.InjectException injects them directly).
namespace Hv.Virt
{
    // SAFETY: the fixed buffer has 4 words and every index is vector >> 6 of a byte (0-3) or a loop over 0-3.
    public unsafe struct PendingInterrupts
    {
        public const int FirstInterruptVector = 32;

        private fixed ulong _bits[4];
        private int _count;

        public bool Any => _count != 0;
        public int Count => _count;

        /// <summary>Marks <paramref name="vector"/> pending; false when it is an exception vector or already pending.</summary>
        public bool Post(byte vector)
        {
            if (vector < FirstInterruptVector)
                return false;
            ulong bit = 1UL << (vector & 63);
            if ((_bits[vector >> 6] & bit) != 0)
                return false;
            _bits[vector >> 6] |= bit;
            _count++;
            return true;
        }

        public bool IsPending(byte vector) => (_bits[vector >> 6] & (1UL << (vector & 63))) != 0;

        /// <summary>The highest pending vector, without removing it.</summary>
        public bool TryPeekHighest(out byte vector)
        {
            vector = 0;
            if (_count == 0)
                return false;                           // the usual case before an entry: nothing to scan
            for (int w = 3; w >= 0; w--)
            {
                ulong word = _bits[w];
                if (word == 0)
                    continue;
                vector = (byte)(w * 64 + HighestBit(word));
                return true;
            }
            return false;
        }

        public void Remove(byte vector)
        {
            ulong bit = 1UL << (vector & 63);
            if ((_bits[vector >> 6] & bit) == 0)
                return;
            _bits[vector >> 6] &= ~bit;
            _count--;
        }

        private static int HighestBit(ulong word)
        {
            int n = 0;
            if ((word >> 32) != 0) { word >>= 32; n += 32; }
            if ((word >> 16) != 0) { word >>= 16; n += 16; }
            if ((word >> 8) != 0) { word >>= 8; n += 8; }
            if ((word >> 4) != 0) { word >>= 4; n += 4; }
            if ((word >> 2) != 0) { word >>= 2; n += 2; }
            if ((word >> 1) != 0) n += 1;
            return n;
        }
    }
}
