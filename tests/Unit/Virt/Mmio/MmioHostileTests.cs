using System;
using Hv.Virt;
using Hv.Virt.Mmio;
using Xunit;
using static Hv.Tests.Unit.Virt.GuestPageTables;

namespace Hv.Tests.Unit.Virt.Mmio
{
    /// <summary>
    /// Guest input is hostile: bad and unsupported encodings, LOCK where it is not allowed, instructions
    /// longer than 15 bytes or cut by a missing page, non-canonical and unmapped operands, faults in the
    /// middle of a REP, an exit that does not match the instruction, random bytes.
    /// </summary>
    public class MmioHostileTests
    {
        private const ulong M = EmulatorRig.MmioBase;
        private const ulong Code = 0x40_0000, CodeGpa = 0x20_0000, Data = 0x7000_0000;
        private readonly EmulatorRig _r = new EmulatorRig();
        private readonly GuestPageTables _pt;

        public MmioHostileTests()
        {
            _pt = _r.Long64(Code);
            _pt.Map(Code, CodeGpa, P | W | U);
            _pt.Map(Data, M, P | W | U);
            _pt.Map(Data + 0x1000, M + 0x1000, P | W | U);
            _r.S[GuestRegister.Rbx] = Data + 0x10;
        }

        private MmioResult RunCode(ulong gpa, params byte[] code)
        {
            _r.S[GuestRegister.Rip] = Code;
            _r.Poke(CodeGpa, code);
            return _r.Run(gpa);
        }

        [Theory]
        [InlineData(new byte[] { 0x0F, 0x0B })]                 // ud2
        [InlineData(new byte[] { 0xFF, 0xFF })]                 // invalid
        [InlineData(new byte[] { 0x8E, 0x03 })]                 // mov es, [rbx]: no segment loads
        [InlineData(new byte[] { 0x8C, 0x03 })]                 // mov [rbx], es
        [InlineData(new byte[] { 0x0F, 0x29, 0x03 })]           // movaps [rbx], xmm0
        [InlineData(new byte[] { 0x0F, 0xB1, 0x0B })]           // cmpxchg [rbx], ecx
        [InlineData(new byte[] { 0x0F, 0xC1, 0x0B })]           // xadd [rbx], ecx
        [InlineData(new byte[] { 0xFF, 0x33 })]                 // push qword [rbx]
        [InlineData(new byte[] { 0xD1, 0x23 })]                 // shl dword [rbx], 1
        [InlineData(new byte[] { 0x8D, 0x03 })]                 // lea eax, [rbx]
        [InlineData(new byte[] { 0x90 })]                       // nop: no memory operand at all
        [InlineData(new byte[] { 0xA6 })]                       // cmpsb: not emulated
        [InlineData(new byte[] { 0xF0, 0x89, 0x03 })]           // lock mov
        [InlineData(new byte[] { 0xF0, 0x3B, 0x03 })]           // lock cmp eax, [rbx]
        [InlineData(new byte[] { 0xF0, 0x03, 0x03 })]           // lock add eax, [rbx]: register destination
        [InlineData(new byte[] { 0xF0, 0x85, 0x03 })]           // lock test
        [InlineData(new byte[] { 0xF0, 0x0F, 0xA3, 0x03 })]     // lock bt
        [InlineData(new byte[] { 0xF0, 0xF3, 0xAB })]           // lock rep stosd
        [InlineData(new byte[] { 0xF0, 0x8B, 0x03 })]           // lock mov eax, [rbx]
        public void Refused_WithUd_NothingTouched(byte[] code)
        {
            _r.S[GuestRegister.Rcx] = 3;
            Assert.Equal(MmioResult.InjectUd, RunCode(M + 0x10, code));
            Assert.Empty(_r.Bus.Log);
            Assert.Equal(Code, _r.S[GuestRegister.Rip]);
            Assert.Equal(3ul, _r.S[GuestRegister.Rcx]);
            Assert.True(_r.Ctx.Fetched >= code.Length);
        }

        [Fact]
        public void LockOnReadModifyWrite_IsFine()
        {
            _r.S[GuestRegister.Rax] = 5;
            _r.Bus.Bytes[0x10] = 7;
            Assert.Equal(MmioResult.Done, RunCode(M + 0x10, 0xF0, 0x01, 0x03));   // lock add [rbx], eax
            Assert.Equal(12ul, _r.Mmio(0x10, 4));
            Assert.Equal(MmioResult.Done, RunCode(M + 0x10, 0xF0, 0x87, 0x03));   // lock xchg [rbx], eax
            Assert.Equal(5ul, _r.Mmio(0x10, 4));
            Assert.Equal(12ul, _r.S[GuestRegister.Rax]);
        }

