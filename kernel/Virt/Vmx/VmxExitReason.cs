namespace Hv.Virt.Vmx
{
    /// <summary>
    /// Basic VM-exit reasons (bits 15:0 of the exit-reason field): SDM Vol. 3D Appendix C
    /// "VMX Basic Exit Reasons", Table C-1. Bit 31 of the field marks a VM-entry failure
    /// (<see cref="VmxExitReasonBits"/>).
    /// </summary>
    public enum VmxExitReason : ushort
    {
        ExceptionOrNmi = 0,
        ExternalInterrupt = 1,
        TripleFault = 2,
        InitSignal = 3,
        StartupIpi = 4,
        IoSmi = 5,
        OtherSmi = 6,
        InterruptWindow = 7,
        NmiWindow = 8,
        TaskSwitch = 9,
        Cpuid = 10,
        Getsec = 11,
        Hlt = 12,
        Invd = 13,
        Invlpg = 14,
        Rdpmc = 15,
        Rdtsc = 16,
        Rsm = 17,
        Vmcall = 18,
        Vmclear = 19,
        Vmlaunch = 20,
        Vmptrld = 21,
        Vmptrst = 22,
        Vmread = 23,
        Vmresume = 24,
        Vmwrite = 25,
        Vmxoff = 26,
        Vmxon = 27,
        CrAccess = 28,
        MovDr = 29,
        IoInstruction = 30,
        Rdmsr = 31,
        Wrmsr = 32,
        EntryFailureGuestState = 33,
        EntryFailureMsrLoading = 34,
        Mwait = 36,
        MonitorTrapFlag = 37,
        Monitor = 39,
        Pause = 40,
        EntryFailureMachineCheck = 41,
        TprBelowThreshold = 43,
        ApicAccess = 44,
        VirtualizedEoi = 45,
        GdtrIdtrAccess = 46,
        LdtrTrAccess = 47,
        EptViolation = 48,
        EptMisconfiguration = 49,
        Invept = 50,
        Rdtscp = 51,
        PreemptionTimerExpired = 52,
        Invvpid = 53,
        Wbinvd = 54,
        Xsetbv = 55,
        ApicWrite = 56,
        Rdrand = 57,
        Invpcid = 58,
        Vmfunc = 59,
        Encls = 60,
        Rdseed = 61,
        PageModificationLogFull = 62,
        Xsaves = 63,
        Xrstors = 64,
        Pconfig = 65,
        SppRelatedEvent = 66,
        Umwait = 67,
        Tpause = 68,
        Loadiwkey = 69,
        Enclv = 70,
        EnqcmdPasidTranslationFailure = 72,
        EnqcmdsPasidTranslationFailure = 73,
        BusLock = 74,
        InstructionTimeout = 75,
        Seamcall = 76,
        Tdcall = 77,
    }

    /// <summary>The exit-reason field beyond the basic reason: SDM Vol. 3C "Basic VM-Exit Information", Table "Format of Exit Reason".</summary>
    public static class VmxExitReasonBits
    {
        public const uint BasicReasonMask = 0xFFFF;
        /// <summary>Bit 27: the VM exit happened while the logical processor was in enclave mode.</summary>
        public const uint EnclaveMode = 1u << 27;
        /// <summary>Bit 29: VM exit from VMX root operation (SMM dual-monitor only).</summary>
        public const uint FromVmxRoot = 1u << 29;
        /// <summary>Bit 31: VM-entry failure (the basic reason is 33, 34 or 41).</summary>
        public const uint EntryFailure = 1u << 31;

        public static VmxExitReason Basic(uint raw) => (VmxExitReason)(raw & BasicReasonMask);
        public static bool IsEntryFailure(uint raw) => (raw & EntryFailure) != 0;
    }
}
