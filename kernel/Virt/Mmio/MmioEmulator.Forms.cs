// The instructions with one explicit memory operand (SDM Vol. 2 for each mnemonic). The operand is
// translated with the rights its use needs before anything is read (a store or read-modify-write
// checks for write, SDM Vol. 3A §4.6), read once if the instruction reads it, written once if it
// writes it; registers and RFLAGS change only after the memory side succeeded.
using Iced.Intel;

namespace Hv.Virt.Mmio
{
    public sealed partial class MmioEmulator
    {
        private static MmioResult EmulateForm(ref MmioContext ctx, in Instruction ins, in GuestPageWalker walker, int bitness, int addressSize)
        {
            MmioOp op = OpOf(ins.Mnemonic);
            if (op == MmioOp.None)
                return MmioResult.InjectUd;
            int count = ins.OpCount;
            int memory = ins.Op0Kind == OpKind.Memory ? 0 : count > 1 && ins.Op1Kind == OpKind.Memory ? 1 : -1;
            int bytes = MemoryBytes(ins.MemorySize);
            if (memory < 0 || bytes == 0 || count > 2 || (count == 1) != IsUnary(op))
                return MmioResult.InjectUd;
            // LOCK only on a read-modify-write of memory (SDM Vol. 2A "LOCK"); Iced already refuses most others.
            if (ins.HasLockPrefix && (memory != 0 || !Lockable(op)))
                return MmioResult.InjectUd;

            IVcpuState s = ctx.State;
            // The other operand: a general register or an immediate (absent for INC/DEC/NOT/NEG).
            GprOperand reg = default;
            ulong other = 0;
            bool otherIsRegister = false;
            if (count == 2)
            {
                OpKind kind = memory == 0 ? ins.Op1Kind : ins.Op0Kind;
                if (kind == OpKind.Register)
                {
                    if (!MmioRegisters.TryMap(memory == 0 ? ins.Op1Register : ins.Op0Register, out reg))
                        return MmioResult.InjectUd;     // segment register moves and the like
                    other = MmioRegisters.Read(s, reg);
                    otherIsRegister = true;
                }
                else if (!TryImmediate(in ins, kind, out other))
                    return MmioResult.InjectUd;
            }

            if (!MmioAddressing.TryEffectiveAddress(s, in ins, addressSize, out ulong ea))
                return MmioResult.InjectUd;
            int bit = 0;
            if (op == MmioOp.Bt || op == MmioOp.Bts || op == MmioOp.Btr || op == MmioOp.Btc)
            {
                if (memory != 0)
                    return MmioResult.InjectUd;
                bit = BitOffset(ref ea, other, otherIsRegister, bytes, addressSize);
            }
            Register segment = ins.MemorySegment;
            ulong linear = MmioAddressing.Linear(s, bitness, segment, ea);
            AccessKind access = WritesMemory(op, memory) ? AccessKind.Write : AccessKind.Read;
            MmioResult r = MmioOperand.Resolve(ref ctx, walker, bitness, linear, bytes, access, segment == Register.SS, out MmioOperand m);
            if (r != MmioResult.Done)
                return r;
            if (!m.Covers(ctx.GuestPhysical))
                return MmioResult.Unsupported;      // see MmioEmulator.cs: not the access that exited

            switch (op)
            {
                case MmioOp.Mov:
                    if (memory == 0)
                        return Store(ref ctx, in m, other);
                    if (!otherIsRegister)
                        return MmioResult.InjectUd;
                    return Load(ref ctx, in m, in reg, bytes, false);
                case MmioOp.Movzx:
                case MmioOp.Movsx:
                    if (memory != 1 || !otherIsRegister)
                        return MmioResult.InjectUd;
                    return Load(ref ctx, in m, in reg, bytes, op == MmioOp.Movsx);
                case MmioOp.Xchg:
                    return Exchange(ref ctx, in m, in reg, other, otherIsRegister);
                case MmioOp.Bt:
                case MmioOp.Bts:
                case MmioOp.Btr:
                case MmioOp.Btc:
                    return BitTest(ref ctx, in m, op, bit);
                default:
                    return Arithmetic(ref ctx, in m, op, memory, in reg, other, bytes);
            }
        }