        [Fact]
        public void IgnoredRepPrefix_OnMov_IsFine()
        {
            _r.S[GuestRegister.Rax] = 0xAB;
            Assert.Equal(MmioResult.Done, RunCode(M + 0x10, 0xF3, 0x88, 0x03));   // rep mov [rbx], al
            Assert.Equal(0xABul, _r.Mmio(0x10, 1));
            Assert.Equal(Code + 3, _r.S[GuestRegister.Rip]);
        }

        [Fact]
        public void LongerThan15Bytes_IsGp()
        {
            var code = new byte[16];
            for (int i = 0; i < 14; i++) code[i] = 0x66;
            code[14] = 0x89;
            code[15] = 0x03;
            MmioResult r = RunCode(M + 0x10, code);
            Assert.Equal(MmioResult.InjectGp, r);
            Assert.Empty(_r.Bus.Log);
        }

        [Fact]
        public void InstructionCutByAMissingPage_InjectsTheFetchFault()
        {
            _r.S.Cpl = 3;
            _pt.LongMode(_r.S, efer: 0xD00);                          // NXE: fetch faults carry I/D
            _r.Poke(CodeGpa + 0xFFF, 0x8B);                            // mov eax, [rbx]: modrm on the next page
            _r.S[GuestRegister.Rip] = Code + 0xFFF;
            Assert.Equal(MmioResult.InjectPf, _r.Run(M + 0x10));
            Assert.Equal(Code + 0x1000, _r.Ctx.FaultAddress);
            Assert.Equal((uint)(PageFaultErrorCode.User | PageFaultErrorCode.InstructionFetch), _r.Ctx.ErrorCode);
            Assert.Equal(1, _r.Ctx.Fetched);
            Assert.Empty(_r.Bus.Log);

            // The same page end, but an instruction that fits: the missing page does not matter.
            _r.Poke(CodeGpa + 0xFFE, 0x8B, 0x03);
            _r.S[GuestRegister.Rip] = Code + 0xFFE;
            Assert.Equal(MmioResult.Done, _r.Run(M + 0x10));
        }

        [Fact]
        public void CodePageNotPresent_FaultsAtRip()
        {
            _r.S[GuestRegister.Rip] = 0x50_0000;
            Assert.Equal(MmioResult.InjectPf, _r.Run(M));
            Assert.Equal(0x50_0000ul, _r.Ctx.FaultAddress);
            Assert.Equal(0u, _r.Ctx.ErrorCode);                       // not present, supervisor, no NXE
        }

        [Fact]
        public void CodeInMmio_OrPageTablesOutsideRam_IsUnsupported()
        {
            _pt.Map(0x50_0000, M, P);
            _r.S[GuestRegister.Rip] = 0x50_0000;
            Assert.Equal(MmioResult.Unsupported, _r.Run(M));

            _r.S[GuestRegister.Rip] = Code;
            _r.S[GuestRegister.Cr3] = M;                               // PML4 "in" MMIO
            Assert.Equal(MmioResult.Unsupported, _r.Run(M));
            Assert.Empty(_r.Bus.Log);                                  // the walker never reads devices
        }

        [Fact]
        public void ExecuteAccess_IsUnsupported()
        {
            _r.Poke(CodeGpa, 0x8B, 0x03);
            Assert.Equal(MmioResult.Unsupported, _r.Run(M, AccessKind.Execute));
        }

        [Fact]
        public void UnknownBitness_IsUnsupported()
        {
            _r.S.Bitness = 8;
            Assert.Equal(MmioResult.Unsupported, RunCode(M + 0x10, 0x8B, 0x03));
        }

        [Fact]
        public void RealMode_CodeRunningOffTheEndOfRam_IsUnsupported()
        {
            _r.Real(0, 0x3F_FFFF).Poke(0x3F_FFFF, 0x8B);               // the modrm byte would be past RAM
            Assert.Equal(MmioResult.Unsupported, _r.Run(M));
        }

