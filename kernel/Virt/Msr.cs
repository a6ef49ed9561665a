// MSR indices the guest MSR policy names (SDM Vol. 4 Table 2-2 "IA-32 Architectural MSRs";
// AMD APM Vol. 2 App. A). Anything not here is refused with #GP.
namespace Hv.Virt
{
    public enum Msr : uint
    {
        Tsc = 0x10,
        PlatformId = 0x17,
        ApicBase = 0x1B,
        FeatureControl = 0x3A,
        TscAdjust = 0x3B,
        SpecCtrl = 0x48,
        PredCmd = 0x49,
        /// <summary>IA32_BIOS_SIGN_ID (Intel microcode revision) / MSR_PATCH_LEVEL (AMD).</summary>
        BiosSignId = 0x8B,
        MtrrCap = 0xFE,
        SysenterCs = 0x174,
        SysenterEsp = 0x175,
        SysenterEip = 0x176,
        McgCap = 0x179,
        MiscEnable = 0x1A0,
        DebugCtl = 0x1D9,
        /// <summary>IA32_MTRR_PHYSBASE0; PHYSBASEn = 0x200 + 2n, PHYSMASKn = 0x201 + 2n.</summary>
        MtrrPhysBase0 = 0x200,
        MtrrPhysMask7 = 0x20F,
        MtrrFix64K00000 = 0x250,
        MtrrFix16K80000 = 0x258,
        MtrrFix16KA0000 = 0x259,
        MtrrFix4KC0000 = 0x268,
        MtrrFix4KF8000 = 0x26F,
        Pat = 0x277,
        MtrrDefType = 0x2FF,
        TscDeadline = 0x6E0,
        Xss = 0xDA0,
        Efer = 0xC000_0080,
        Star = 0xC000_0081,
        Lstar = 0xC000_0082,
        Cstar = 0xC000_0083,
        Sfmask = 0xC000_0084,
        FsBase = 0xC000_0100,
        GsBase = 0xC000_0101,
        KernelGsBase = 0xC000_0102,
        TscAux = 0xC000_0103,
    }

    /// <summary>Outcome of a guest RDMSR/WRMSR under the policy.</summary>
    public enum MsrResult : byte
    {
        /// <summary>Done: RDMSR's value is valid, WRMSR took effect; the instruction completes.</summary>
        Handled,
        /// <summary>Unknown MSR, reserved bits, non-canonical address, read-only MSR: inject #GP(0), RIP stays.</summary>
        InjectGp,
    }
}
