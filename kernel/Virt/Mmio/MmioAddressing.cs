// From a decoded memory operand to the linear address the guest meant (SDM Vol. 1 §3.7.5 "Specifying
// an Offset", Vol. 3A §3.4.4 "Segment Loading Instructions in IA-32e Mode"):
//   effective address = base + index * scale + displacement, truncated to the address size
//   (16, 32 or 64 bits: the code segment's default, toggled by a 67h prefix, Vol. 1 §3.6.1);
//   linear = segment base + effective address; outside 64-bit mode wrapped to 32 bits. In 64-bit mode
//   only FS and GS have a base; CS, DS, ES and SS count as 0.
// Segment limits and types are not checked (flat segments assumed, as in StringIoExit); a 16-bit
// guest that relies on a limit fault does not get it.
using Iced.Intel;

namespace Hv.Virt.Mmio
{
    internal static class MmioAddressing
    {
        private const byte AddressSizeOverride = 0x67;

        /// <summary>
        /// Address size in bytes (2, 4, 8) of the instruction in <paramref name="code"/>: the mode's default, or
        /// the other one with a 67h prefix (64-bit: 8 -> 4; 32-bit: 4 -> 2; 16-bit: 2 -> 4). Only the legacy
        /// prefixes (and REX in 64-bit mode) before the opcode are scanned.
        /// </summary>
        public static int AddressSize(System.ReadOnlySpan<byte> code, int length, int bitness)
        {
            bool toggled = false;
            for (int i = 0; i < length && i < code.Length; i++)
            {
                byte b = code[i];
                if (b == AddressSizeOverride) toggled = true;
                else if (!IsLegacyPrefix(b) && !(bitness == 64 && (b & 0xF0) == 0x40)) break;
            }
            if (bitness == 64) return toggled ? 4 : 8;
            if (bitness == 32) return toggled ? 2 : 4;
            return toggled ? 4 : 2;
        }

        /// <summary>Group 1-4 prefixes (SDM Vol. 2A §2.1.1): LOCK, REPNE, REP, segment overrides, 66h, 67h.</summary>
        private static bool IsLegacyPrefix(byte b)
        {
            switch (b)
            {
                case 0xF0: case 0xF2: case 0xF3:
                case 0x26: case 0x2E: case 0x36: case 0x3E: case 0x64: case 0x65:
                case 0x66: case 0x67:
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>
        /// The effective address of the instruction's explicit memory operand (OpKind.Memory). RIP-relative
        /// operands come out of Iced already resolved against the decoder's IP (the guest's RIP). False for a
        /// base or index that is not a general register (a VSIB vector index: never one of our forms).
        /// </summary>
        public static bool TryEffectiveAddress(IVcpuState s, in Instruction ins, int addressSize, out ulong ea)
        {
            ea = 0;
            if (ins.IsIPRelativeMemoryOperand)
            {
                ea = ins.IPRelativeMemoryAddress & MmioRegisters.Mask(addressSize);
                return true;
            }
            ulong sum = ins.MemoryDisplacement64;
            if (ins.MemoryBase != Register.None)
            {
                if (!MmioRegisters.TryMap(ins.MemoryBase, out GprOperand b) || b.HighByte) return false;
                sum += s.Get(b.Register);
            }
            if (ins.MemoryIndex != Register.None)
            {
                if (!MmioRegisters.TryMap(ins.MemoryIndex, out GprOperand x) || x.HighByte) return false;
                sum += s.Get(x.Register) * (ulong)ins.MemoryIndexScale;
            }
            // The low address-size bits of the sum depend only on the low bits of its terms, so the
            // registers need no truncation of their own.
            ea = sum & MmioRegisters.Mask(addressSize);
            return true;
        }

        /// <summary>Linear address of <paramref name="ea"/> in <paramref name="segment"/>.</summary>
        public static ulong Linear(IVcpuState s, int bitness, Register segment, ulong ea)
        {
            ulong linear = SegmentBase(s, bitness, segment) + ea;
            return bitness == 64 ? linear : linear & 0xFFFF_FFFF;
        }

        /// <summary>The hidden (descriptor-cache) base of <paramref name="segment"/>; 0 for CS/DS/ES/SS in 64-bit mode.</summary>
        public static ulong SegmentBase(IVcpuState s, int bitness, Register segment)
        {
            switch (segment)
            {
                case Register.FS: return s.Get(GuestRegister.FsBase);
                case Register.GS: return s.Get(GuestRegister.GsBase);
            }
            if (bitness == 64)
                return 0;
            switch (segment)
            {
                case Register.ES: return s.Get(GuestRegister.EsBase);
                case Register.CS: return s.Get(GuestRegister.CsBase);
                case Register.SS: return s.Get(GuestRegister.SsBase);
                default: return s.Get(GuestRegister.DsBase);
            }
        }

        /// <summary>
        /// The next address of a string operand's index register: address-size wide, 16-bit updates keep
        /// bits 63:16, 32-bit ones zero-extend (as register writes do).
        /// </summary>
        public static ulong Step(ulong index, long delta, int addressSize)
        {
            ulong next = index + (ulong)delta;
            return MmioRegisters.Merge(index, addressSize, false, next);
        }
    }
}
