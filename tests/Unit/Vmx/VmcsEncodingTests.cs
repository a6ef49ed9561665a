using Hv.Virt.Vmx;
using Xunit;

namespace Hv.Tests.Unit.Vmx
{
    /// <summary>Spot checks of the VMCS field encodings (SDM App. B), exit reasons (App. C) and error names (§31.4).</summary>
    public class VmcsEncodingTests
    {
        [Theory]
        [InlineData(VmcsField.VirtualProcessorId, 0x0000u)]
        [InlineData(VmcsField.GuestEsSelector, 0x0800u)]
        [InlineData(VmcsField.GuestTrSelector, 0x080Eu)]
        [InlineData(VmcsField.HostTrSelector, 0x0C0Cu)]
        [InlineData(VmcsField.IoBitmapA, 0x2000u)]
        [InlineData(VmcsField.MsrBitmap, 0x2004u)]
        [InlineData(VmcsField.EptPointer, 0x201Au)]
        [InlineData(VmcsField.XssExitingBitmap, 0x202Cu)]
        [InlineData(VmcsField.GuestPhysicalAddress, 0x2400u)]
        [InlineData(VmcsField.VmcsLinkPointer, 0x2800u)]
        [InlineData(VmcsField.GuestIa32Efer, 0x2806u)]
        [InlineData(VmcsField.GuestPdpte3, 0x2810u)]
        [InlineData(VmcsField.HostIa32Efer, 0x2C02u)]
        [InlineData(VmcsField.PinBasedControls, 0x4000u)]
        [InlineData(VmcsField.EntryInterruptionInfo, 0x4016u)]
        [InlineData(VmcsField.SecondaryProcBasedControls, 0x401Eu)]
        [InlineData(VmcsField.VmInstructionError, 0x4400u)]
        [InlineData(VmcsField.ExitReason, 0x4402u)]
        [InlineData(VmcsField.ExitInstructionInfo, 0x440Eu)]
        [InlineData(VmcsField.GuestTrAccessRights, 0x4822u)]
        [InlineData(VmcsField.GuestActivityState, 0x4826u)]
        [InlineData(VmcsField.PreemptionTimerValue, 0x482Eu)]
        [InlineData(VmcsField.HostIa32SysenterCs, 0x4C00u)]
        [InlineData(VmcsField.Cr4ReadShadow, 0x6006u)]
        [InlineData(VmcsField.ExitQualification, 0x6400u)]
        [InlineData(VmcsField.GuestLinearAddress, 0x640Au)]
        [InlineData(VmcsField.GuestCr0, 0x6800u)]
        [InlineData(VmcsField.GuestRip, 0x681Eu)]
        [InlineData(VmcsField.GuestIa32SysenterEip, 0x6826u)]
        [InlineData(VmcsField.HostGsBase, 0x6C08u)]
        [InlineData(VmcsField.HostRsp, 0x6C14u)]
        [InlineData(VmcsField.HostRip, 0x6C16u)]
        public void FieldEncoding_MatchesAppendixB(VmcsField field, uint encoding) => Assert.Equal(encoding, (uint)field);

        [Fact]
        public void EncodingStructure_DecodesWidthTypeAndIndex()
        {
            Assert.Equal(VmcsFieldWidth.Bits16, VmcsFieldInfo.Width(VmcsField.GuestCsSelector));
            Assert.Equal(VmcsFieldWidth.Bits64, VmcsFieldInfo.Width(VmcsField.EptPointer));
            Assert.Equal(VmcsFieldWidth.Bits32, VmcsFieldInfo.Width(VmcsField.ExitReason));
            Assert.Equal(VmcsFieldWidth.Natural, VmcsFieldInfo.Width(VmcsField.GuestRip));
            Assert.Equal(VmcsFieldType.ReadOnlyData, VmcsFieldInfo.Type(VmcsField.ExitQualification));
            Assert.Equal(VmcsFieldType.GuestState, VmcsFieldInfo.Type(VmcsField.GuestRflags));
            Assert.Equal(VmcsFieldType.HostState, VmcsFieldInfo.Type(VmcsField.HostCr3));
            Assert.Equal(VmcsFieldType.Control, VmcsFieldInfo.Type(VmcsField.Cr0GuestHostMask));
            Assert.Equal(13u, VmcsFieldInfo.Index(VmcsField.EptPointer));
            Assert.Equal(0xFFFFul, VmcsFieldInfo.Mask(VmcsField.GuestEsSelector));
            Assert.Equal(0xFFFF_FFFFul, VmcsFieldInfo.Mask(VmcsField.GuestCsAccessRights));
        }

