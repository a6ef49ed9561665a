using System;

namespace Hv.Virt.Caps
{
    /// <summary>IA32_VMX_BASIC (0x480) fields: SDM Vol. 3D Appendix A.1 "Basic VMX Information".</summary>
    public readonly struct VmxBasic
    {
        public readonly ulong Raw;

        public VmxBasic(ulong raw) { Raw = raw; }

        /// <summary>Bits 30:0: VMCS revision identifier, written to the first dword of VMXON region and VMCS.</summary>
        public uint RevisionId => (uint)(Raw & 0x7FFF_FFFF);
        /// <summary>Bits 44:32: bytes to allocate for the VMXON region and each VMCS (at most 4096).</summary>
        public uint VmcsSize => (uint)((Raw >> 32) & 0x1FFF);
        /// <summary>Bit 48: VMXON/VMCS/bitmap addresses are limited to 32 bits (always 0 on Intel 64 CPUs).</summary>
        public bool PhysicalAddressesLimitedTo32Bits => (Raw & (1ul << 48)) != 0;
        /// <summary>Bit 49: dual-monitor treatment of SMIs and SMM.</summary>
        public bool DualMonitorSmm => (Raw & (1ul << 49)) != 0;
        /// <summary>Bits 53:50: memory type for VMCS-related structures (0 = UC, 6 = WB).</summary>
        public uint MemoryType => (uint)((Raw >> 50) & 0xF);
        /// <summary>Bit 54: VM exits due to INS/OUTS report instruction information.</summary>
        public bool InsOutsInfo => (Raw & (1ul << 54)) != 0;
        /// <summary>Bit 55: default1 controls may be 0; the IA32_VMX_TRUE_*_CTLS MSRs exist (A.2).</summary>
        public bool TrueControls => (Raw & (1ul << 55)) != 0;
        /// <summary>Bit 56: VM entry may deliver hardware exceptions with or without error code, any vector.</summary>
        public bool NoHardwareExceptionErrorCodeCheck => (Raw & (1ul << 56)) != 0;

        public const uint MemoryTypeUncacheable = 0;
        public const uint MemoryTypeWriteBack = 6;
    }

    /// <summary>IA32_VMX_MISC (0x485) fields: SDM Vol. 3D Appendix A.6 "Miscellaneous Data".</summary>
    public readonly struct VmxMisc
    {
        public readonly ulong Raw;

        public VmxMisc(ulong raw) { Raw = raw; }

        /// <summary>Bits 4:0: the preemption timer counts down by 1 each time TSC bit [rate] changes.</summary>
        public uint PreemptionTimerRate => (uint)(Raw & 0x1F);
        /// <summary>Bit 5: VM exits store EFER.LMA into the "IA-32e mode guest" entry control.</summary>
        public bool StoresLmaOnExit => (Raw & (1ul << 5)) != 0;
        /// <summary>Bit 6: activity state HLT supported.</summary>
        public bool ActivityHlt => (Raw & (1ul << 6)) != 0;
        /// <summary>Bit 7: activity state shutdown supported.</summary>
        public bool ActivityShutdown => (Raw & (1ul << 7)) != 0;
        /// <summary>Bit 8: activity state wait-for-SIPI supported.</summary>
        public bool ActivityWaitForSipi => (Raw & (1ul << 8)) != 0;
        /// <summary>Bit 14: Intel PT may be used in VMX operation.</summary>
        public bool IntelPtInVmx => (Raw & (1ul << 14)) != 0;
        /// <summary>Bits 24:16: number of CR3-target values supported.</summary>
        public uint Cr3TargetCount => (uint)((Raw >> 16) & 0x1FF);
        /// <summary>Bits 27:25 = N: recommended maximum MSRs per MSR load/store list is 512 * (N + 1).</summary>
        public uint MaxMsrListEntries => 512 * ((uint)((Raw >> 25) & 0x7) + 1);
        /// <summary>Bit 29: VMWRITE may write any VMCS field, including VM-exit information fields.</summary>
        public bool VmwriteAnyField => (Raw & (1ul << 29)) != 0;
        /// <summary>Bit 30: VM entry may inject software interrupts/exceptions with instruction length 0.</summary>
        public bool ZeroLengthInjection => (Raw & (1ul << 30)) != 0;
        /// <summary>Bits 63:32: MSEG revision identifier.</summary>
        public uint MsegRevision => (uint)(Raw >> 32);
    }

    /// <summary>IA32_VMX_EPT_VPID_CAP (0x48C) bits: SDM Vol. 3D Appendix A.10.</summary>
    [Flags]
    public enum EptVpidCapabilities : ulong
    {
        ExecuteOnlyTranslations = 1ul << 0,
        PageWalkLength4 = 1ul << 6,
        PageWalkLength5 = 1ul << 7,
        /// <summary>EPT paging structures may be uncacheable (EPTP memory type 0).</summary>
        MemoryTypeUncacheable = 1ul << 8,
        /// <summary>EPT paging structures may be write-back (EPTP memory type 6).</summary>
        MemoryTypeWriteBack = 1ul << 14,
        /// <summary>EPT PDEs may map 2-MByte pages.</summary>
        Pages2Mb = 1ul << 16,
        /// <summary>EPT PDPTEs may map 1-GByte pages.</summary>
        Pages1Gb = 1ul << 17,
        Invept = 1ul << 20,
        /// <summary>Accessed and dirty flags for EPT.</summary>
        AccessedDirtyFlags = 1ul << 21,
        AdvancedExitInfoForEptViolations = 1ul << 22,
        SupervisorShadowStackControl = 1ul << 23,
        InveptSingleContext = 1ul << 25,
        InveptAllContext = 1ul << 26,
        Invvpid = 1ul << 32,
        InvvpidIndividualAddress = 1ul << 40,
        InvvpidSingleContext = 1ul << 41,
        InvvpidAllContext = 1ul << 42,
        InvvpidSingleContextRetainingGlobals = 1ul << 43,
    }

    /// <summary>VM-function controls as reported by IA32_VMX_VMFUNC (0x491): SDM Vol. 3D Appendix A.11.</summary>
    [Flags]
    public enum VmFunctionControls : ulong
    {
        EptpSwitching = 1ul << 0,
    }
}
