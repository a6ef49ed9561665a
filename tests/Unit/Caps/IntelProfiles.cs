using Hv.Virt.Caps;

namespace Hv.Tests.Unit.Caps
{
    /// <summary>Intel CPUs as CPUID/MSR tables. Each value says where it comes from.</summary>
    internal static class IntelProfiles
    {
        /// <summary>
        /// Bochs 2.7, cpu: model=corei7_skylake_x (the CI's VMX machine).
        /// Real (read in Bochs, docs/emulators.md): VMX_BASIC, PROCBASED_CTLS, PROCBASED_CTLS2.
        /// Derived from Bochs' sources for this model (assumed until measured): CPUID values, the
        /// TRUE_ low dwords, PINBASED (no posted interrupts), EXIT/ENTRY, MISC (rate 0, 4 CR3
        /// targets), CR0/CR4 fixed bits, EPT_VPID_CAP (with A/D and 1G pages), VMFUNC (EPTP switching).
        /// Assumed: VMCS_ENUM, and IA32_FEATURE_CONTROL = 0 (OVMF leaves it unlocked under Bochs).
        /// </summary>
        public static FakeCpu BochsSkylakeX()
        {
            return new FakeCpu()
                .Vendor("GenuineIntel", 0x16)
                .Leaf(1, 0x0005_0654, 0x0001_0800, 0x77FA_F3BF, 0xBFEB_FBFF)
                .MaxExtended(0x8000_0008)
                .Leaf(0x8000_0001, 0, 0, 0x0000_0121, 0x2C10_0800)
                .Brand("Intel(R) Core(TM) i7-7800X CPU @ 3.50GHz")
                .Msr(CapabilityMsr.FeatureControl, 0x0)
                .Msr(CapabilityMsr.VmxBasic, 0x00d8_1000_0000_002b)
                .Msr(CapabilityMsr.VmxPinBasedCtls, 0x0000_007f_0000_0016)
                .Msr(CapabilityMsr.VmxProcBasedCtls, 0xf7f9_fffe_0401_e172)
                .Msr(CapabilityMsr.VmxExitCtls, 0x007f_ffff_0003_6dff)
                .Msr(CapabilityMsr.VmxEntryCtls, 0x0000_ffff_0000_11ff)
                .Msr(CapabilityMsr.VmxMisc, 0x0000_0000_6004_01e0)
                .Msr(CapabilityMsr.VmxCr0Fixed0, 0x8000_0021)
                .Msr(CapabilityMsr.VmxCr0Fixed1, 0xffff_ffff)
                .Msr(CapabilityMsr.VmxCr4Fixed0, 0x0000_2000)
                .Msr(CapabilityMsr.VmxCr4Fixed1, 0x0037_27ff)
                .Msr(CapabilityMsr.VmxVmcsEnum, 0x2e)
                .Msr(CapabilityMsr.VmxProcBasedCtls2, 0x0217_7fff_0000_0000)
                .Msr(CapabilityMsr.VmxEptVpidCap, 0x0000_0f01_0633_4141)
                .Msr(CapabilityMsr.VmxTruePinBasedCtls, 0x0000_007f_0000_0016)
                .Msr(CapabilityMsr.VmxTrueProcBasedCtls, 0xf7f9_fffe_0400_6172)
                .Msr(CapabilityMsr.VmxTrueExitCtls, 0x007f_ffff_0003_6dfb)
                .Msr(CapabilityMsr.VmxTrueEntryCtls, 0x0000_ffff_0000_11fb)
                .Msr(CapabilityMsr.VmxVmFunc, 0x1);
        }

