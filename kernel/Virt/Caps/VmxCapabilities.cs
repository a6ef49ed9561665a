namespace Hv.Virt.Caps
{
    /// <summary>
    /// The VMX capability MSRs (SDM Vol. 3D Appendix A) plus IA32_FEATURE_CONTROL, read in an order
    /// that only touches MSRs the SDM says exist given what was read before. Decoded feature
    /// booleans live in VmxCapabilities.Features.cs.
    /// </summary>
    public sealed partial class VmxCapabilities
    {
        public ulong FeatureControlRaw { get; private set; }
        public FeatureControlState FeatureControl { get; private set; }
        /// <summary>False when IA32_VMX_BASIC could not be read; every other field is then zero.</summary>
        public bool BasicReadable { get; private set; }
        public VmxBasic Basic { get; private set; }
        /// <summary>Effective allowed settings: from the TRUE_ MSRs when Basic.TrueControls, else the originals.</summary>
        public AllowedControls PinBased { get; private set; }
        public AllowedControls ProcBased { get; private set; }
        /// <summary>All-zero (nothing may be 1) when the CPU has no secondary controls.</summary>
        public AllowedControls ProcBased2 { get; private set; }
        public AllowedControls Exit { get; private set; }
        public AllowedControls Entry { get; private set; }
        public VmxMisc Misc { get; private set; }
        /// <summary>CR0/CR4 bits fixed to 1 (FIXED0 = 1) and allowed to be 1 (FIXED1 = 1) in VMX operation (A.7, A.8).</summary>
        public ulong Cr0Fixed0 { get; private set; }
        public ulong Cr0Fixed1 { get; private set; }
        public ulong Cr4Fixed0 { get; private set; }
        public ulong Cr4Fixed1 { get; private set; }
        /// <summary>IA32_VMX_VMCS_ENUM bits 9:1: highest index value used in any VMCS field encoding (A.9).</summary>
        public uint VmcsEnumHighestIndex { get; private set; }
        /// <summary>Zero unless the secondary controls allow EPT or VPID.</summary>
        public EptVpidCapabilities EptVpid { get; private set; }
        /// <summary>Zero unless the secondary controls allow "enable VM functions".</summary>
        public VmFunctionControls VmFunctions { get; private set; }

        private VmxCapabilities() { }

        /// <summary>Reads the VMX capabilities, or returns null when CPUID.01H:ECX.VMX is 0.</summary>
        public static VmxCapabilities Read(ICpuInfoSource cpu, CpuIdentity id)
        {
            if (!id.HasVmx)
                return null;
            var caps = new VmxCapabilities();
            if (!id.HasMsr)
            {
                // RDMSR itself exists only when CPUID.01H:EDX.MSR is 1 (SDM Vol. 2B "RDMSR").
                caps.FeatureControl = FeatureControlState.Unreadable;
                return caps;
            }

            // IA32_FEATURE_CONTROL exists when CPUID.01H:ECX.VMX or .SMX is 1 (SDM Vol. 4 Table 2-2).
            if (cpu.TryReadMsr((uint)CapabilityMsr.FeatureControl, out ulong fc))
            {
                caps.FeatureControlRaw = fc;
                caps.FeatureControl = DecodeFeatureControl(fc);
            }
            else
            {
                caps.FeatureControl = FeatureControlState.Unreadable;
            }

            // 0x480-0x48A exist whenever CPUID.01H:ECX.VMX is 1 (App. A intro).
            if (!cpu.TryReadMsr((uint)CapabilityMsr.VmxBasic, out ulong basic))
                return caps;
            caps.BasicReadable = true;
            caps.Basic = new VmxBasic(basic);

            bool useTrue = caps.Basic.TrueControls; // A.2: TRUE_ MSRs exist iff bit 55.
            caps.PinBased = ReadControls(cpu, useTrue ? CapabilityMsr.VmxTruePinBasedCtls : CapabilityMsr.VmxPinBasedCtls);
            caps.ProcBased = ReadControls(cpu, useTrue ? CapabilityMsr.VmxTrueProcBasedCtls : CapabilityMsr.VmxProcBasedCtls);
            caps.Exit = ReadControls(cpu, useTrue ? CapabilityMsr.VmxTrueExitCtls : CapabilityMsr.VmxExitCtls);
            caps.Entry = ReadControls(cpu, useTrue ? CapabilityMsr.VmxTrueEntryCtls : CapabilityMsr.VmxEntryCtls);
            caps.Misc = new VmxMisc(ReadOrZero(cpu, CapabilityMsr.VmxMisc));
            caps.Cr0Fixed0 = ReadOrZero(cpu, CapabilityMsr.VmxCr0Fixed0);
            caps.Cr0Fixed1 = ReadOrZero(cpu, CapabilityMsr.VmxCr0Fixed1);
            caps.Cr4Fixed0 = ReadOrZero(cpu, CapabilityMsr.VmxCr4Fixed0);
            caps.Cr4Fixed1 = ReadOrZero(cpu, CapabilityMsr.VmxCr4Fixed1);
            caps.VmcsEnumHighestIndex = (uint)((ReadOrZero(cpu, CapabilityMsr.VmxVmcsEnum) >> 1) & 0x1FF);

            // A.3.3: IA32_VMX_PROCBASED_CTLS2 exists only if "activate secondary controls" may be 1.
            if (!caps.ProcBased.CanSet(PrimaryProcBasedControls.ActivateSecondaryControls))
                return caps;
            caps.ProcBased2 = ReadControls(cpu, CapabilityMsr.VmxProcBasedCtls2);

            // A.10: IA32_VMX_EPT_VPID_CAP exists only if "enable EPT" or "enable VPID" may be 1.
            if (caps.ProcBased2.CanSet(SecondaryProcBasedControls.EnableEpt)
                || caps.ProcBased2.CanSet(SecondaryProcBasedControls.EnableVpid))
                caps.EptVpid = (EptVpidCapabilities)ReadOrZero(cpu, CapabilityMsr.VmxEptVpidCap);

            // A.11: IA32_VMX_VMFUNC exists only if "enable VM functions" may be 1.
            if (caps.ProcBased2.CanSet(SecondaryProcBasedControls.EnableVmFunctions))
                caps.VmFunctions = (VmFunctionControls)ReadOrZero(cpu, CapabilityMsr.VmxVmFunc);
            return caps;
        }

        public static FeatureControlState DecodeFeatureControl(ulong raw)
        {
            var bits = (FeatureControlBits)raw;
            if ((bits & FeatureControlBits.Lock) == 0)
                return FeatureControlState.Unlocked;
            return (bits & FeatureControlBits.VmxOutsideSmx) != 0
                ? FeatureControlState.LockedEnabled
                : FeatureControlState.LockedDisabled;
        }

        private static AllowedControls ReadControls(ICpuInfoSource cpu, CapabilityMsr msr)
            => AllowedControls.FromMsr(ReadOrZero(cpu, msr));

        private static ulong ReadOrZero(ICpuInfoSource cpu, CapabilityMsr msr)
            => cpu.TryReadMsr((uint)msr, out ulong value) ? value : 0;
    }
}
