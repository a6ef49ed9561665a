// The arithmetic of the emulated instructions and the status flags they leave (SDM Vol. 1 §3.4.3.1
// and Appendix A "EFLAGS Cross-Reference"; each instruction's "Flags Affected" in Vol. 2):
//   ADD ADC SUB SBB CMP NEG   CF OF SF ZF AF PF from the result
//   INC DEC                   as ADD/SUB with 1, CF unchanged
//   AND OR XOR TEST           CF = OF = 0, SF ZF PF from the result; AF undefined: cleared
//   NOT, XCHG, MOV*           no flags
//   BT BTS BTR BTC            CF = the selected bit; OF SF AF PF undefined: left unchanged; ZF unchanged
// The undefined choices are what the reference CPU does: the unit tests execute every form on the
// host and compare (measured on AMD EPYC; the SDM calls these flags undefined, so an Intel part may
// differ, and a guest must not depend on them).
// CF and OF come from the carries into and out of the top bit, written with the identities
//   carry out  = (a AND b) OR ((a OR b) AND NOT r)      (addition, carry-in folded into r)
//   borrow out = (NOT a AND b) OR ((NOT a OR b) AND r)  (subtraction)
// which hold bit by bit, so they work at every width including 64 without a wider type.
namespace Hv.Virt.Mmio
{
    internal enum MmioOp : byte
    {
        None,
        Mov, Movzx, Movsx,
        Add, Or, Adc, Sbb, And, Sub, Xor, Cmp, Test,
        Bt, Bts, Btr, Btc,
        Xchg, Inc, Dec, Not, Neg,
    }

    internal static class MmioAlu
    {
        public const ulong CF = 1UL << 0, PF = 1UL << 2, AF = 1UL << 4, ZF = 1UL << 6, SF = 1UL << 7, OF = 1UL << 11;
        public const ulong Status = CF | PF | AF | ZF | SF | OF;
        public const ulong DF = 1UL << 10;

        /// <summary>
        /// <paramref name="a"/> op <paramref name="b"/> at <paramref name="bytes"/> width (both already truncated).
        /// Returns the result (truncated) and the new RFLAGS: the bits the instruction defines replaced, the rest kept.
        /// For INC/DEC/NOT/NEG <paramref name="b"/> is ignored.
        /// </summary>
        public static ulong Compute(MmioOp op, int bytes, ulong a, ulong b, ulong rflags, out ulong newFlags)
        {
            ulong mask = MmioRegisters.Mask(bytes);
            ulong sign = 1UL << (8 * bytes - 1);
            ulong carryIn = rflags & CF;
            ulong r;
            switch (op)
            {
                case MmioOp.Add:
                case MmioOp.Adc:
                    r = (a + b + (op == MmioOp.Adc ? carryIn : 0)) & mask;
                    newFlags = Arithmetic(rflags, Status, r, sign, ((a & b) | ((a | b) & ~r)) & sign, (a ^ r) & (b ^ r) & sign, a ^ b ^ r);
                    return r;
                case MmioOp.Sub:
                case MmioOp.Sbb:
                case MmioOp.Cmp:
                    r = (a - b - (op == MmioOp.Sbb ? carryIn : 0)) & mask;
                    newFlags = Arithmetic(rflags, Status, r, sign, ((~a & b) | ((~a | b) & r)) & sign, (a ^ b) & (a ^ r) & sign, a ^ b ^ r);
                    return r;
                case MmioOp.Neg:
                    r = (0 - a) & mask;
                    newFlags = Arithmetic(rflags, Status, r, sign, a != 0 ? sign : 0, a & r & sign, a ^ r);
                    return r;
                case MmioOp.Inc:
                    r = (a + 1) & mask;
                    newFlags = Arithmetic(rflags, Status & ~CF, r, sign, 0, ~a & r & sign, a ^ 1 ^ r);
                    return r;
                case MmioOp.Dec:
                    r = (a - 1) & mask;
                    newFlags = Arithmetic(rflags, Status & ~CF, r, sign, 0, a & ~r & sign, a ^ 1 ^ r);
                    return r;
                case MmioOp.And:
                case MmioOp.Test:
                    r = a & b;
                    newFlags = Arithmetic(rflags, Status, r, sign, 0, 0, 0);
                    return r;
                case MmioOp.Or:
                    r = a | b;
                    newFlags = Arithmetic(rflags, Status, r, sign, 0, 0, 0);
                    return r;
                case MmioOp.Xor:
                    r = a ^ b;
                    newFlags = Arithmetic(rflags, Status, r, sign, 0, 0, 0);
                    return r;
                case MmioOp.Not:
                    newFlags = rflags;
                    return ~a & mask;
                default:
                    newFlags = rflags;
                    return a;
            }
        }

        /// <summary>BT/BTS/BTR/BTC on <paramref name="a"/>: CF = bit <paramref name="bit"/> before, the result with it set/cleared/flipped.</summary>
        public static ulong BitTest(MmioOp op, ulong a, int bit, ulong rflags, out ulong newFlags)
        {
            ulong m = 1UL << bit;
            newFlags = (rflags & ~CF) | ((a & m) != 0 ? CF : 0);
            switch (op)
            {
                case MmioOp.Bts: return a | m;
                case MmioOp.Btr: return a & ~m;
                case MmioOp.Btc: return a ^ m;
                default: return a;
            }
        }

        /// <summary>RFLAGS with the bits in <paramref name="written"/> set from the result; <paramref name="carry"/>, <paramref name="overflow"/> nonzero = set.</summary>
        private static ulong Arithmetic(ulong rflags, ulong written, ulong r, ulong sign, ulong carry, ulong overflow, ulong adjust)
        {
            ulong f = 0;
            if (carry != 0) f |= CF;
            if (Parity(r)) f |= PF;
            if ((adjust & 0x10) != 0) f |= AF;
            if (r == 0) f |= ZF;
            if ((r & sign) != 0) f |= SF;
            if (overflow != 0) f |= OF;
            return (rflags & ~written) | (f & written);
        }

        /// <summary>PF: set when the result's low byte has an even number of 1 bits.</summary>
        private static bool Parity(ulong r)
        {
            uint b = (uint)(r & 0xFF);
            b ^= b >> 4;
            b ^= b >> 2;
            b ^= b >> 1;
            return (b & 1) == 0;
        }
    }
}
