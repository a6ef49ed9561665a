using System;
using Iced.Intel;

namespace Hv.Virt
{
    public enum MmioExtension : byte { None, Zero, Sign }

    /// <summary>An MMIO access as the faulting instruction performs it.</summary>
    public struct MmioOperation
    {
        public bool Write;
        /// <summary>Memory operand bytes: 1, 2, 4 or 8.</summary>
        public byte Size;
        public byte Length;
        /// <summary>Write: the value stored (register or immediate), truncated to Size.</summary>
        public ulong Value;
        /// <summary>Read: destination register, its width in bytes, AH/CH/DH/BH, and MOVZX/MOVSX extension.</summary>
        public GuestRegister Register;
        public byte RegisterBytes;
        public bool HighByte;
        public MmioExtension Extension;
    }

    /// <summary>
    /// Decodes the instruction that touched MMIO (EPT violation or nested page fault outside RAM: the CPU reports the
    /// address, not the operation) with Iced. Supported: MOV r/m,r / r,r/m / r/m,imm / moffs forms,
    /// MOVZX, MOVSX, MOVSXD — what MMIO drivers use; anything else is refused and the VM stops.
    /// Shared by both backends. One decoder per bitness, built once per vCPU; decoding allocates nothing.
    /// </summary>
    public sealed class MmioInstructionDecoder
    {
        private sealed class BufferReader : CodeReader
        {
            public readonly byte[] Bytes = new byte[15];
            public int Position, Count;
            public override int ReadByte() => Position < Count ? Bytes[Position++] : -1;
        }

        private readonly BufferReader _reader = new BufferReader();
        private readonly Decoder _d16, _d32, _d64;

        public MmioInstructionDecoder()
        {
            _d16 = Decoder.Create(16, _reader);
            _d32 = Decoder.Create(32, _reader);
            _d64 = Decoder.Create(64, _reader);
        }

        /// <param name="code">the instruction bytes at CS:RIP (up to 15).</param>
        /// <param name="bitness">16, 32 or 64: the code segment's default operand size / 64-bit mode.</param>
        public bool TryDecode(ReadOnlySpan<byte> code, int bitness, IVcpuState state, out MmioOperation op)
        {
            op = default;
            int n = Math.Min(code.Length, _reader.Bytes.Length);
            for (int i = 0; i < n; i++) _reader.Bytes[i] = code[i];
            _reader.Position = 0;
            _reader.Count = n;
            Decoder d = bitness == 64 ? _d64 : bitness == 32 ? _d32 : _d16;
            d.IP = 0;
            d.Decode(out Instruction ins);
            if (ins.IsInvalid || ins.Length > n) return false;
            Mnemonic m = ins.Mnemonic;
            if (m != Mnemonic.Mov && m != Mnemonic.Movzx && m != Mnemonic.Movsx && m != Mnemonic.Movsxd) return false;
            op.Size = MemoryBytes(ins.MemorySize);
            op.Length = (byte)ins.Length;
            if (op.Size == 0) return false;
            ulong mask = op.Size == 8 ? ulong.MaxValue : (1ul << (8 * op.Size)) - 1;
            if (ins.Op0Kind == OpKind.Memory && m == Mnemonic.Mov)
            {
                op.Write = true;
                if (ins.Op1Kind == OpKind.Register)
                {
                    if (!TryRegister(ins.Op1Register, out GuestRegister src, out byte bytes, out bool high)) return false;
                    ulong v = state.Get(src);
                    op.Value = (high ? v >> 8 : v) & mask;
                }
                else if (!TryImmediate(ins, out ulong imm)) return false;
                else op.Value = imm & mask;
                return true;
            }
            if (ins.Op1Kind != OpKind.Memory || ins.Op0Kind != OpKind.Register) return false;
            if (!TryRegister(ins.Op0Register, out op.Register, out op.RegisterBytes, out op.HighByte)) return false;
            op.Extension = m == Mnemonic.Movzx ? MmioExtension.Zero : m == Mnemonic.Mov ? MmioExtension.None : MmioExtension.Sign;
            return true;
        }

        /// <summary>The destination register's new value after a read of <paramref name="data"/> (x86 partial-register rules).</summary>
        public static ulong Merge(ulong old, in MmioOperation op, ulong data)
        {
            int bits = 8 * op.Size;
            ulong v = bits == 64 ? data : data & ((1ul << bits) - 1);
            if (op.Extension == MmioExtension.Sign && bits < 64 && (v >> (bits - 1)) != 0) v |= ulong.MaxValue << bits;
            switch (op.RegisterBytes)
            {
                case 1: return op.HighByte ? (old & ~0xFF00ul) | ((v & 0xFF) << 8) : (old & ~0xFFul) | (v & 0xFF);
                case 2: return (old & ~0xFFFFul) | (v & 0xFFFF);
                case 4: return v & 0xFFFF_FFFF; // a 32-bit destination zero-extends into the full register
                default: return v;
            }
        }

        /// <summary>The MOV immediates (Instruction.GetImmediate is avoided: its error path needs string.Format).</summary>
        private static bool TryImmediate(in Instruction ins, out ulong value)
        {
            switch (ins.Op1Kind)
            {
                case OpKind.Immediate8: value = ins.Immediate8; return true;
                case OpKind.Immediate16: value = ins.Immediate16; return true;
                case OpKind.Immediate32: value = ins.Immediate32; return true;
                case OpKind.Immediate32to64: value = (ulong)ins.Immediate32to64; return true;
                default: value = 0; return false;
            }
        }

        private static byte MemoryBytes(MemorySize s)
        {
            switch (s)
            {
                case MemorySize.UInt8: case MemorySize.Int8: return 1;
                case MemorySize.UInt16: case MemorySize.Int16: return 2;
                case MemorySize.UInt32: case MemorySize.Int32: return 4;
                case MemorySize.UInt64: case MemorySize.Int64: return 8;
                default: return 0;
            }
        }

        /// <summary>
        /// Iced's general registers run AL..BL, AH..BH, SPL..DIL, R8L..R15L, then AX.., EAX.., RAX..R15,
        /// each group in x86 encoding order (asserted by MmioInstructionTests).
        /// </summary>
        public static bool TryRegister(Register r, out GuestRegister g, out byte bytes, out bool high)
        {
            g = 0; bytes = 0; high = false;
            int i;
            if (r >= Register.AL && r <= Register.R15L)
            {
                i = r - Register.AL;
                bytes = 1;
                if (i >= 4 && i < 8) { high = true; i -= 4; }
                else if (i >= 8) i -= 4;
            }
            else if (r >= Register.AX && r <= Register.R15W) { i = r - Register.AX; bytes = 2; }
            else if (r >= Register.EAX && r <= Register.R15D) { i = r - Register.EAX; bytes = 4; }
            else if (r >= Register.RAX && r <= Register.R15) { i = r - Register.RAX; bytes = 8; }
            else return false;
            g = (GuestRegister)i;
            return true;
        }
    }
}
