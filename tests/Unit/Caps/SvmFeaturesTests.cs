using Hv.Virt.Caps;
using Xunit;

namespace Hv.Tests.Unit.Caps
{
    /// <summary>CPUID Fn8000_000A and VM_CR decoding (APM Vol. 3 App. E, Vol. 2 §15.30.1).</summary>
    public class SvmFeaturesTests
    {
        [Fact]
        public void QemuTcgEpyc_HasRevision1_16Asids_NptOnly()
        {
            FakeCpu cpu = AmdProfiles.QemuTcgEpyc();

            SvmFeatures svm = cpu.ProbeChecked().Svm;

            Assert.Equal(1u, svm.Revision);
            Assert.Equal(16u, svm.AsidCount);
            Assert.Equal(SvmFeatureFlags.NestedPaging, svm.Flags);
            Assert.True(svm.VmCrReadable);
            Assert.False(svm.DisabledByFirmware);
            Assert.Equal(new uint[] { 0xC001_0114 }, cpu.MsrReads.ToArray());
        }

        [Fact]
        public void EdxBits_FollowTheApmNumbering()
        {
            SvmFeatures svm = AmdProfiles.MilanLike(vmCr: 0).ProbeChecked().Svm;

            Assert.Equal(
                SvmFeatureFlags.NestedPaging | SvmFeatureFlags.LbrVirtualization | SvmFeatureFlags.SvmLock
                | SvmFeatureFlags.NRipSave | SvmFeatureFlags.TscRateMsr | SvmFeatureFlags.VmcbClean
                | SvmFeatureFlags.FlushByAsid | SvmFeatureFlags.DecodeAssists | SvmFeatureFlags.PauseFilter
                | SvmFeatureFlags.PauseFilterThreshold | SvmFeatureFlags.Avic | SvmFeatureFlags.VmsaveVirtualization
                | SvmFeatureFlags.Vgif,
                svm.Flags);
            Assert.True(svm.TscRateMsr && svm.VmsaveVirtualization && svm.PauseFilterThreshold);
        }

        [Theory]
        [InlineData(0x00ul, false, false)]
        [InlineData(0x08ul, false, true)]
        [InlineData(0x10ul, true, false)]
        [InlineData(0x18ul, true, true)]
        public void VmCr_SvmDisAndLock(ulong vmCr, bool disabled, bool locked)
        {
            SvmFeatures svm = AmdProfiles.MilanLike(vmCr).ProbeChecked().Svm;

            Assert.Equal(disabled, svm.DisabledByFirmware);
            Assert.Equal(locked, svm.VmCrLocked);
        }

        [Fact]
        public void RevisionUsesOnlyEaxBits7To0()
        {
            SvmFeatures svm = AmdProfiles.QemuTcgEpyc().Leaf(0x8000_000A, 0xFFFF_FF01, 0x10, 0, 1).ProbeChecked().Svm;

            Assert.Equal(1u, svm.Revision);
        }

        [Fact]
        public void SvmLeafBeyondMaxExtended_IsNotQueried()
        {
            CpuCapabilities caps = AmdProfiles.QemuTcgEpyc().MaxExtended(0x8000_0008).ProbeChecked();

            Assert.Equal(0u, caps.Svm.AsidCount);
            Assert.Equal(BackendReasons.SvmNoNpt, caps.Backend.Reason);
        }
    }
}
