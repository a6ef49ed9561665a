using Hv.Virt.Caps;
using Xunit;

namespace Hv.Tests.Unit.Caps
{
    /// <summary>Exact report lines for each reference CPU (integration tests grep these shapes).</summary>
    public class CpuReportTests
    {
        [Fact]
        public void BochsSkylakeX_ChoosesVmxAndAsksToEnableFeatureControl()
        {
            CpuCapabilities caps = IntelProfiles.BochsSkylakeX().ProbeChecked();

            Assert.Equal(new[]
            {
                "cpu: vendor=GenuineIntel family=0x6 model=0x55 stepping=4 brand=\"Intel(R) Core(TM) i7-7800X CPU @ 3.50GHz\" hypervisor=no x2apic=yes",
                "vmx: revision=0x2b vmcs-size=4096 true-controls=yes ept=yes ept-2m=yes ept-1g=yes ept-ad=yes vpid=yes unrestricted-guest=yes preemption-timer=yes preemption-rate=0 posted-interrupts=no apic-virt=yes vmcs-shadowing=yes msr-bitmaps=yes feature-control=unlocked",
                "vmx-controls: pin=0x0000007f proc=0xf7f9fffe proc2=0x02177fff exit=0x007fffff entry=0x0000ffff",
                "backend: vmx",
            }, caps.ReportLines());
            Assert.True(caps.Backend.MustEnableVmxInFeatureControl);
        }

        [Fact]
        public void SapphireRapidsLike_ChoosesVmxWithFirmwareEnabledVmx()
        {
            CpuCapabilities caps = IntelProfiles.SapphireRapidsLike().ProbeChecked();

            Assert.Equal(new[]
            {
                "cpu: vendor=GenuineIntel family=0x6 model=0x8f stepping=8 brand=\"Intel(R) Xeon(R) Platinum 8480+\" hypervisor=no x2apic=yes",
                "vmx: revision=0x4 vmcs-size=1024 true-controls=yes ept=yes ept-2m=yes ept-1g=yes ept-ad=yes vpid=yes unrestricted-guest=yes preemption-timer=yes preemption-rate=5 posted-interrupts=yes apic-virt=yes vmcs-shadowing=yes msr-bitmaps=yes feature-control=locked-enabled",
                "vmx-controls: pin=0x000000ff proc=0xfffbfffe proc2=0xd75fffff exit=0x3fffffff entry=0x007fffff",
                "backend: vmx",
            }, caps.ReportLines());
            Assert.False(caps.Backend.MustEnableVmxInFeatureControl);
        }

        [Fact]
        public void QemuTcgEpyc_ChoosesSvmWithNptOnly()
        {
            CpuCapabilities caps = AmdProfiles.QemuTcgEpyc().ProbeChecked();

            Assert.Equal(new[]
            {
                "cpu: vendor=AuthenticAMD family=0x17 model=0x1 stepping=2 brand=\"AMD EPYC Processor\" hypervisor=yes x2apic=no",
                "svm: revision=1 asids=16 npt=yes nrip-save=no decode-assists=no vmcb-clean=no flush-by-asid=no lbr-virt=no avic=no vgif=no pause-filter=no disabled-by-firmware=no",
                "backend: svm",
            }, caps.ReportLines());
            Assert.Null(caps.Vmx);
        }

        [Fact]
        public void Athlon64_HasNoVirtualization()
        {
            CpuCapabilities caps = AmdProfiles.Athlon64Like().ProbeChecked();

            Assert.Equal(new[]
            {
                "cpu: vendor=AuthenticAMD family=0xf model=0x2f stepping=0 brand=\"AMD Athlon(tm) 64 Processor 3000+\" hypervisor=no x2apic=no",
                "backend: none (no VMX or SVM: this CPU cannot run guests)",
            }, caps.ReportLines());
            Assert.Null(caps.Vmx);
            Assert.Null(caps.Svm);
        }

        [Fact]
        public void GuestWithoutNestedVmx_SaysItRunsUnderAHypervisor()
        {
            // SPR-like host seen from inside a VM that hides VMX: ECX.VMX cleared, ECX bit 31 set.
            FakeCpu cpu = IntelProfiles.SapphireRapidsLike()
                .Leaf(1, 0x0008_06F8, 0x0040_0800, (0x7FFE_FBFFu & ~(1u << 5)) | (1u << 31), 0xBFEB_FBFF);

            CpuCapabilities caps = cpu.ProbeChecked();

            Assert.Equal(new[]
            {
                "cpu: vendor=GenuineIntel family=0x6 model=0x8f stepping=8 brand=\"Intel(R) Xeon(R) Platinum 8480+\" hypervisor=yes x2apic=yes",
                "backend: none (no VMX or SVM: this CPU cannot run guests; running under a hypervisor that does not expose nested virtualization)",
            }, caps.ReportLines());
            Assert.Empty(cpu.MsrReads);
        }

        [Fact]
        public void PenrynLike_VmxWithoutEpt_IsRejected()
        {
            CpuCapabilities caps = IntelProfiles.PenrynLike().ProbeChecked();

            Assert.Equal(new[]
            {
                "cpu: vendor=GenuineIntel family=0x6 model=0x17 stepping=6 brand=\"Intel(R) Core(TM)2 Duo CPU     T9600  @ 2.80GHz\" hypervisor=no x2apic=no",
                "vmx: revision=0xd vmcs-size=1024 true-controls=no ept=no ept-2m=no ept-1g=no ept-ad=no vpid=no unrestricted-guest=no preemption-timer=no preemption-rate=0 posted-interrupts=no apic-virt=no vmcs-shadowing=no msr-bitmaps=yes feature-control=locked-enabled",
                "vmx-controls: pin=0x0000003f proc=0xf7f9fffe proc2=0x00000041 exit=0x0003ffff entry=0x00003fff",
                "backend: none (VMX present but EPT missing)",
            }, caps.ReportLines());
        }

        [Fact]
        public void MilanLike_SvmDisabledByFirmware_IsReported()
        {
            CpuCapabilities caps = AmdProfiles.MilanLike(vmCr: 0x18).ProbeChecked(); // LOCK | SVMDIS

            Assert.Equal(new[]
            {
                "cpu: vendor=AuthenticAMD family=0x19 model=0x1 stepping=1 brand=\"AMD EPYC 7763 64-Core Processor\" hypervisor=no x2apic=yes",
                "svm: revision=1 asids=32768 npt=yes nrip-save=yes decode-assists=yes vmcb-clean=yes flush-by-asid=yes lbr-virt=yes avic=yes vgif=yes pause-filter=yes disabled-by-firmware=yes",
                "backend: none (SVM disabled by firmware (VM_CR.SVMDIS))",
            }, caps.ReportLines());
        }

        [Fact]
        public void MilanLike_SvmEnabled_ChoosesSvm()
        {
            CpuCapabilities caps = AmdProfiles.MilanLike(vmCr: 0x0).ProbeChecked();

            Assert.Equal(VirtBackend.Svm, caps.Backend.Backend);
            Assert.EndsWith("disabled-by-firmware=no", caps.ReportLines()[1]);
            Assert.Equal("backend: svm", caps.ReportLines()[2]);
        }

        [Fact]
        public void VmxControlsLine_CanBeLeftOut()
        {
            string[] lines = IntelProfiles.BochsSkylakeX().ProbeChecked().ReportLines(includeVmxControls: false);

            Assert.Equal(3, lines.Length);
            Assert.StartsWith("vmx: ", lines[1]);
            Assert.Equal("backend: vmx", lines[2]);
        }
    }
}