        private static MmioResult Store(ref MmioContext ctx, in MmioOperand m, ulong value) =>
            m.Write(ref ctx, value) ? MmioResult.Done : MmioResult.Unsupported;

        /// <summary>MOV, MOVZX, MOVSX, MOVSXD into a register (sign-extension from the memory operand's width).</summary>
        private static MmioResult Load(ref MmioContext ctx, in MmioOperand m, in GprOperand reg, int bytes, bool signExtend)
        {
            if (!m.Read(ref ctx, out ulong v))
                return MmioResult.Unsupported;
            if (signExtend)
                v = MmioRegisters.SignExtend(v, bytes);
            MmioRegisters.Write(ctx.State, reg, v);
            return MmioResult.Done;
        }

        /// <summary>XCHG r/m, r: the old memory value goes to the register, the register's to memory (no flags).</summary>
        private static MmioResult Exchange(ref MmioContext ctx, in MmioOperand m, in GprOperand reg, ulong value, bool isRegister)
        {
            if (!isRegister)
                return MmioResult.InjectUd;
            if (!m.Read(ref ctx, out ulong old) || !m.Write(ref ctx, value))
                return MmioResult.Unsupported;
            MmioRegisters.Write(ctx.State, reg, old);
            return MmioResult.Done;
        }

        private static MmioResult BitTest(ref MmioContext ctx, in MmioOperand m, MmioOp op, int bit)
        {
            IVcpuState s = ctx.State;
            if (!m.Read(ref ctx, out ulong v))
                return MmioResult.Unsupported;
            ulong result = MmioAlu.BitTest(op, v, bit, s.Get(GuestRegister.Rflags), out ulong flags);
            if (op != MmioOp.Bt && !m.Write(ref ctx, result))
                return MmioResult.Unsupported;
            s.Set(GuestRegister.Rflags, flags);
            return MmioResult.Done;
        }

        /// <summary>The ALU forms: memory op= source, register op= memory, CMP/TEST (flags only), INC/DEC/NOT/NEG.</summary>
        private static MmioResult Arithmetic(ref MmioContext ctx, in MmioOperand m, MmioOp op, int memory, in GprOperand reg, ulong other, int bytes)
        {
            IVcpuState s = ctx.State;
            if (!m.Read(ref ctx, out ulong v))
                return MmioResult.Unsupported;
            ulong mask = MmioRegisters.Mask(bytes);
            ulong a = memory == 0 ? v : other & mask;
            ulong b = memory == 0 ? other & mask : v;
            ulong result = MmioAlu.Compute(op, bytes, a, b, s.Get(GuestRegister.Rflags), out ulong flags);
            if (op != MmioOp.Cmp && op != MmioOp.Test)
            {
                if (memory == 0)
                {
                    if (!m.Write(ref ctx, result))
                        return MmioResult.Unsupported;
                }
                else
                    MmioRegisters.Write(s, reg, result);
            }
            s.Set(GuestRegister.Rflags, flags);
            return MmioResult.Done;
        }

        /// <summary>
        /// BT family: the bit within the operand, and the operand's address. An immediate offset is taken
        /// modulo the operand width; a register offset is a signed bit index into a bit string starting at
        /// the operand, so the access moves by whole operands: EA + size * (offset DIV width) (SDM Vol. 2A
        /// "BT", "Bit(BitBase, BitOffset)" in §3.1.1.9).
        /// </summary>
        private static int BitOffset(ref ulong ea, ulong offset, bool register, int bytes, int addressSize)
        {
            int width = 8 * bytes;
            if (!register)
                return (int)(offset & (ulong)(width - 1));
            long signed = (long)MmioRegisters.SignExtend(offset, bytes);
            int shift = bytes == 2 ? 4 : bytes == 4 ? 5 : 6;
            long units = signed >> shift;                 // arithmetic shift: floor division, as DIV here means
            ea = (ea + (ulong)(units * bytes)) & MmioRegisters.Mask(addressSize);
            return (int)(signed & (width - 1));
        }

