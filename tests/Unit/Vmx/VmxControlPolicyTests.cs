using Hv.Tests.Unit.Caps;
using Hv.Virt.Caps;
using Hv.Virt.Vmx;
using Xunit;

namespace Hv.Tests.Unit.Vmx
{
    /// <summary>Control computation from the capability MSRs, per CPU profile (SDM App. A.3-A.8).</summary>
    public class VmxControlPolicyTests
    {
        private static VmxControlSet Compute(FakeCpu cpu)
        {
            Assert.True(VmxControlPolicy.TryCompute(cpu.ProbeChecked().Vmx, out VmxControlSet set, out string error), error);
            return set;
        }

        [Fact]
        public void Bochs_GetsEverythingTheBackendAsksFor()
        {
            VmxControlSet s = Compute(IntelProfiles.BochsSkylakeX());

            Assert.Equal(PinBasedControls.ExternalInterruptExiting | PinBasedControls.NmiExiting | PinBasedControls.VirtualNmis
                | PinBasedControls.ActivateVmxPreemptionTimer | (PinBasedControls)0x16, s.Pin); // 0x16: default1 bits 1, 2, 4
            Assert.True((s.Primary & (PrimaryProcBasedControls.HltExiting | PrimaryProcBasedControls.UseIoBitmaps
                | PrimaryProcBasedControls.UseMsrBitmaps | PrimaryProcBasedControls.ActivateSecondaryControls
                | PrimaryProcBasedControls.Cr8LoadExiting | PrimaryProcBasedControls.Cr8StoreExiting
                | PrimaryProcBasedControls.MwaitExiting | PrimaryProcBasedControls.MonitorExiting)) != 0);
            Assert.False(s.Cr3Exiting);                  // TRUE controls let CR3 exiting be cleared
            Assert.Equal((PrimaryProcBasedControls)0, s.Primary & (PrimaryProcBasedControls.InterruptWindowExiting
                | PrimaryProcBasedControls.UnconditionalIoExiting | PrimaryProcBasedControls.RdtscExiting));
            Assert.Equal(SecondaryProcBasedControls.EnableEpt | SecondaryProcBasedControls.UnrestrictedGuest
                | SecondaryProcBasedControls.EnableVpid | SecondaryProcBasedControls.EnableRdtscp
                | SecondaryProcBasedControls.EnableInvpcid | SecondaryProcBasedControls.EnableXsavesXrstors, s.Secondary);
            Assert.Equal(ExitControls.HostAddressSpaceSize | ExitControls.SaveIa32Efer | ExitControls.LoadIa32Efer
                | ExitControls.SaveIa32Pat | ExitControls.LoadIa32Pat, s.Exit & ~(ExitControls)0x36DFB);
            Assert.Equal((ExitControls)0, s.Exit & ExitControls.AcknowledgeInterruptOnExit);
            Assert.Equal(EntryControls.LoadIa32Efer | EntryControls.LoadIa32Pat, s.Entry & ~(EntryControls)0x11FB);
            Assert.Equal((EntryControls)0, s.Entry & EntryControls.Ia32eModeGuest);
            Assert.Equal(1u << 18, s.ExceptionBitmap);
        }

        [Fact]
        public void Bochs_CrOwnership_HidesNeAndVmxe()
        {
            VmxControlSet s = Compute(IntelProfiles.BochsSkylakeX());

            Assert.Equal((ulong)Cr0.NE, s.Cr0MustBe1);   // FIXED0 0x80000021 minus PE and PG (unrestricted guest)
            Assert.Equal((ulong)Cr0.NE, s.Cr0Mask);      // FIXED1 allows every low bit
            Assert.Equal((ulong)Cr4.VMXE, s.Cr4MustBe1);
            Assert.Equal((ulong)Cr4.VMXE | (~0x3727FFul & 0xFFFF_FFFF), s.Cr4Mask);
            Assert.Equal(0x3727FFul, s.Cr4MayBe1);
        }

        [Fact]
        public void Server_ComputesTheSameSet()
        {
            VmxControlSet s = Compute(IntelProfiles.SapphireRapidsLike());

            Assert.True(s.Vpid && s.PreemptionTimer && s.VirtualNmis && s.PatSwitching);
            Assert.Equal((PinBasedControls)0, s.Pin & PinBasedControls.ProcessPostedInterrupts);
            Assert.True((s.Secondary & SecondaryProcBasedControls.UnrestrictedGuest) != 0);
        }

        [Fact]
        public void WithoutTrueMsrs_Cr3ExitingStaysOnAndDebugControlsLoad()
        {
            FakeCpu cpu = IntelProfiles.BochsSkylakeX().Msr(CapabilityMsr.VmxBasic, 0x0058_1000_0000_002b); // bit 55 clear
            VmxControlSet s = Compute(cpu);

            Assert.True(s.Cr3Exiting);
            Assert.True(s.LoadDebugControls);
        }

        [Fact]
        public void Penryn_WithoutEpt_IsRefusedByName()
        {
            VmxCapabilities caps = IntelProfiles.PenrynLike().ProbeChecked().Vmx;

            Assert.False(VmxControlPolicy.TryCompute(caps, out _, out string error));
            Assert.Contains("secondary processor-based", error);
        }

        [Fact]
        public void WithoutUnrestrictedGuest_IsRefused()
        {
            FakeCpu cpu = IntelProfiles.BochsSkylakeX().Msr(CapabilityMsr.VmxProcBasedCtls2, 0x0217_7f7f_0000_0000);

            Assert.False(VmxControlPolicy.TryCompute(cpu.ProbeChecked().Vmx, out _, out string error));
            Assert.Contains("0x00000080", error);
        }

        [Fact]
        public void AcknowledgeInterruptFixedToOne_IsRefused()
        {
            FakeCpu cpu = IntelProfiles.BochsSkylakeX().Msr(CapabilityMsr.VmxTrueExitCtls, 0x007f_ffff_0003_edfb);

            Assert.False(VmxControlPolicy.TryCompute(cpu.ProbeChecked().Vmx, out _, out string error));
            Assert.Contains("acknowledge", error);
        }

        [Fact]
        public void WithoutPreemptionTimer_ItIsLeftOut()
        {
            FakeCpu cpu = IntelProfiles.BochsSkylakeX().Msr(CapabilityMsr.VmxTruePinBasedCtls, 0x0000_003f_0000_0016);

            VmxControlSet s = Compute(cpu);

            Assert.False(s.PreemptionTimer);
        }
    }
}
