using Hv.Virt.Caps;
using Xunit;

namespace Hv.Tests.Unit.Caps
{
    /// <summary>Decoding of the VMX capability MSRs (SDM Vol. 3D Appendix A).</summary>
    public class VmxCapabilitiesTests
    {
        [Fact]
        public void BochsVmxBasic_DecodesEveryField()
        {
            var basic = new VmxBasic(0x00d8_1000_0000_002b);

            Assert.Equal(0x2bu, basic.RevisionId);
            Assert.Equal(4096u, basic.VmcsSize);
            Assert.False(basic.PhysicalAddressesLimitedTo32Bits);
            Assert.False(basic.DualMonitorSmm);
            Assert.Equal(VmxBasic.MemoryTypeWriteBack, basic.MemoryType);
            Assert.True(basic.InsOutsInfo);
            Assert.True(basic.TrueControls);
            Assert.False(basic.NoHardwareExceptionErrorCodeCheck);
        }

        [Fact]
        public void TrueControls_AreReadInsteadOfTheOriginals()
        {
            FakeCpu cpu = IntelProfiles.BochsSkylakeX();

            VmxCapabilities vmx = cpu.ProbeChecked().Vmx;

            Assert.Equal(new uint[]
            {
                0x03A, 0x480, 0x48D, 0x48E, 0x48F, 0x490, 0x485, 0x486, 0x487, 0x488, 0x489, 0x48A,
                0x48B, 0x48C, 0x491,
            }, cpu.MsrReads.ToArray());
            Assert.Equal(0x0400_6172u, vmx.ProcBased.Allowed0);
            Assert.True(vmx.ProcBased.CanClear(PrimaryProcBasedControls.Cr3LoadExiting | PrimaryProcBasedControls.Cr3StoreExiting));
            Assert.True(vmx.Exit.CanClear(ExitControls.SaveDebugControls));
        }

        [Fact]
        public void WithoutTrueControls_OnlyTheOriginalsAndNoEptCapsAreRead()
        {
            FakeCpu cpu = IntelProfiles.PenrynLike();

            VmxCapabilities vmx = cpu.ProbeChecked().Vmx;

            Assert.Equal(new uint[]
            {
                0x03A, 0x480, 0x481, 0x482, 0x483, 0x484, 0x485, 0x486, 0x487, 0x488, 0x489, 0x48A, 0x48B,
            }, cpu.MsrReads.ToArray());
            Assert.False(vmx.TrueControls);
            Assert.True(vmx.ProcBased.MustSet(PrimaryProcBasedControls.Cr3LoadExiting));
            Assert.Equal((EptVpidCapabilities)0, vmx.EptVpid);
        }

        [Fact]
        public void BochsEptAndVpid_Decode()
        {
            VmxCapabilities vmx = IntelProfiles.BochsSkylakeX().ProbeChecked().Vmx;

            Assert.True(vmx.Ept && vmx.EptPageWalk4 && vmx.EptWriteBack && vmx.EptUncacheable);
            Assert.False(vmx.EptPageWalk5);
            Assert.True(vmx.Ept2MbPages && vmx.Ept1GbPages && vmx.EptAccessedDirty && vmx.EptExecuteOnly);
            Assert.True(vmx.Invept && vmx.InveptSingleContext && vmx.InveptAllContext);
            Assert.True(vmx.Vpid && vmx.Invvpid && vmx.InvvpidIndividualAddress && vmx.InvvpidSingleContext);
            Assert.True(vmx.InvvpidAllContext && vmx.InvvpidSingleContextRetainingGlobals);
            Assert.True(vmx.EptpSwitching);
        }

        [Fact]
        public void BochsControls_Decode()
        {
            VmxCapabilities vmx = IntelProfiles.BochsSkylakeX().ProbeChecked().Vmx;

            Assert.True(vmx.UnrestrictedGuest && vmx.PreemptionTimer && vmx.SavePreemptionTimer && vmx.VirtualNmis);
            Assert.False(vmx.PostedInterrupts);
            Assert.False(vmx.MonitorTrapFlag); // bit 59 of 0xf7f9fffe0401e172 is clear
            Assert.True(vmx.TprShadow && vmx.VirtualizeApicAccesses && vmx.ApicRegisterVirtualization);
            Assert.True(vmx.VirtualInterruptDelivery && vmx.VirtualizeX2ApicMode && vmx.ApicVirtualization);
            Assert.True(vmx.MsrBitmaps && vmx.IoBitmaps && vmx.VmcsShadowing && vmx.Xsaves && vmx.TscScaling);
            Assert.True(vmx.TscOffsetting && vmx.PauseLoopExiting && vmx.Rdtscp && vmx.Invpcid);
            Assert.True(vmx.PageModificationLogging && vmx.LongModeControls && vmx.EferSwitching && vmx.PatSwitching);
            Assert.True(vmx.AcknowledgeInterruptOnExit);
        }

        [Fact]
        public void BochsMiscAndFixedBits_Decode()
        {
            VmxCapabilities vmx = IntelProfiles.BochsSkylakeX().ProbeChecked().Vmx;

            Assert.Equal(0u, vmx.PreemptionTimerRate);
            Assert.True(vmx.Misc.StoresLmaOnExit);
            Assert.True(vmx.Misc.ActivityHlt && vmx.Misc.ActivityShutdown && vmx.Misc.ActivityWaitForSipi);
            Assert.Equal(4u, vmx.Misc.Cr3TargetCount);
            Assert.Equal(512u, vmx.Misc.MaxMsrListEntries);
            Assert.True(vmx.Misc.VmwriteAnyField && vmx.Misc.ZeroLengthInjection);
            Assert.Equal(0x8000_0021ul, vmx.Cr0Fixed0);
            Assert.Equal(0x2000ul, vmx.Cr4Fixed0);
            Assert.Equal(0x17u, vmx.VmcsEnumHighestIndex);
        }

        [Fact]
        public void SapphireRapidsMisc_Decodes()
        {
            VmxCapabilities vmx = IntelProfiles.SapphireRapidsLike().ProbeChecked().Vmx;

            Assert.Equal(5u, vmx.Misc.PreemptionTimerRate);
            Assert.True(vmx.Misc.IntelPtInVmx);
            Assert.True(vmx.EptPageWalk5);
            Assert.Equal(1024u, vmx.Basic.VmcsSize);
            Assert.True(vmx.Basic.DualMonitorSmm && vmx.Basic.NoHardwareExceptionErrorCodeCheck);
            Assert.True(vmx.ProcBased.CanSet(PrimaryProcBasedControls.ActivateTertiaryControls));
            Assert.True(vmx.ProcBased2.CanSet(SecondaryProcBasedControls.InstructionTimeout | SecondaryProcBasedControls.VmmBusLockDetection));
        }

        [Theory]
        [InlineData(0x0ul, FeatureControlState.Unlocked)]
        [InlineData(0x4ul, FeatureControlState.Unlocked)]
        [InlineData(0x5ul, FeatureControlState.LockedEnabled)]
        [InlineData(0x7ul, FeatureControlState.LockedEnabled)]
        [InlineData(0x1ul, FeatureControlState.LockedDisabled)]
        [InlineData(0x3ul, FeatureControlState.LockedDisabled)]
        public void FeatureControl_Decodes(ulong raw, FeatureControlState expected)
        {
            Assert.Equal(expected, VmxCapabilities.DecodeFeatureControl(raw));
        }
    }
}
