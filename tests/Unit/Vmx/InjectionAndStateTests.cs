using Hv.Virt;
using Hv.Virt.Vmx;
using Xunit;

namespace Hv.Tests.Unit.Vmx
{
    /// <summary>Event injection fields, the interrupt window and IVcpuState over the VMCS; every injected state still passes the entry checks.</summary>
    public unsafe class InjectionAndStateTests
    {
        [Fact]
        public void ExternalInterrupt_IsValidTypeZeroWithoutErrorCode()
        {
            using var r = new ExitRig();
            r.State.Set(GuestRegister.Rflags, 0x202);

            Assert.True(r.State.CanInjectInterrupt());
            Assert.True(r.State.Inject(EventType.ExternalInterrupt, 0x30, false, 0));

            Assert.Equal(0x8000_0030ul, r.V.Peek(VmcsField.EntryInterruptionInfo));
            Assert.False(r.State.CanInjectInterrupt());
            Assert.False(r.State.Inject(EventType.ExternalInterrupt, 0x31, false, 0));
            Assert.Empty(r.Rig.Check());

            r.Exit(VmxExitReason.Hlt, 0, 1).Decode(out _); // the CPU cleared the field's valid bit
            Assert.True(r.State.Inject(EventType.ExternalInterrupt, 0x31, false, 0));
        }

        [Fact]
        public void CanInjectInterrupt_RespectsIfAndTheShadow()
        {
            using var r = new ExitRig();
            Assert.False(r.State.CanInjectInterrupt());                      // IF = 0 at start
            r.State.Set(GuestRegister.Rflags, 0x202);
            r.V.Write(VmcsField.GuestInterruptibility, (ulong)Interruptibility.BlockingBySti);
            Assert.False(r.State.CanInjectInterrupt());

            r.State.AdvanceRip(1);                                            // completing an instruction ends the shadow
            Assert.Equal(0ul, r.V.Peek(VmcsField.GuestInterruptibility));
            Assert.True(r.State.CanInjectInterrupt());
        }

        [Fact]
        public void InterruptWindow_TogglesTheControl()
        {
            using var r = new ExitRig();
            r.State.RequestInterruptWindow(true);
            Assert.True(r.State.InterruptWindowRequested);
            Assert.Equal(4ul, r.V.Peek(VmcsField.PrimaryProcBasedControls) & 4);
            Assert.Empty(r.Rig.Check());

            r.State.RequestInterruptWindow(false);
            Assert.Equal(0ul, r.V.Peek(VmcsField.PrimaryProcBasedControls) & 4);
        }

        [Theory]
        [InlineData(StartMode.ProtectedFlat32, true)]
        [InlineData(StartMode.ResetVector, false)] // real mode delivers no error codes
        public void GeneralProtection_HasAnErrorCodeOnlyInProtectedMode(StartMode mode, bool errorCode)
        {
            using var r = new ExitRig(mode);

            Assert.True(r.State.Inject(EventType.HardwareException, 13, true, 0x18));

            var info = new InterruptionInfo((uint)r.V.Peek(VmcsField.EntryInterruptionInfo));
            Assert.Equal(errorCode, info.HasErrorCode);
            if (errorCode) Assert.Equal(0x18ul, r.V.Peek(VmcsField.EntryExceptionErrorCode));
            Assert.Empty(r.Rig.Check());
        }

        [Fact]
        public void SoftwareInterrupt_UsesTheLastInstructionLength()
        {
            using var r = new ExitRig(StartMode.ProtectedFlat32, server: true);
            r.Exit(VmxExitReason.Vmcall, 0, 3).Decode(out _);

            Assert.True(r.State.Inject(EventType.SoftwareInterrupt, 0x80, false, 0));

            Assert.Equal(3ul, r.V.Peek(VmcsField.EntryInstructionLength));
            Assert.Empty(r.Rig.Check());
        }

        [Fact]
        public void Nmi_IsTypeTwoVectorTwo()
        {
            using var r = new ExitRig();

            r.State.Inject(EventType.Nmi, 2, false, 0);

            Assert.Equal(0x8000_0202ul, r.V.Peek(VmcsField.EntryInterruptionInfo));
            Assert.Empty(r.Rig.Check());
        }

        [Fact]
        public void ControlRegisters_ShowTheGuestsView()
        {
            using var r = new ExitRig(StartMode.ResetVector);

            Assert.Equal(0x6000_0010ul, r.State.Get(GuestRegister.Cr0)); // NE forced underneath, hidden
            Assert.Equal(0ul, r.State.Get(GuestRegister.Cr4));          // VMXE hidden
            r.State.Set(GuestRegister.Cr0, 0x11);
            Assert.Equal(0x31ul, r.V.Peek(VmcsField.GuestCr0));
            Assert.Equal(0x11ul, r.State.Get(GuestRegister.Cr0));
            Assert.Equal(0, r.State.Cpl);
            Assert.False(r.State.LongMode);
        }

        [Fact]
        public void Gprs_LiveInTheSaveArea_RspRipInTheVmcs()
        {
            using var r = new ExitRig();

            Assert.Equal(0x2BAD_B002ul, r.State.Get(GuestRegister.Rax));
            Assert.Equal(0x9500ul, r.State.Get(GuestRegister.Rbx));
            r.State.Set(GuestRegister.R13, 7);
            r.State.Set(GuestRegister.Rsp, 0x8000);
            r.State.Set(GuestRegister.Cr2, 0x1234);
            Assert.Equal(7ul, r.Regs->Gpr[13]);
            Assert.Equal(0x8000ul, r.V.Peek(VmcsField.GuestRsp));
            Assert.Equal(0x1234ul, r.Regs->Cr2);
            r.State.AdvanceRip(2);
            Assert.Equal(0x10_0002ul, r.State.Get(GuestRegister.Rip));
        }

        [Fact]
        public void Fpu_StartsInItsResetState()
        {
            using var r = new ExitRig();

            Assert.Equal(0x40, r.Regs->GuestFx[0]);
            Assert.Equal(0x1F80u, *(uint*)&r.Regs->GuestFx[24]);
        }
    }
}
