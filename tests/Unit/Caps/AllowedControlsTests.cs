using Hv.Virt.Caps;
using Xunit;

namespace Hv.Tests.Unit.Caps
{
    /// <summary>Allowed 0/1-settings and control computation (SDM Vol. 3D Appendix A.3).</summary>
    public class AllowedControlsTests
    {
        private const ulong BochsProcBased = 0xf7f9_fffe_0401_e172;
        private const ulong BochsTrueProcBased = 0xf7f9_fffe_0400_6172;
        private const ulong BochsPinBased = 0x0000_007f_0000_0016;

        [Fact]
        public void FromMsr_SplitsLowAndHighDwords()
        {
            AllowedControls c = AllowedControls.FromMsr(BochsProcBased);

            Assert.Equal(0x0401_e172u, c.Allowed0);
            Assert.Equal(0xf7f9_fffeu, c.Allowed1);
            Assert.Equal(BochsProcBased, c.Raw);
        }

        [Fact]
        public void TryCompute_ForcesMustBeOneBits_AndDropsUnsupportedOptionalOnes()
        {
            AllowedControls c = AllowedControls.FromMsr(BochsProcBased);

            bool ok = c.TryCompute(
                PrimaryProcBasedControls.HltExiting | PrimaryProcBasedControls.UseMsrBitmaps
                | PrimaryProcBasedControls.ActivateSecondaryControls,
                PrimaryProcBasedControls.MonitorTrapFlag, // not offered by Bochs
                out PrimaryProcBasedControls value, out PrimaryProcBasedControls unsupported);

            Assert.True(ok);
            Assert.Equal((PrimaryProcBasedControls)0x9401_e1f2, value);
            Assert.Equal((PrimaryProcBasedControls)0, unsupported);
            Assert.True((value & PrimaryProcBasedControls.Cr3LoadExiting) != 0); // default1, fixed in the non-TRUE MSR
        }

        [Fact]
        public void TryCompute_WithTrueMsr_LeavesClearableDefault1BitsClear()
        {
            AllowedControls c = AllowedControls.FromMsr(BochsTrueProcBased);

            Assert.True(c.TryCompute(
                (uint)(PrimaryProcBasedControls.HltExiting | PrimaryProcBasedControls.UseMsrBitmaps
                | PrimaryProcBasedControls.ActivateSecondaryControls), 0, out uint value, out uint unsupported));

            Assert.Equal(0x9400_61f2u, value);
            Assert.Equal(0u, unsupported);
        }

        [Fact]
        public void TryCompute_ReportsRequiredButUnsupportedBits()
        {
            AllowedControls c = AllowedControls.FromMsr(BochsPinBased);

            bool ok = c.TryCompute(
                PinBasedControls.ExternalInterruptExiting | PinBasedControls.ProcessPostedInterrupts,
                PinBasedControls.VirtualNmis,
                out PinBasedControls value, out PinBasedControls unsupported);

            Assert.False(ok);
            Assert.Equal(PinBasedControls.ProcessPostedInterrupts, unsupported);
            Assert.Equal((PinBasedControls)0x37, value); // 0x16 fixed + external interrupts + virtual NMIs
        }

        [Fact]
        public void TryCompute_FlagsAnInconsistentMsr()
        {
            // Bit 1 must be 1 (allowed0) yet may not be 1 (allowed1): no legal value exists.
            AllowedControls c = AllowedControls.FromMsr(0x0000_0004_0000_0002);

            Assert.False(c.TryCompute(0, 0, out uint value, out uint unsupported));
            Assert.Equal(0x2u, unsupported);
            Assert.Equal(0u, value);
        }

        [Fact]
        public void CanSetCanClearMustSet_ReadBothHalves()
        {
            AllowedControls c = AllowedControls.FromMsr(BochsPinBased);

            Assert.True(c.CanSet(PinBasedControls.NmiExiting | PinBasedControls.VirtualNmis));
            Assert.False(c.CanSet(PinBasedControls.NmiExiting | PinBasedControls.ProcessPostedInterrupts));
            Assert.True(c.CanClear(PinBasedControls.ActivateVmxPreemptionTimer));
            Assert.True(c.MustSet(0x16u));
            Assert.False(c.MustSet(0x17u));
            Assert.False(c.CanClear(0x2u));
        }

        [Fact]
        public void TypedOverloads_ExitAndEntry()
        {
            VmxCapabilities vmx = IntelProfiles.SapphireRapidsLike().ProbeChecked().Vmx;

            Assert.True(vmx.Exit.TryCompute(
                ExitControls.HostAddressSpaceSize | ExitControls.AcknowledgeInterruptOnExit
                | ExitControls.SaveIa32Efer | ExitControls.LoadIa32Efer,
                0, out ExitControls exit, out _));
            Assert.Equal((ExitControls)0x0033_effb, exit);

            Assert.True(vmx.Entry.TryCompute(EntryControls.Ia32eModeGuest | EntryControls.LoadIa32Efer,
                EntryControls.LoadDebugControls, out EntryControls entry, out _));
            Assert.Equal((EntryControls)0x0000_93ff, entry);
            Assert.False(vmx.Entry.CanSet((EntryControls)(1u << 23)));
        }
    }
}
