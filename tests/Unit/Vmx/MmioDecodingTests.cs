using Hv.Virt;
using Hv.Virt.Vmx;
using Iced.Intel;
using Xunit;

namespace Hv.Tests.Unit.Vmx
{
    /// <summary>MMIO instructions decoded from guest code bytes (Iced), and reads completed into the destination register.</summary>
    public unsafe class MmioDecodingTests
    {
        private static VmExit MmioExit(ExitRig r, ulong gpa, bool write)
        {
            r.Exit(VmxExitReason.EptViolation, write ? 2ul : 1ul).Set(VmcsField.GuestPhysicalAddress, gpa);
            Assert.False(r.Decode(out VmExit e));
            Assert.Equal(VmExitKind.MmioAccess, e.Kind);
            return e;
        }

        [Fact]
        public void MovImmediateToMemory_IsAWriteOfTheImmediate()
        {
            using var r = new ExitRig();
            r.Poke(0x10_0000, 0xC7, 0x05, 0x10, 0x00, 0xC0, 0xFE, 0x78, 0x56, 0x34, 0x12); // mov dword [0xFEC00010], 0x12345678

            VmExit e = MmioExit(r, 0xFEC0_0010, true);

            Assert.Equal(4, e.Size);
            Assert.Equal(10, e.InstructionLength);
            Assert.Equal(0x1234_5678ul, e.IoValue);
        }

        [Theory]
        [InlineData(new byte[] { 0x88, 0x03 }, 0x34ul)]   // mov [ebx], al
        [InlineData(new byte[] { 0x88, 0x23 }, 0x12ul)]   // mov [ebx], ah
        [InlineData(new byte[] { 0x66, 0x89, 0x03 }, 0x1234ul)] // mov [ebx], ax
        public void MovRegisterToMemory_StoresTheRegister(byte[] code, ulong value)
        {
            using var r = new ExitRig();
            r.Regs->Gpr[(int)GuestRegister.Rax] = 0xAAAA_1234;
            r.Poke(0x10_0000, code);

            VmExit e = MmioExit(r, 0xFED0_0000, true);

            Assert.Equal(value, e.IoValue);
            Assert.Equal(code.Length, e.InstructionLength);
        }

        [Fact]
        public void MovMoffsRead_CompletesIntoEax()
        {
            using var r = new ExitRig();
            r.Regs->Gpr[(int)GuestRegister.Rax] = 0x1111_2222_3333_4444;
            r.Poke(0x10_0000, 0xA1, 0x20, 0x00, 0xE0, 0xFE); // mov eax, [0xFEE00020]

            VmExit e = MmioExit(r, 0xFEE0_0020, false);
            Assert.Equal(4, e.Size);
            Assert.Equal(5, e.InstructionLength);

            e.IoValue = 0xFFFF_FFFF;                 // what the core's MMIO bus answered
            r.Decoder.CompleteMmioRead(e);           // the backend does this before the next entry

            Assert.Equal(0xFFFF_FFFFul, r.Regs->Gpr[(int)GuestRegister.Rax]);
        }

        [Theory]
        [InlineData(new byte[] { 0x0F, 0xB6, 0x0B }, 0x80ul, 0x80ul)]              // movzx ecx, byte [ebx]
        [InlineData(new byte[] { 0x0F, 0xBF, 0x0B }, 0x8000ul, 0xFFFF_8000ul)]     // movsx ecx, word [ebx]
        [InlineData(new byte[] { 0x8A, 0x2B }, 0x5Aul, 0xDEAD_5A0Ful)]             // mov ch, [ebx]
        [InlineData(new byte[] { 0x66, 0x8B, 0x0B }, 0x1234ul, 0xDEAD_1234ul)]     // mov cx, [ebx]
        public void ExtendingAndPartialReads_FollowTheRegisterRules(byte[] code, ulong data, ulong rcx)
        {
            using var r = new ExitRig();
            r.Regs->Gpr[(int)GuestRegister.Rcx] = 0xDEAD_BE0F;
            r.Poke(0x10_0000, code);

            VmExit e = MmioExit(r, 0xFED0_0000, false);
            e.IoValue = data;
            r.Decoder.CompleteMmioRead(e);

            Assert.Equal(rcx, r.Regs->Gpr[(int)GuestRegister.Rcx]);
        }

