using Hv.Virt.Caps;
using Xunit;

namespace Hv.Tests.Unit.Caps
{
    /// <summary>Backend decisions for variations of the reference CPUs.</summary>
    public class BackendChoiceTests
    {
        [Fact]
        public void VmxLockedOffByFirmware_IsRejected()
        {
            CpuCapabilities caps = IntelProfiles.BochsSkylakeX()
                .Msr(CapabilityMsr.FeatureControl, 0x1) // Lock without VMX outside SMX
                .ProbeChecked();

            Assert.Equal(FeatureControlState.LockedDisabled, caps.Vmx.FeatureControl);
            Assert.EndsWith("feature-control=locked-disabled", caps.ReportLines()[1]);
            Assert.Equal("backend: none (" + BackendReasons.VmxDisabledByFirmware + ")", caps.Backend.ReportLine());
        }

        [Fact]
        public void VmxOnlyInsideSmx_CountsAsDisabled()
        {
            CpuCapabilities caps = IntelProfiles.BochsSkylakeX()
                .Msr(CapabilityMsr.FeatureControl, 0x3) // Lock | VMX inside SMX
                .ProbeChecked();

            Assert.Equal(VirtBackend.None, caps.Backend.Backend);
            Assert.Equal(BackendReasons.VmxDisabledByFirmware, caps.Backend.Reason);
        }

        [Fact]
        public void EptWithoutUnrestrictedGuest_NehalemLike_IsRejected()
        {
            // Nehalem-like secondary controls: bits 0-6 (APIC accesses, EPT, descriptor tables,
            // RDTSCP, x2APIC mode, VPID, WBINVD exiting) but no unrestricted guest (bit 7).
            CpuCapabilities caps = IntelProfiles.BochsSkylakeX()
                .Msr(CapabilityMsr.VmxProcBasedCtls2, 0x0000_007f_0000_0000)
                .ProbeChecked();

            Assert.True(caps.Vmx.Ept);
            Assert.False(caps.Vmx.UnrestrictedGuest);
            Assert.Equal("backend: none (VMX present but unrestricted guest missing)", caps.Backend.ReportLine());
        }

        [Fact]
        public void EptWithoutWriteBackPagingStructures_IsRejected()
        {
            CpuCapabilities caps = IntelProfiles.BochsSkylakeX()
                .Msr(CapabilityMsr.VmxEptVpidCap, 0x0000_0f01_0633_4141 & ~(1ul << 14))
                .ProbeChecked();

            Assert.False(caps.Vmx.EptWriteBack);
            Assert.Equal(BackendReasons.VmxEptUnusable, caps.Backend.Reason);
        }

        [Fact]
        public void VmxWithoutSecondaryControls_NeverReadsProcBasedCtls2()
        {
            // Merom-like: "activate secondary controls" (bit 63 of PROCBASED_CTLS) cannot be 1, so
            // IA32_VMX_PROCBASED_CTLS2 does not exist (App. A.3.3).
            FakeCpu cpu = IntelProfiles.PenrynLike()
                .Msr(CapabilityMsr.VmxProcBasedCtls, 0x77f9_fffe_0401_e172)
                .WithoutMsr(CapabilityMsr.VmxProcBasedCtls2);

            CpuCapabilities caps = cpu.ProbeChecked();

            Assert.DoesNotContain((uint)CapabilityMsr.VmxProcBasedCtls2, cpu.MsrReads);
            Assert.False(caps.Vmx.SecondaryControls);
            Assert.Contains("proc2=0x00000000", caps.ReportLines()[2]);
            Assert.Equal(BackendReasons.VmxNoEpt, caps.Backend.Reason);
        }

        [Fact]
        public void UnreadableVmxBasic_IsReportedNotGuessed()
        {
            FakeCpu cpu = IntelProfiles.BochsSkylakeX().WithoutMsr(CapabilityMsr.VmxBasic);

            CpuCapabilities caps = CpuCapabilities.Probe(cpu);

            Assert.False(caps.Vmx.BasicReadable);
            Assert.Equal(new[] { "rdmsr 480" }, cpu.Violations);
            Assert.Equal(BackendReasons.VmxMsrsUnreadable, caps.Backend.Reason);
        }

        [Fact]
        public void WithoutRdmsr_NoMsrIsRead()
        {
            FakeCpu cpu = IntelProfiles.BochsSkylakeX()
                .Leaf(1, 0x0005_0654, 0x0001_0800, 0x77FA_F3BF, 0xBFEB_FBFF & ~(1u << 5)); // EDX.MSR = 0

            CpuCapabilities caps = cpu.ProbeChecked();

            Assert.Empty(cpu.MsrReads);
            Assert.EndsWith("feature-control=unreadable", caps.ReportLines()[1]);
            Assert.Equal(BackendReasons.VmxMsrsUnreadable, caps.Backend.Reason);
        }

        [Fact]
        public void SvmWithoutNestedPaging_IsRejected()
        {
            CpuCapabilities caps = AmdProfiles.QemuTcgEpyc()
                .Leaf(0x8000_000A, 0x1, 0x10, 0, 0x0)
                .ProbeChecked();

            Assert.Equal("backend: none (SVM present but nested paging (NPT) missing)", caps.Backend.ReportLine());
        }

        [Fact]
        public void HygonIsJudgedBySvm()
        {
            CpuCapabilities caps = AmdProfiles.QemuTcgEpyc().Vendor("HygonGenuine", 0xD).ProbeChecked();

            Assert.Equal(CpuVendor.Hygon, caps.Identity.Vendor);
            Assert.Equal(VirtBackend.Svm, caps.Backend.Backend);
        }

        [Fact]
        public void SvmFlagOnIntelVendor_IsAVendorMismatch()
        {
            CpuCapabilities caps = AmdProfiles.QemuTcgEpyc().Vendor("GenuineIntel", 0xD).ProbeChecked();

            Assert.NotNull(caps.Svm);
            Assert.Equal("backend: none (VMX/SVM flag does not match the CPU vendor (GenuineIntel))", caps.Backend.ReportLine());
        }

        [Fact]
        public void UnknownVendorWithSvm_UsesSvm()
        {
            CpuCapabilities caps = AmdProfiles.QemuTcgEpyc().Vendor("SomeEmulator", 0xD).ProbeChecked();

            Assert.Equal(CpuVendor.Unknown, caps.Identity.Vendor);
            Assert.Equal(VirtBackend.Svm, caps.Backend.Backend);
        }
    }
}
