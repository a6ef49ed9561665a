using Hv.Virt;
using Hv.Virt.Caps;
using Hv.Virt.Vmx;
using Xunit;

namespace Hv.Tests.Unit.Vmx
{
    /// <summary>Deliberately broken VMCSs fail with the name of the check they break: the checker is not vacuous.</summary>
    public class VmEntryCheckerTests
    {
        private static void AssertFails(VmxTestRig rig, string check)
        {
            var failures = rig.Check();
            Assert.Contains(failures, f => f.StartsWith(check));
        }

        [Theory]
        [InlineData("bochs")]
        [InlineData("server")]
        public void BadCsAccessRights_FailTheSegmentCheck(string cpu)
        {
            VmxTestRig rig = VmcsSetupEntryCheckTests.Rig(cpu, StartMode.ProtectedFlat32);
            rig.Vmcs.Write(VmcsField.GuestCsAccessRights, 0xC081); // type 1 (a 16-bit TSS), S = 0

            AssertFails(rig, "27.3.1.2 Cs access rights: type");
            AssertFails(rig, "27.3.1.2 Cs access rights: S");
        }

        [Fact]
        public void RealModeWithoutUnrestrictedGuest_FailsTheCr0FixedBits()
        {
            VmxTestRig rig = VmxTestRig.Bochs(StartMode.ResetVector);
            rig.Vmcs.ClearBits(VmcsField.SecondaryProcBasedControls, (uint)SecondaryProcBasedControls.UnrestrictedGuest);

            AssertFails(rig, "27.3.1.1 guest CR0: fixed bits");
        }

        [Theory]
        [InlineData(VmcsField.PinBasedControls, 1u << 7, "27.2.1.1 pin-based controls: reserved bits")]           // posted interrupts: Bochs lacks them
        [InlineData(VmcsField.PrimaryProcBasedControls, 1u << 27, "27.2.1.1 primary processor-based controls: reserved bits")] // MTF
        [InlineData(VmcsField.SecondaryProcBasedControls, 1u << 24, "27.2.1.1 secondary processor-based controls: reserved bits")]
        [InlineData(VmcsField.ExitControls, 1u << 23, "27.2.1.2 VM-exit controls: reserved bits")]
        [InlineData(VmcsField.EntryControls, 1u << 20, "27.2.1.3 VM-entry controls: reserved bits")]
        public void ReservedControlBit_Fails(VmcsField field, uint bit, string check)
        {
            VmxTestRig rig = VmxTestRig.Bochs();
            rig.Vmcs.SetBits(field, bit);

            AssertFails(rig, check);
        }

        [Fact]
        public void ClearedDefault1Bit_Fails()
        {
            VmxTestRig rig = VmxTestRig.Bochs();
            rig.Vmcs.ClearBits(VmcsField.PinBasedControls, 1u << 1);

            AssertFails(rig, "27.2.1.1 pin-based controls: reserved bits");
        }

        [Theory]
        [InlineData(VmcsField.EptPointer, 0x1Eul ^ 0x08ul, "27.2.1.1 EPTP: page-walk length")]
        [InlineData(VmcsField.VirtualProcessorId, 0ul, "27.2.1.1 VPID must not be 0")]
        [InlineData(VmcsField.HostCsSelector, 0ul, "27.2.3 host CS selector not 0000H")]
        [InlineData(VmcsField.HostTrSelector, 0x1Bul, "27.2.3 host selector RPL/TI")]
        [InlineData(VmcsField.HostIa32Efer, 0x901ul, "27.2.2 host IA32_EFER: LMA/LME match host address-space size")]
        [InlineData(VmcsField.HostCr4, 0x20ul, "27.2.2 host CR4: fixed bits")]
        [InlineData(VmcsField.HostRip, 0x0000_8000_0000_0000ul, "27.2.4 64-bit host: CR4.PAE and canonical RIP")]
        [InlineData(VmcsField.GuestRflags, 0ul, "27.3.1.4 guest RFLAGS: reserved bits")]
        [InlineData(VmcsField.GuestTrAccessRights, 0x1008Bul, "27.3.1.2 TR access rights: unusable")]
        [InlineData(VmcsField.GuestIdtrLimit, 0x1_0000ul, "27.3.1.3 GDTR/IDTR limit bits 31:16")]
        [InlineData(VmcsField.GuestActivityState, 5ul, "27.3.1.5 activity state: supported value")]
        [InlineData(VmcsField.GuestInterruptibility, 1ul, "27.3.1.5 interruptibility: STI blocking with IF = 0")]
        [InlineData(VmcsField.GuestPendingDebugExceptions, 0x10ul, "27.3.1.5 pending debug exceptions: reserved bits")]
        [InlineData(VmcsField.VmcsLinkPointer, 0x1234ul, "27.3.1.5 VMCS link pointer")]
        [InlineData(VmcsField.GuestIa32Pat, 0x02ul, "27.3.1.1 guest IA32_PAT")]
        [InlineData(VmcsField.GuestIa32Efer, 0x500ul, "27.3.1.1 guest IA32_EFER.LMA matches IA-32e mode guest")]
        [InlineData(VmcsField.GuestCsLimit, 0x1_0000ul, "27.3.1.2 Cs access rights: G")]
        public void BrokenField_FailsByName(VmcsField field, ulong value, string check)
        {
            VmxTestRig rig = VmxTestRig.Bochs(StartMode.ProtectedFlat32);
            if (field == VmcsField.EptPointer) value = rig.Resources.EptPointer ^ 0x08; // walk length 3 -> 2
            rig.Vmcs.Write(field, value);

            AssertFails(rig, check);
        }

        [Fact]
        public void InjectingAnErrorCodeInRealMode_Fails()
        {
            VmxTestRig rig = VmxTestRig.Bochs(StartMode.ResetVector);
            rig.Vmcs.Write(VmcsField.EntryInterruptionInfo, InterruptionInfo.Make(InterruptionType.HardwareException, 13, true).Raw);
            rig.Vmcs.Write(VmcsField.EntryExceptionErrorCode, 0);

            AssertFails(rig, "27.2.1.3 event injection: deliver-error-code bit");
        }

        [Fact]
        public void InjectingIntoWaitForSipi_Fails()
        {
            VmxTestRig rig = VmxTestRig.Bochs(StartMode.WaitForSipi);
            rig.Vmcs.Write(VmcsField.GuestRflags, 0x202);
            rig.Vmcs.Write(VmcsField.EntryInterruptionInfo, InterruptionInfo.Make(InterruptionType.ExternalInterrupt, 0x30, false).Raw);

            AssertFails(rig, "27.3.1.5 activity state: injected event not allowed");
        }

        [Fact]
        public void SsDplMismatch_FailsWithoutUnrestrictedGuest()
        {
            VmxTestRig rig = VmxTestRig.Bochs(StartMode.ProtectedFlat32);
            rig.Vmcs.Write(VmcsField.GuestSsSelector, 0x13);

            Assert.Empty(rig.Check()); // with unrestricted guest the RPL rules do not apply
            rig.Vmcs.ClearBits(VmcsField.SecondaryProcBasedControls, (uint)SecondaryProcBasedControls.UnrestrictedGuest);
            AssertFails(rig, "27.3.1.2 SS selector: RPL equals CS RPL");
        }
    }
}