        private static MmioOp OpOf(Mnemonic m)
        {
            switch (m)
            {
                case Mnemonic.Mov: return MmioOp.Mov;
                case Mnemonic.Movzx: return MmioOp.Movzx;
                case Mnemonic.Movsx: case Mnemonic.Movsxd: return MmioOp.Movsx;
                case Mnemonic.Add: return MmioOp.Add;
                case Mnemonic.Or: return MmioOp.Or;
                case Mnemonic.Adc: return MmioOp.Adc;
                case Mnemonic.Sbb: return MmioOp.Sbb;
                case Mnemonic.And: return MmioOp.And;
                case Mnemonic.Sub: return MmioOp.Sub;
                case Mnemonic.Xor: return MmioOp.Xor;
                case Mnemonic.Cmp: return MmioOp.Cmp;
                case Mnemonic.Test: return MmioOp.Test;
                case Mnemonic.Bt: return MmioOp.Bt;
                case Mnemonic.Bts: return MmioOp.Bts;
                case Mnemonic.Btr: return MmioOp.Btr;
                case Mnemonic.Btc: return MmioOp.Btc;
                case Mnemonic.Xchg: return MmioOp.Xchg;
                case Mnemonic.Inc: return MmioOp.Inc;
                case Mnemonic.Dec: return MmioOp.Dec;
                case Mnemonic.Not: return MmioOp.Not;
                case Mnemonic.Neg: return MmioOp.Neg;
                default: return MmioOp.None;
            }
        }

        private static bool IsUnary(MmioOp op) => op == MmioOp.Inc || op == MmioOp.Dec || op == MmioOp.Not || op == MmioOp.Neg;

        /// <summary>SDM Vol. 2A "LOCK": ADD ADC AND BTC BTR BTS DEC INC NEG NOT OR SBB SUB XOR XCHG (CMPXCHG, XADD: not emulated).</summary>
        private static bool Lockable(MmioOp op)
        {
            switch (op)
            {
                case MmioOp.Add: case MmioOp.Adc: case MmioOp.And: case MmioOp.Btc: case MmioOp.Btr: case MmioOp.Bts:
                case MmioOp.Dec: case MmioOp.Inc: case MmioOp.Neg: case MmioOp.Not: case MmioOp.Or: case MmioOp.Sbb:
                case MmioOp.Sub: case MmioOp.Xor: case MmioOp.Xchg:
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>Whether the memory operand is written: stores, read-modify-write forms, XCHG.</summary>
        private static bool WritesMemory(MmioOp op, int memory)
        {
            switch (op)
            {
                case MmioOp.Cmp: case MmioOp.Test: case MmioOp.Bt: case MmioOp.Movzx: case MmioOp.Movsx:
                    return false;
                case MmioOp.Xchg:
                    return true;
                default:
                    return memory == 0;
            }
        }

        /// <summary>Immediates by kind (Instruction.GetImmediate is avoided: its error path builds a string).</summary>
        private static bool TryImmediate(in Instruction ins, OpKind kind, out ulong value)
        {
            switch (kind)
            {
                case OpKind.Immediate8: value = ins.Immediate8; return true;
                case OpKind.Immediate16: value = ins.Immediate16; return true;
                case OpKind.Immediate32: value = ins.Immediate32; return true;
                case OpKind.Immediate8to16: value = (ulong)(long)ins.Immediate8to16; return true;
                case OpKind.Immediate8to32: value = (ulong)(long)ins.Immediate8to32; return true;
                case OpKind.Immediate8to64: value = (ulong)ins.Immediate8to64; return true;
                case OpKind.Immediate32to64: value = (ulong)ins.Immediate32to64; return true;
                default: value = 0; return false;
            }
        }

        /// <summary>Width of the memory operand for the integer forms above; 0 for anything else (vectors, far pointers, descriptors).</summary>
        private static int MemoryBytes(MemorySize s)
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
    }
}
