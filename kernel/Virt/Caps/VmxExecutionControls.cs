using System;

namespace Hv.Virt.Caps
{
    // VM-execution control bits, named as in SDM Vol. 3C "VM-Execution Control Fields" (§24.6 in
    // older editions, §25.6 in newer ones). Unlisted bits are reserved: either default1 (see
    // AllowedControls and Appendix A.2) or must-be-zero.

    /// <summary>Pin-based VM-execution controls (Table "Definitions of Pin-Based VM-Execution Controls").</summary>
    [Flags]
    public enum PinBasedControls : uint
    {
        ExternalInterruptExiting = 1u << 0,
        NmiExiting = 1u << 3,
        VirtualNmis = 1u << 5,
        ActivateVmxPreemptionTimer = 1u << 6,
        ProcessPostedInterrupts = 1u << 7,
    }

    /// <summary>Primary processor-based VM-execution controls (Table "Definitions of Primary Processor-Based ...").</summary>
    [Flags]
    public enum PrimaryProcBasedControls : uint
    {
        InterruptWindowExiting = 1u << 2,
        UseTscOffsetting = 1u << 3,
        HltExiting = 1u << 7,
        InvlpgExiting = 1u << 9,
        MwaitExiting = 1u << 10,
        RdpmcExiting = 1u << 11,
        RdtscExiting = 1u << 12,
        Cr3LoadExiting = 1u << 15,
        Cr3StoreExiting = 1u << 16,
        ActivateTertiaryControls = 1u << 17,
        Cr8LoadExiting = 1u << 19,
        Cr8StoreExiting = 1u << 20,
        UseTprShadow = 1u << 21,
        NmiWindowExiting = 1u << 22,
        MovDrExiting = 1u << 23,
        UnconditionalIoExiting = 1u << 24,
        UseIoBitmaps = 1u << 25,
        MonitorTrapFlag = 1u << 27,
        UseMsrBitmaps = 1u << 28,
        MonitorExiting = 1u << 29,
        PauseExiting = 1u << 30,
        ActivateSecondaryControls = 1u << 31,
    }

    /// <summary>Secondary processor-based VM-execution controls (Table "Definitions of Secondary Processor-Based ...").</summary>
    [Flags]
    public enum SecondaryProcBasedControls : uint
    {
        VirtualizeApicAccesses = 1u << 0,
        EnableEpt = 1u << 1,
        DescriptorTableExiting = 1u << 2,
        EnableRdtscp = 1u << 3,
        VirtualizeX2ApicMode = 1u << 4,
        EnableVpid = 1u << 5,
        WbinvdExiting = 1u << 6,
        UnrestrictedGuest = 1u << 7,
        ApicRegisterVirtualization = 1u << 8,
        VirtualInterruptDelivery = 1u << 9,
        PauseLoopExiting = 1u << 10,
        RdrandExiting = 1u << 11,
        EnableInvpcid = 1u << 12,
        EnableVmFunctions = 1u << 13,
        VmcsShadowing = 1u << 14,
        EnableEnclsExiting = 1u << 15,
        RdseedExiting = 1u << 16,
        EnablePml = 1u << 17,
        EptViolationVe = 1u << 18,
        ConcealVmxFromPt = 1u << 19,
        EnableXsavesXrstors = 1u << 20,
        ModeBasedExecuteControlForEpt = 1u << 22,
        SubPageWritePermissionsForEpt = 1u << 23,
        IntelPtUsesGuestPhysicalAddresses = 1u << 24,
        UseTscScaling = 1u << 25,
        EnableUserWaitAndPause = 1u << 26,
        EnablePconfig = 1u << 27,
        EnableEnclvExiting = 1u << 28,
        VmmBusLockDetection = 1u << 30,
        InstructionTimeout = 1u << 31,
    }
}