        [Fact]
        public void NonCanonicalOperand_IsGp_OrSsThroughRbp()
        {
            _r.S[GuestRegister.Rbx] = 0x8000_0000_0000_0000;
            Assert.Equal(MmioResult.InjectGp, RunCode(M, 0x8B, 0x03));              // mov eax, [rbx]
            _r.S[GuestRegister.Rbp] = 0x0000_8000_0000_0000;
            Assert.Equal(MmioResult.InjectSs, RunCode(M, 0x8B, 0x45, 0x00));        // mov eax, [rbp+0]
            Assert.Equal(MmioResult.InjectGp, RunCode(M, 0x3E, 0x8B, 0x45, 0x00));  // mov eax, ds:[rbp+0]
            Assert.Empty(_r.Bus.Log);
        }

        [Fact]
        public void OperandPageFaults_CarryTheRightErrorCode()
        {
            _r.S.Cpl = 3;
            _r.S[GuestRegister.Rbx] = 0x6000_0010;                     // not mapped
            Assert.Equal(MmioResult.InjectPf, RunCode(M, 0x89, 0x03)); // mov [rbx], eax
            Assert.Equal(0x6000_0010ul, _r.Ctx.FaultAddress);
            Assert.Equal((uint)(PageFaultErrorCode.Write | PageFaultErrorCode.User), _r.Ctx.ErrorCode);

            _pt.Map(0x6000_0000, M, P | U);                            // read-only
            Assert.Equal(MmioResult.InjectPf, RunCode(M, 0x83, 0x0B, 0x01)); // or dword [rbx], 1: a write check
            Assert.Equal((uint)(PageFaultErrorCode.Present | PageFaultErrorCode.Write | PageFaultErrorCode.User), _r.Ctx.ErrorCode);
            Assert.Empty(_r.Bus.Log);                                  // no read happened before the fault
            Assert.Equal(MmioResult.Done, RunCode(M + 0x10, 0x3B, 0x03)); // cmp eax, [rbx]: a read is allowed

            _pt.Map(0x6000_0000, M, P | W);                            // supervisor-only
            Assert.Equal(MmioResult.InjectPf, RunCode(M, 0x8B, 0x03));
            Assert.Equal((uint)(PageFaultErrorCode.Present | PageFaultErrorCode.User), _r.Ctx.ErrorCode);
        }

        [Fact]
        public void SecondPageFault_LeavesTheFirstPageUntouched()
        {
            _r.S[GuestRegister.Rbx] = Data + 0x1FFE;                   // the next page (Data + 0x2000) is not mapped
            _r.S[GuestRegister.Rax] = 0x1122_3344;
            Assert.Equal(MmioResult.InjectPf, RunCode(M + 0x1FFE, 0x89, 0x03));
            Assert.Equal(Data + 0x2000, _r.Ctx.FaultAddress);
            Assert.Empty(_r.Bus.Log);
        }

        [Fact]
        public void RepStos_FaultMidway_KeepsTheProgressAndRip()
        {
            _r.S[GuestRegister.Rdi] = Data + 0x1FF8;
            _r.S[GuestRegister.Rcx] = 4;
            _r.S[GuestRegister.Rax] = 0xAABB_CCDD;
            Assert.Equal(MmioResult.InjectPf, RunCode(M + 0x1FF8, 0xF3, 0xAB)); // rep stosd
            Assert.Equal(2, _r.Ctx.Elements);
            Assert.Equal(Data + 0x2000, _r.S[GuestRegister.Rdi]);
            Assert.Equal(2ul, _r.S[GuestRegister.Rcx]);
            Assert.Equal(Code, _r.S[GuestRegister.Rip]);
            Assert.Equal(Data + 0x2000, _r.Ctx.FaultAddress);
            Assert.Equal((uint)PageFaultErrorCode.Write, _r.Ctx.ErrorCode);
            Assert.Equal(2, _r.Bus.Log.Count);
        }

        [Fact]
        public void MovsSourceFault_IsAReadFault_AndNothingIsWritten()
        {
            _r.S[GuestRegister.Rsi] = 0x6000_0000;
            _r.S[GuestRegister.Rdi] = Data;
            Assert.Equal(MmioResult.InjectPf, RunCode(M, 0xA4));      // movsb
            Assert.Equal(0x6000_0000ul, _r.Ctx.FaultAddress);
            Assert.Equal(0u, _r.Ctx.ErrorCode);
            Assert.Empty(_r.Bus.Log);
            Assert.Equal(Data, _r.S[GuestRegister.Rdi]);
        }

