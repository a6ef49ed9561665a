// 256-bit vector sets as the APIC keeps them: eight 32-bit words, word i holding vectors 32i..32i+31
// (IRR/ISR/TMR, SDM Vol. 3A §11.8.4 Figure 11-20). The *Atomic operations are for the sets that
// other threads write (IRR and TMR, by LocalApic.Accept); ISR belongs to the vCPU thread alone.
// SAFETY of the indexing: every index is vector >> 5 with vector a byte (0-7), or a loop over 0-7.
using System.Threading;

namespace Hv.Devices.Lapic
{
    internal static class ApicVectorBits
    {
        public const int Words = 8;

        public static bool Test(int[] words, byte vector) =>
            (Volatile.Read(ref words[vector >> 5]) & (1 << (vector & 31))) != 0;

        /// <summary>Sets the bit with a compare-exchange loop; true when it was clear before.</summary>
        public static bool SetAtomic(int[] words, byte vector)
        {
            ref int word = ref words[vector >> 5];
            int bit = 1 << (vector & 31);
            while (true)
            {
                int old = Volatile.Read(ref word);
                if ((old & bit) != 0)
                    return false;
                if (Interlocked.CompareExchange(ref word, old | bit, old) == old)
                    return true;
            }
        }

        /// <summary>Clears the bit with a compare-exchange loop; true when it was set before.</summary>
        public static bool ClearAtomic(int[] words, byte vector)
        {
            ref int word = ref words[vector >> 5];
            int bit = 1 << (vector & 31);
            while (true)
            {
                int old = Volatile.Read(ref word);
                if ((old & bit) == 0)
                    return false;
                if (Interlocked.CompareExchange(ref word, old & ~bit, old) == old)
                    return true;
            }
        }

        public static void Set(int[] words, byte vector) => words[vector >> 5] |= 1 << (vector & 31);

        public static void Clear(int[] words, byte vector) => words[vector >> 5] &= ~(1 << (vector & 31));

        /// <summary>The highest vector in the set, or -1 when it is empty.</summary>
        public static int Highest(int[] words)
        {
            for (int i = Words - 1; i >= 0; i--)
            {
                uint word = (uint)Volatile.Read(ref words[i]);
                if (word != 0)
                    return i * 32 + HighestBit(word);
            }
            return -1;
        }

        public static void ClearAll(int[] words)
        {
            for (int i = 0; i < Words; i++)
                Interlocked.Exchange(ref words[i], 0);
        }

        private static int HighestBit(uint word)
        {
            int n = 0;
            if ((word >> 16) != 0) { word >>= 16; n += 16; }
            if ((word >> 8) != 0) { word >>= 8; n += 8; }
            if ((word >> 4) != 0) { word >>= 4; n += 4; }
            if ((word >> 2) != 0) { word >>= 2; n += 2; }
            if ((word >> 1) != 0) n += 1;
            return n;
        }
    }
}