        [Fact]
        public void RealMode_DecodesAs16Bit()
        {
            using var r = new ExitRig(Hv.Virt.StartMode.ResetVector);
            r.Poke(0xFFFF_FFF0, 0xC6, 0x06, 0x00, 0x00, 0x59); // mov byte [0], 'Y'

            VmExit e = MmioExit(r, 0xFED0_0000, true); // (the rig has RAM at B8000; any MMIO address will do)

            Assert.Equal(1, e.Size);
            Assert.Equal(5, e.InstructionLength);
            Assert.Equal(0x59ul, e.IoValue);
        }

        [Theory]
        [InlineData(new byte[] { 0x01, 0x03 }, true)]        // add [ebx], eax: not a move
        [InlineData(new byte[] { 0xF3, 0xA4 }, false)]       // rep movsb
        [InlineData(new byte[] { 0x8B, 0x03 }, true)]        // a read where the CPU reported a write
        public void UnsupportedOrInconsistent_StaysUndecoded(byte[] code, bool write)
        {
            using var r = new ExitRig();
            r.Poke(0x10_0000, code);

            VmExit e = MmioExit(r, 0xFED0_0000, write);

            Assert.Equal(0, e.Size);
        }

        [Fact]
        public void SixtyFourBitForms_Decode()
        {
            using var r = new ExitRig();
            var d = new MmioInstructionDecoder();
            r.Regs->Gpr[(int)GuestRegister.R9] = 0x1122_3344_5566_7788;

            Assert.True(d.TryDecode(new byte[] { 0x66, 0x44, 0x89, 0x0F }, 64, r.State, out MmioOperation op)); // mov [rdi], r9w
            Assert.True(op.Write && op.Size == 2 && op.Value == 0x7788 && op.Length == 4);
            Assert.True(d.TryDecode(new byte[] { 0x48, 0xC7, 0x00, 0xFF, 0xFF, 0xFF, 0xFF }, 64, r.State, out op)); // mov qword [rax], -1
            Assert.Equal(ulong.MaxValue, op.Value);
            Assert.True(d.TryDecode(new byte[] { 0x48, 0x63, 0x01 }, 64, r.State, out op)); // movsxd rax, dword [rcx]
            Assert.True(!op.Write && op.Size == 4 && op.Register == GuestRegister.Rax && op.RegisterBytes == 8 && op.Extension == MmioExtension.Sign);
            Assert.True(d.TryDecode(new byte[] { 0x40, 0x8A, 0x30 }, 64, r.State, out op)); // mov sil, [rax]
            Assert.True(op.Register == GuestRegister.Rsi && op.RegisterBytes == 1 && !op.HighByte);
            Assert.True(d.TryDecode(new byte[] { 0x44, 0x8A, 0x20 }, 64, r.State, out op)); // mov r12b, [rax]
            Assert.Equal(GuestRegister.R12, op.Register);
        }

        [Theory]
        [InlineData(Register.AL, GuestRegister.Rax, 1, false)]
        [InlineData(Register.BH, GuestRegister.Rbx, 1, true)]
        [InlineData(Register.SPL, GuestRegister.Rsp, 1, false)]
        [InlineData(Register.DIL, GuestRegister.Rdi, 1, false)]
        [InlineData(Register.R8L, GuestRegister.R8, 1, false)]
        [InlineData(Register.R15W, GuestRegister.R15, 2, false)]
        [InlineData(Register.EDI, GuestRegister.Rdi, 4, false)]
        [InlineData(Register.R11, GuestRegister.R11, 8, false)]
        public void IcedRegisters_MapToGuestRegisters(Register reg, GuestRegister g, int bytes, bool high)
        {
            Assert.True(MmioInstructionDecoder.TryRegister(reg, out GuestRegister got, out byte b, out bool h));
            Assert.Equal(g, got);
            Assert.Equal(bytes, b);
            Assert.Equal(high, h);
        }
    }
}
