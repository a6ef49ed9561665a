using Hv.Virt;
using Hv.Virt.Mmio;
using Iced.Intel;
using Xunit;

namespace Hv.Tests.Unit.Virt.Mmio
{
    /// <summary>Iced's register numbering as the emulator relies on it, and the partial-register write rules.</summary>
    public class MmioRegistersTests
    {
        [Theory]
        [InlineData(Register.AL, GuestRegister.Rax, 1, false)]
        [InlineData(Register.BH, GuestRegister.Rbx, 1, true)]
        [InlineData(Register.AH, GuestRegister.Rax, 1, true)]
        [InlineData(Register.SPL, GuestRegister.Rsp, 1, false)]
        [InlineData(Register.DIL, GuestRegister.Rdi, 1, false)]
        [InlineData(Register.R8L, GuestRegister.R8, 1, false)]
        [InlineData(Register.R15L, GuestRegister.R15, 1, false)]
        [InlineData(Register.AX, GuestRegister.Rax, 2, false)]
        [InlineData(Register.R15W, GuestRegister.R15, 2, false)]
        [InlineData(Register.EDI, GuestRegister.Rdi, 4, false)]
        [InlineData(Register.R11D, GuestRegister.R11, 4, false)]
        [InlineData(Register.RSP, GuestRegister.Rsp, 8, false)]
        [InlineData(Register.R11, GuestRegister.R11, 8, false)]
        public void IcedRegisters_MapToGuestRegisters(Register reg, GuestRegister g, int bytes, bool high)
        {
            Assert.True(MmioRegisters.TryMap(reg, out GprOperand got));
            Assert.Equal(g, got.Register);
            Assert.Equal(bytes, got.Bytes);
            Assert.Equal(high, got.HighByte);
        }

        [Theory]
        [InlineData(Register.ES)]
        [InlineData(Register.RIP)]
        [InlineData(Register.XMM0)]
        [InlineData(Register.CR0)]
        [InlineData(Register.None)]
        public void OtherRegisters_AreNotOperands(Register reg)
        {
            Assert.False(MmioRegisters.TryMap(reg, out _));
        }

        [Theory]
        [InlineData(1, false, 0x1111_2222_3333_44AAul)]
        [InlineData(1, true, 0x1111_2222_3333_AA44ul)]
        [InlineData(2, false, 0x1111_2222_3333_CCAAul)]
        [InlineData(4, false, 0x0000_0000_EEDD_CCAAul)]
        [InlineData(8, false, 0xFFEE_FFEE_EEDD_CCAAul)]
        public void Merge_FollowsThePartialRegisterRules(int bytes, bool high, ulong expected)
        {
            Assert.Equal(expected, MmioRegisters.Merge(0x1111_2222_3333_4444, bytes, high, 0xFFEE_FFEE_EEDD_CCAA));
        }

        [Fact]
        public void SignExtend_FromEachWidth()
        {
            Assert.Equal(0xFFFF_FFFF_FFFF_FF80ul, MmioRegisters.SignExtend(0x80, 1));
            Assert.Equal(0x7Ful, MmioRegisters.SignExtend(0x17F, 1));
            Assert.Equal(0xFFFF_FFFF_FFFF_8000ul, MmioRegisters.SignExtend(0x8000, 2));
            Assert.Equal(0xFFFF_FFFF_8000_0000ul, MmioRegisters.SignExtend(0x8000_0000, 4));
            Assert.Equal(0x8000_0000_0000_0000ul, MmioRegisters.SignExtend(0x8000_0000_0000_0000, 8));
        }
    }
}
