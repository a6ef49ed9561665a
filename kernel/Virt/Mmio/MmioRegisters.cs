// General registers as instruction operands: Iced's register names to the guest's 16 GPRs, and the
// x86 rules for writing part of one (SDM Vol. 1 §3.4.1.1 "General-Purpose Registers in 64-Bit Mode"):
// an 8-bit (AL..R15L, or AH/CH/DH/BH) or 16-bit result leaves the other bits alone, a 32-bit result
// is zero-extended into the full register, a 64-bit result replaces it.
using Iced.Intel;

namespace Hv.Virt.Mmio
{
    /// <summary>A general-register operand: which GPR, how many bytes, and whether it is AH/CH/DH/BH (bits 15:8).</summary>
    public struct GprOperand
    {
        public GuestRegister Register;
        public byte Bytes;
        public bool HighByte;
    }

    public static class MmioRegisters
    {
        /// <summary>
        /// Iced's general registers run AL..BL, AH..BH, SPL..DIL, R8L..R15L, then AX.., EAX.., RAX..R15,
        /// each group in x86 encoding order (asserted by the unit tests). False for anything else
        /// (segment, control, vector registers, RIP).
        /// </summary>
        public static bool TryMap(Register r, out GprOperand g)
        {
            g = default;
            int i;
            if (r >= Register.AL && r <= Register.R15L)
            {
                i = r - Register.AL;
                g.Bytes = 1;
                if (i >= 4 && i < 8) { g.HighByte = true; i -= 4; }
                else if (i >= 8) i -= 4;
            }
            else if (r >= Register.AX && r <= Register.R15W) { i = r - Register.AX; g.Bytes = 2; }
            else if (r >= Register.EAX && r <= Register.R15D) { i = r - Register.EAX; g.Bytes = 4; }
            else if (r >= Register.RAX && r <= Register.R15) { i = r - Register.RAX; g.Bytes = 8; }
            else return false;
            g.Register = (GuestRegister)i;
            return true;
        }

        /// <summary>The operand's value, zero-extended.</summary>
        public static ulong Read(IVcpuState s, in GprOperand g)
        {
            ulong v = s.Get(g.Register);
            if (g.HighByte) v >>= 8;
            return v & Mask(g.Bytes);
        }

        /// <summary>Writes the low g.Bytes bytes of <paramref name="value"/> with the partial-register rules.</summary>
        public static void Write(IVcpuState s, in GprOperand g, ulong value)
        {
            s.Set(g.Register, Merge(s.Get(g.Register), g.Bytes, g.HighByte, value));
        }

        /// <summary>The register's new value after writing <paramref name="bytes"/> bytes of <paramref name="value"/>.</summary>
        public static ulong Merge(ulong old, int bytes, bool highByte, ulong value)
        {
            switch (bytes)
            {
                case 1: return highByte ? (old & ~0xFF00UL) | ((value & 0xFF) << 8) : (old & ~0xFFUL) | (value & 0xFF);
                case 2: return (old & ~0xFFFFUL) | (value & 0xFFFF);
                case 4: return value & 0xFFFF_FFFF;
                default: return value;
            }
        }

        /// <summary>All-ones in the low <paramref name="bytes"/> bytes (1-8).</summary>
        public static ulong Mask(int bytes) => bytes >= 8 ? ulong.MaxValue : (1UL << (8 * bytes)) - 1;

        /// <summary>Sign-extends the low <paramref name="bytes"/> bytes of <paramref name="value"/> to 64 bits.</summary>
        public static ulong SignExtend(ulong value, int bytes)
        {
            if (bytes >= 8) return value;
            int shift = 64 - 8 * bytes;
            return (ulong)((long)(value << shift) >> shift);
        }
    }
}