        [Fact]
        public void RepWithZeroCount_DoesNothing_ButCompletes()
        {
            _r.S[GuestRegister.Rcx] = 0xFFFF_FFFF_0000_0000;           // ECX = 0 under a 67h prefix
            _r.S[GuestRegister.Rdi] = Data;
            Assert.Equal(MmioResult.Done, RunCode(M, 0x67, 0xF3, 0xAA)); // rep stosb (32-bit addressing)
            Assert.Empty(_r.Bus.Log);
            Assert.Equal(0xFFFF_FFFF_0000_0000ul, _r.S[GuestRegister.Rcx]);
            Assert.Equal(Code + 3, _r.S[GuestRegister.Rip]);
        }

        [Fact]
        public void ExitAddressOnAnotherPage_IsNotEmulated()
        {
            _r.S[GuestRegister.Rax] = 1;
            Assert.Equal(MmioResult.Unsupported, RunCode(M + 0x1000, 0x89, 0x03));   // the operand is on page M
            Assert.Empty(_r.Bus.Log);
            Assert.Equal(Code, _r.S[GuestRegister.Rip]);
        }

        [Fact]
        public void BtWithAHugeRegisterOffset_StaysInsideTheGuest()
        {
            // bt [rbx], rax with RAX = 2^63 - 1: the operand is 2^60 bytes away, a non-canonical address: #GP.
            _r.S[GuestRegister.Rax] = 0x7FFF_FFFF_FFFF_FFFF;
            Assert.Equal(MmioResult.InjectGp, RunCode(M + 0x10, 0x48, 0x0F, 0xA3, 0x03));
            // -1: the qword before [rbx], bit 63.
            _r.S[GuestRegister.Rax] = ulong.MaxValue;
            _r.Bus.Bytes[0xF] = 0x80;
            Assert.Equal(MmioResult.Done, RunCode(M + 0x8, 0x48, 0x0F, 0xA3, 0x03));
            Assert.Equal(M + 0x8, _r.Bus.Log[0].Gpa);
            Assert.Equal(1ul, _r.S[GuestRegister.Rflags] & 1);
        }

        [Theory]
        [InlineData(64)]
        [InlineData(32)]
        [InlineData(16)]
        public void RandomBytes_NeverThrow_AndDoneAlwaysMovesRip(int bitness)
        {
            var rng = new Random(bitness);
            byte[] opcodes = { 0x88, 0x89, 0x8A, 0x8B, 0xC6, 0xC7, 0xA0, 0xA1, 0xA2, 0xA3, 0x01, 0x03, 0x21, 0x31, 0x39, 0x80, 0x81, 0x83,
                               0x84, 0x85, 0x86, 0x87, 0xF6, 0xF7, 0xFE, 0xFF, 0xA4, 0xA5, 0xAA, 0xAB, 0xAC, 0xAD, 0x0F };
            byte[] prefixes = { 0x66, 0x67, 0xF0, 0xF2, 0xF3, 0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x48, 0x41, 0x4C };
            var code = new byte[15];
            for (int i = 0; i < 4000; i++)
            {
                rng.NextBytes(code);
                int p = rng.Next(4);
                for (int k = 0; k < p; k++) code[k] = prefixes[rng.Next(prefixes.Length)];
                if (rng.Next(4) != 0) code[p] = opcodes[rng.Next(opcodes.Length)];
                for (int g = 0; g < 16; g++)
                    _r.S[(GuestRegister)g] = g == 4 ? 0 : Data + (ulong)rng.Next(0, 0x1800);
                _r.S[GuestRegister.Rcx] = (ulong)rng.Next(0, 200);
                _r.S[GuestRegister.Rflags] = (ulong)rng.Next() & 0xCD5;
                if (bitness == 64) { _pt.LongMode(_r.S); _r.S.Bitness = 64; }
                else { _r.Flat32(Code); _r.S.Bitness = bitness; _r.S[GuestRegister.DsBase] = 0; _r.S[GuestRegister.EsBase] = 0; }
                ulong rip = bitness == 64 ? Code : CodeGpa;
                _r.S[GuestRegister.Rip] = rip;
                _r.Poke(CodeGpa, code);
                MmioResult r = _r.Run(bitness == 64 ? M + 0x800 : Data + 0x800);
                Assert.True(r >= MmioResult.Done && r <= MmioResult.Unsupported);
                if (r == MmioResult.Done)
                    Assert.Equal(rip + _r.Ctx.Length, _r.S[GuestRegister.Rip]);
                else
                    Assert.Equal(rip, _r.S[GuestRegister.Rip]);
            }
        }
    }
}
