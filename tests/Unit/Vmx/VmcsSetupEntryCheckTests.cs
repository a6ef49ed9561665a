using System.Collections.Generic;
using Hv.Virt;
using Hv.Virt.Vmx;
using Xunit;

namespace Hv.Tests.Unit.Vmx
{
    /// <summary>The VMCS our setup writes passes every VM-entry check (SDM §27.2, §27.3) for each start mode and CPU profile.</summary>
    public class VmcsSetupEntryCheckTests
    {
        public static IEnumerable<object[]> Cases()
        {
            foreach (string cpu in new[] { "bochs", "server" })
                foreach (StartMode m in new[] { StartMode.ResetVector, StartMode.ProtectedFlat32, StartMode.WaitForSipi, StartMode.Long64 })
                    yield return new object[] { cpu, m };
        }

        internal static VmxTestRig Rig(string cpu, StartMode mode) => cpu == "bochs" ? VmxTestRig.Bochs(mode) : VmxTestRig.Server(mode);

        [Theory]
        [MemberData(nameof(Cases))]
        public void Setup_PassesAllEntryChecks(string cpu, StartMode mode)
        {
            VmxTestRig rig = Rig(cpu, mode);

            Assert.Empty(rig.Check());
            Assert.Empty(rig.Vmcs.Violations);
            Assert.Empty(rig.Vmcs.UnwrittenReads); // every field VM entry looks at was written
        }

        [Theory]
        [InlineData("bochs")]
        [InlineData("server")]
        public void ResetVector_IsRealModeAtF000Fff0(string cpu)
        {
            FakeVmcs v = Rig(cpu, StartMode.ResetVector).Vmcs;

            Assert.Equal(0xF000ul, v.Peek(VmcsField.GuestCsSelector));
            Assert.Equal(0xFFFF_0000ul, v.Peek(VmcsField.GuestCsBase));
            Assert.Equal(0xFFF0ul, v.Peek(VmcsField.GuestRip));
            Assert.Equal(0x6000_0010ul, v.Peek(VmcsField.Cr0ReadShadow));               // what the guest reads
            Assert.Equal(0x6000_0030ul, v.Peek(VmcsField.GuestCr0));                    // NE forced, PE/PG 0
            Assert.Equal(0ul, v.Peek(VmcsField.Cr4ReadShadow));
            Assert.Equal((ulong)Cr4.VMXE, v.Peek(VmcsField.GuestCr4));
            Assert.Equal((ulong)ActivityState.Active, v.Peek(VmcsField.GuestActivityState));
            Assert.Equal(ulong.MaxValue, v.Peek(VmcsField.VmcsLinkPointer));
            Assert.Equal(AccessRights.UnusableBit, (uint)v.Peek(VmcsField.GuestLdtrAccessRights));
        }

        [Theory]
        [InlineData("bochs")]
        [InlineData("server")]
        public void Long64_IsLongModeWithTheLoadersTables(string cpu)
        {
            FakeVmcs v = Rig(cpu, StartMode.Long64).Vmcs;

            Assert.Equal(0x9000ul, v.Peek(VmcsField.GuestCr3));
            Assert.Equal(0x8000ul, v.Peek(VmcsField.GuestGdtrBase));
            Assert.Equal(0x1Ful, v.Peek(VmcsField.GuestGdtrLimit));
            Assert.Equal(0x10ul, v.Peek(VmcsField.GuestCsSelector));
            Assert.Equal(0xA09Bul, v.Peek(VmcsField.GuestCsAccessRights));        // L = 1, D = 0
            Assert.Equal(0x18ul, v.Peek(VmcsField.GuestDsSelector));
            Assert.Equal(0x8000_0011ul, v.Peek(VmcsField.Cr0ReadShadow));         // PE | ET | PG
            Assert.Equal((ulong)Cr4.PAE, v.Peek(VmcsField.Cr4ReadShadow));
            Assert.Equal(0x500ul, v.Peek(VmcsField.GuestIa32Efer));               // LME | LMA
            Assert.NotEqual(0ul, v.Peek(VmcsField.EntryControls) & (ulong)Hv.Virt.Caps.EntryControls.Ia32eModeGuest);
            Assert.Equal(2ul, v.Peek(VmcsField.GuestRflags));                      // IF = 0
        }

        [Fact]
        public void ProtectedFlat32_IsFlatWithPagingOff()
        {
            FakeVmcs v = VmxTestRig.Bochs(StartMode.ProtectedFlat32, 0x10_000C).Vmcs;

            Assert.Equal(0x10_000Cul, v.Peek(VmcsField.GuestRip));
            Assert.Equal(0xC09Bul, v.Peek(VmcsField.GuestCsAccessRights));
            Assert.Equal(0xFFFF_FFFFul, v.Peek(VmcsField.GuestDsLimit));
            Assert.Equal(0x11ul, v.Peek(VmcsField.Cr0ReadShadow));
            Assert.Equal(0ul, v.Peek(VmcsField.GuestCr0) & (ulong)Cr0.PG);
            Assert.Equal(2ul, v.Peek(VmcsField.GuestRflags));
        }

        [Fact]
        public void WaitForSipi_UsesThatActivityState_AndSipiStartsItAtTheVector()
        {
            VmxTestRig rig = VmxTestRig.Bochs(StartMode.WaitForSipi);
            Assert.Equal((ulong)ActivityState.WaitForSipi, rig.Vmcs.Peek(VmcsField.GuestActivityState));

            VmcsGuestState.WriteSipiStart(rig.Vmcs, 0x9A);

            Assert.Equal(0x9A00ul, rig.Vmcs.Peek(VmcsField.GuestCsSelector));
            Assert.Equal(0x9_A000ul, rig.Vmcs.Peek(VmcsField.GuestCsBase));
            Assert.Equal(0ul, rig.Vmcs.Peek(VmcsField.GuestRip));
            Assert.Empty(rig.Check());
        }

        [Fact]
        public void ControlsAndPointers_AreWritten()
        {
            VmxTestRig rig = VmxTestRig.Bochs();
            FakeVmcs v = rig.Vmcs;

            Assert.Equal(rig.Resources.EptPointer, v.Peek(VmcsField.EptPointer));
            Assert.Equal(rig.Resources.MsrBitmap, v.Peek(VmcsField.MsrBitmap));
            Assert.Equal(1ul, v.Peek(VmcsField.VirtualProcessorId));
            Assert.Equal(0ul, v.Peek(VmcsField.XssExitingBitmap));
            Assert.Equal(0xFFFF_FFFFul, v.Peek(VmcsField.PreemptionTimerValue));
            Assert.Equal(VmxTestRig.TypicalHost(rig.Caps).GsBase, v.Peek(VmcsField.HostGsBase));
            Assert.Equal(0x18ul, v.Peek(VmcsField.HostTrSelector));
        }
    }
}
