using System;

namespace Hv.Virt.Caps
{
    /// <summary>
    /// MSRs read while probing capabilities. Intel: SDM Vol. 4 Table 2-2 (architectural MSRs) and
    /// SDM Vol. 3D Appendix A (VMX capability reporting facility). AMD: APM Vol. 2 §15.30.
    /// </summary>
    public enum CapabilityMsr : uint
    {
        /// <summary>IA32_FEATURE_CONTROL; exists when CPUID.01H:ECX.VMX or .SMX is 1.</summary>
        FeatureControl = 0x03A,
        /// <summary>IA32_VMX_BASIC, App. A.1. It and 0x481-0x48A exist when CPUID.01H:ECX.VMX is 1.</summary>
        VmxBasic = 0x480,
        VmxPinBasedCtls = 0x481,
        VmxProcBasedCtls = 0x482,
        VmxExitCtls = 0x483,
        VmxEntryCtls = 0x484,
        VmxMisc = 0x485,
        VmxCr0Fixed0 = 0x486,
        VmxCr0Fixed1 = 0x487,
        VmxCr4Fixed0 = 0x488,
        VmxCr4Fixed1 = 0x489,
        VmxVmcsEnum = 0x48A,
        /// <summary>App. A.3.3: exists only if IA32_VMX_PROCBASED_CTLS bit 63 ("activate secondary controls" allowed-1).</summary>
        VmxProcBasedCtls2 = 0x48B,
        /// <summary>App. A.10: exists only if secondary controls exist and allow "enable EPT" or "enable VPID".</summary>
        VmxEptVpidCap = 0x48C,
        /// <summary>App. A.3.1, A.3.2, A.4, A.5: the TRUE_ MSRs exist only if IA32_VMX_BASIC bit 55 is 1.</summary>
        VmxTruePinBasedCtls = 0x48D,
        VmxTrueProcBasedCtls = 0x48E,
        VmxTrueExitCtls = 0x48F,
        VmxTrueEntryCtls = 0x490,
        /// <summary>App. A.11: exists only if secondary controls exist and allow "enable VM functions".</summary>
        VmxVmFunc = 0x491,
        /// <summary>AMD VM_CR (APM Vol. 2 §15.30.1); part of SVM, exists when CPUID 8000_0001h:ECX.SVM is 1.</summary>
        VmCr = 0xC001_0114,
    }

    /// <summary>
    /// IA32_FEATURE_CONTROL bits (SDM Vol. 3C "Enabling and Entering VMX Operation"). VMXON #GPs
    /// unless the lock bit is set and VMX is enabled outside SMX; once locked, only reset clears it.
    /// </summary>
    [Flags]
    public enum FeatureControlBits : ulong
    {
        Lock = 1ul << 0,
        VmxInsideSmx = 1ul << 1,
        VmxOutsideSmx = 1ul << 2,
    }

    /// <summary>How firmware left IA32_FEATURE_CONTROL, as far as VMX outside SMX is concerned.</summary>
    public enum FeatureControlState
    {
        /// <summary>The MSR could not be read.</summary>
        Unreadable,
        /// <summary>Not locked: the hypervisor may set VmxOutsideSmx | Lock itself before VMXON.</summary>
        Unlocked,
        /// <summary>Locked with VMX outside SMX enabled: VMXON is allowed.</summary>
        LockedEnabled,
        /// <summary>Locked with VMX outside SMX disabled: VMX is off until the next reset.</summary>
        LockedDisabled,
    }

    /// <summary>VM_CR bits (APM Vol. 2 §15.30.1 "VM_CR MSR (C001_0114h)").</summary>
    [Flags]
    public enum VmCrBits : ulong
    {
        /// <summary>Disables the external hardware debug port.</summary>
        Dpd = 1ul << 0,
        /// <summary>INIT is translated into a non-maskable SX interrupt.</summary>
        RInit = 1ul << 1,
        DisA20M = 1ul << 2,
        /// <summary>When set, writes to Lock and SvmDis are ignored (firmware locked the choice).</summary>
        Lock = 1ul << 3,
        /// <summary>When set, EFER.SVME is must-be-zero: SVM is disabled (APM Vol. 2 §15.4).</summary>
        SvmDis = 1ul << 4,
    }
}
