// STOS, LODS and MOVS, with or without REP (SDM Vol. 2B "STOS", "LODS", "MOVS", "REP"). Source:
// DS:(E/R)SI or the segment override; destination: ES:(E/R)DI, never overridden. The address size
// (from the operand kind Iced reports) picks SI/ESI/RSI, DI/EDI/RDI and CX/ECX/RCX; RFLAGS.DF picks
// the direction. Each element is translated through the guest's paging (reads checked for read,
// writes for write, both before the element's first access), so either side may be RAM or MMIO.
// REPNE acts as REP here (these instructions test no condition).
// At most MaxElementsPerExit elements per call: then RCX/RSI/RDI show the progress and the result is
// Retry (RIP stays, the guest re-executes for the rest; pending interrupts get in between, as between
// iterations on the CPU). A fault on an element leaves the registers at that element, RIP on the
// instruction, and the result says what to inject (the CPU's behaviour for a faulting REP iteration).
// Not modelled: RFLAGS.RF after a partial REP (only matters with instruction breakpoints).
using Iced.Intel;

namespace Hv.Virt.Mmio
{
    public sealed partial class MmioEmulator
    {
        private enum StringKind : byte { Stos, Lods, Movs }

        private static bool IsString(Code c) => StringOf(c, out _, out _);

        private static bool StringOf(Code c, out StringKind kind, out int bytes)
        {
            kind = StringKind.Stos;
            bytes = 0;
            switch (c)
            {
                case Code.Stosb_m8_AL: bytes = 1; return true;
                case Code.Stosw_m16_AX: bytes = 2; return true;
                case Code.Stosd_m32_EAX: bytes = 4; return true;
                case Code.Stosq_m64_RAX: bytes = 8; return true;
                case Code.Lodsb_AL_m8: kind = StringKind.Lods; bytes = 1; return true;
                case Code.Lodsw_AX_m16: kind = StringKind.Lods; bytes = 2; return true;
                case Code.Lodsd_EAX_m32: kind = StringKind.Lods; bytes = 4; return true;
                case Code.Lodsq_RAX_m64: kind = StringKind.Lods; bytes = 8; return true;
                case Code.Movsb_m8_m8: kind = StringKind.Movs; bytes = 1; return true;
                case Code.Movsw_m16_m16: kind = StringKind.Movs; bytes = 2; return true;
                case Code.Movsd_m32_m32: kind = StringKind.Movs; bytes = 4; return true;
                case Code.Movsq_m64_m64: kind = StringKind.Movs; bytes = 8; return true;
                default: return false;
            }
        }

        /// <summary>Address size in bytes of a string operand (SI/DI forms 2, ESI/EDI 4, RSI/RDI 8); 0 if not one.</summary>
        private static int StringAddressSize(OpKind k)
        {
            switch (k)
            {
                case OpKind.MemorySegSI: case OpKind.MemoryESDI: return 2;
                case OpKind.MemorySegESI: case OpKind.MemoryESEDI: return 4;
                case OpKind.MemorySegRSI: case OpKind.MemoryESRDI: return 8;
                default: return 0;
            }
        }

        private static MmioResult EmulateString(ref MmioContext ctx, in Instruction ins, in GuestPageWalker walker, int bitness)
        {
            StringOf(ins.Code, out StringKind kind, out int bytes);
            if (ins.HasLockPrefix)
                return MmioResult.InjectUd;
            int addressSize = StringAddressSize(kind == StringKind.Stos ? ins.Op0Kind : ins.Op1Kind);
            if (addressSize == 0)
                return MmioResult.InjectUd;
            IVcpuState s = ctx.State;
            bool rep = ins.HasRepPrefix || ins.HasRepnePrefix;
            ulong amask = MmioRegisters.Mask(addressSize);
            ulong rcx = s.Get(GuestRegister.Rcx);
            ulong count = rep ? rcx & amask : 1;
            long step = (s.Get(GuestRegister.Rflags) & MmioAlu.DF) != 0 ? -bytes : bytes;
            ulong rsi = s.Get(GuestRegister.Rsi), rdi = s.Get(GuestRegister.Rdi), rax = s.Get(GuestRegister.Rax);
            Register sourceSegment = kind == StringKind.Stos ? Register.None : ins.MemorySegment;

            MmioResult r = MmioResult.Done;
            ulong done = 0;
            while (done < count && done < MaxElementsPerExit)
            {
                MmioOperand src = default, dst = default;
                if (kind != StringKind.Stos)
                {
                    ulong linear = MmioAddressing.Linear(s, bitness, sourceSegment, rsi & amask);
                    r = MmioOperand.Resolve(ref ctx, walker, bitness, linear, bytes, AccessKind.Read, sourceSegment == Register.SS, out src);
                    if (r != MmioResult.Done) break;
                }
                if (kind != StringKind.Lods)
                {
                    ulong linear = MmioAddressing.Linear(s, bitness, Register.ES, rdi & amask);
                    r = MmioOperand.Resolve(ref ctx, walker, bitness, linear, bytes, AccessKind.Write, false, out dst);
                    if (r != MmioResult.Done) break;
                }
                if (done == 0 && !src.Covers(ctx.GuestPhysical) && !dst.Covers(ctx.GuestPhysical))
                {
                    r = MmioResult.Unsupported;     // see MmioEmulator.cs: not the access that exited
                    break;
                }
                ulong value = rax;
                if (kind != StringKind.Stos && !src.Read(ref ctx, out value)) { r = MmioResult.Unsupported; break; }
                if (kind != StringKind.Lods && !dst.Write(ref ctx, value)) { r = MmioResult.Unsupported; break; }
                if (kind == StringKind.Lods) rax = MmioRegisters.Merge(rax, bytes, false, value);
                if (kind != StringKind.Stos) rsi = MmioAddressing.Step(rsi, step, addressSize);
                if (kind != StringKind.Lods) rdi = MmioAddressing.Step(rdi, step, addressSize);
                done++;
            }
            ctx.Elements = (int)done;
            if (done != 0)
            {
                // Only what the elements changed: with nothing done (RCX = 0, or a fault on the first
                // element) no register is written, so no 32-bit write zero-extends one.
                if (kind == StringKind.Lods) s.Set(GuestRegister.Rax, rax);
                if (kind != StringKind.Stos) s.Set(GuestRegister.Rsi, rsi);
                if (kind != StringKind.Lods) s.Set(GuestRegister.Rdi, rdi);
                if (rep) s.Set(GuestRegister.Rcx, MmioRegisters.Merge(rcx, addressSize, false, count - done));
            }
            if (r != MmioResult.Done)
                return r;
            return done < count ? MmioResult.Retry : MmioResult.Done;
        }
    }
}