        /// <summary>
        /// A current Intel server, Sapphire Rapids-like (family 6 model 0x8F). Representative values,
        /// not a dump of one machine: firmware locked VMX on, TRUE controls, posted interrupts,
        /// tertiary controls, 5-level EPT, preemption-timer rate 5, 1 KiB VMCS.
        /// </summary>
        public static FakeCpu SapphireRapidsLike()
        {
            return new FakeCpu()
                .Vendor("GenuineIntel", 0x20)
                .Leaf(1, 0x0008_06F8, 0x0040_0800, 0x7FFE_FBFF, 0xBFEB_FBFF)
                .MaxExtended(0x8000_0008)
                .Leaf(0x8000_0001, 0, 0, 0x0000_0121, 0x2C10_0800)
                .Brand("Intel(R) Xeon(R) Platinum 8480+")
                .Msr(CapabilityMsr.FeatureControl, 0x5)
                .Msr(CapabilityMsr.VmxBasic, 0x01da_0400_0000_0004)
                .Msr(CapabilityMsr.VmxPinBasedCtls, 0x0000_00ff_0000_0016)
                .Msr(CapabilityMsr.VmxProcBasedCtls, 0xfffb_fffe_0401_e172)
                .Msr(CapabilityMsr.VmxExitCtls, 0x3fff_ffff_0003_6dff)
                .Msr(CapabilityMsr.VmxEntryCtls, 0x007f_ffff_0000_11ff)
                .Msr(CapabilityMsr.VmxMisc, 0x0000_0000_7004_c1e5)
                .Msr(CapabilityMsr.VmxCr0Fixed0, 0x8000_0021)
                .Msr(CapabilityMsr.VmxCr0Fixed1, 0xffff_ffff)
                .Msr(CapabilityMsr.VmxCr4Fixed0, 0x0000_2000)
                .Msr(CapabilityMsr.VmxCr4Fixed1, 0x03f7_7fff)
                .Msr(CapabilityMsr.VmxVmcsEnum, 0x34)
                .Msr(CapabilityMsr.VmxProcBasedCtls2, 0xd75f_ffff_0000_0000)
                .Msr(CapabilityMsr.VmxEptVpidCap, 0x0000_0f01_06f3_41c1)
                .Msr(CapabilityMsr.VmxTruePinBasedCtls, 0x0000_00ff_0000_0016)
                .Msr(CapabilityMsr.VmxTrueProcBasedCtls, 0xfffb_fffe_0400_6172)
                .Msr(CapabilityMsr.VmxTrueExitCtls, 0x3fff_ffff_0003_6dfb)
                .Msr(CapabilityMsr.VmxTrueEntryCtls, 0x007f_ffff_0000_11fb)
                .Msr(CapabilityMsr.VmxVmFunc, 0x1);
        }

        /// <summary>
        /// A Core 2 (Penryn, T9600)-like CPU: VMX with secondary controls but neither EPT nor VPID
        /// nor TRUE controls. Representative values; so EPT_VPID_CAP, VMFUNC and the TRUE_ MSRs are
        /// absent and must not be read.
        /// </summary>
        public static FakeCpu PenrynLike()
        {
            return new FakeCpu()
                .Vendor("GenuineIntel", 0xD)
                .Leaf(1, 0x0001_0676, 0x0002_0800, 0x0408_E3F9, 0xBFEB_FBFF)
                .MaxExtended(0x8000_0008)
                .Leaf(0x8000_0001, 0, 0, 0x0000_0001, 0x2010_0800)
                .Brand("Intel(R) Core(TM)2 Duo CPU     T9600  @ 2.80GHz")
                .Msr(CapabilityMsr.FeatureControl, 0x5)
                .Msr(CapabilityMsr.VmxBasic, 0x005a_0400_0000_000d)
                .Msr(CapabilityMsr.VmxPinBasedCtls, 0x0000_003f_0000_0016)
                .Msr(CapabilityMsr.VmxProcBasedCtls, 0xf7f9_fffe_0401_e172)
                .Msr(CapabilityMsr.VmxExitCtls, 0x0003_ffff_0003_6dff)
                .Msr(CapabilityMsr.VmxEntryCtls, 0x0000_3fff_0000_11ff)
                .Msr(CapabilityMsr.VmxMisc, 0x0000_0000_0004_01c0)
                .Msr(CapabilityMsr.VmxCr0Fixed0, 0x8000_0021)
                .Msr(CapabilityMsr.VmxCr0Fixed1, 0xffff_ffff)
                .Msr(CapabilityMsr.VmxCr4Fixed0, 0x0000_2000)
                .Msr(CapabilityMsr.VmxCr4Fixed1, 0x0000_67ff)
                .Msr(CapabilityMsr.VmxVmcsEnum, 0x2c)
                .Msr(CapabilityMsr.VmxProcBasedCtls2, 0x0000_0041_0000_0000);
        }
    }
}