        [Fact]
        public void SegmentFieldHelpers_FollowTheEncodingOrder()
        {
            Assert.Equal(VmcsField.GuestTrSelector, VmcsFieldInfo.Selector(GuestSegment.Tr));
            Assert.Equal(VmcsField.GuestCsBase, VmcsFieldInfo.Base(GuestSegment.Cs));
            Assert.Equal(VmcsField.GuestLdtrLimit, VmcsFieldInfo.Limit(GuestSegment.Ldtr));
            Assert.Equal(VmcsField.GuestGsAccessRights, VmcsFieldInfo.AccessRights(GuestSegment.Gs));
            Assert.Equal(VmcsField.GuestSsBase, VmcsFieldInfo.Base(GuestSegment.Ss));
        }

        [Fact]
        public void ExitReasons_MatchAppendixC()
        {
            Assert.Equal(0, (int)VmxExitReason.ExceptionOrNmi);
            Assert.Equal(10, (int)VmxExitReason.Cpuid);
            Assert.Equal(12, (int)VmxExitReason.Hlt);
            Assert.Equal(18, (int)VmxExitReason.Vmcall);
            Assert.Equal(28, (int)VmxExitReason.CrAccess);
            Assert.Equal(30, (int)VmxExitReason.IoInstruction);
            Assert.Equal(33, (int)VmxExitReason.EntryFailureGuestState);
            Assert.Equal(41, (int)VmxExitReason.EntryFailureMachineCheck);
            Assert.Equal(48, (int)VmxExitReason.EptViolation);
            Assert.Equal(52, (int)VmxExitReason.PreemptionTimerExpired);
            Assert.Equal(55, (int)VmxExitReason.Xsetbv);
            Assert.True(VmxExitReasonBits.IsEntryFailure(0x8000_0021));
            Assert.Equal(VmxExitReason.EntryFailureGuestState, VmxExitReasonBits.Basic(0x8000_0021));
        }

        [Fact]
        public void InstructionErrors_AreNamed()
        {
            Assert.Equal("VM entry with invalid control field(s)", VmInstructionErrors.Describe(7));
            Assert.Equal("VM entry with invalid host-state field(s)", VmInstructionErrors.Describe(8));
            Assert.Equal("VMRESUME with non-launched VMCS", VmInstructionErrors.Describe(5));
            Assert.Equal("unknown VM-instruction error", VmInstructionErrors.Describe(99));
        }

        [Fact]
        public void GuestAccessRightConstants_MatchTheirComposition()
        {
            Assert.Equal(VmcsGuestState.RealCode, AccessRights.CodeData(SegmentType.CodeExecReadAccessed, 0, false, false));
            Assert.Equal(VmcsGuestState.RealData, AccessRights.CodeData(SegmentType.DataReadWriteAccessed, 0, false, false));
            Assert.Equal(VmcsGuestState.FlatCode, AccessRights.CodeData(SegmentType.CodeExecReadAccessed, 0, true, true));
            Assert.Equal(VmcsGuestState.FlatData, AccessRights.CodeData(SegmentType.DataReadWriteAccessed, 0, true, true));
        }

        [Fact]
        public unsafe void GuestRegisterArea_LayoutMatchesTheAssembly()
        {
            Assert.Equal(0x500, sizeof(VmxGuestRegisters));
            var r = new VmxGuestRegisters();
            byte* b = (byte*)&r;
            Assert.Equal(0x80, (int)((byte*)&r.Cr2 - b));
            Assert.Equal(0x88, (int)((byte*)&r.HostRsp - b));
            Assert.Equal(0x90, (int)((byte*)&r.ExitReason - b));
            Assert.Equal(0x98, (int)((byte*)&r.ExitInstructionLength - b));
            Assert.Equal(0xA0, (int)((byte*)&r.Rip - b));
            Assert.Equal(0xA8, (int)((byte*)&r.Interruptibility - b));
            Assert.Equal(0xB0, (int)((byte*)&r.Dirty - b));
            Assert.Equal(0x100, (int)(&r.GuestFx[0] - b));
            Assert.Equal(0x300, (int)(&r.HostFx[0] - b));
            Assert.Equal(0x78, (int)((byte*)&r.Gpr[(int)Hv.Virt.GuestRegister.R15] - b));
        }
    }
}
