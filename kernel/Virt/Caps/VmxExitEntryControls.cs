using System;

namespace Hv.Virt.Caps
{
    /// <summary>
    /// Primary VM-exit controls: SDM Vol. 3C "VM-Exit Controls" (§24.7.1 / §25.7.1), Table
    /// "Definitions of Primary VM-Exit Controls". Bits 0-8, 10, 11, 13, 14, 16, 17 are default1.
    /// </summary>
    [Flags]
    public enum ExitControls : uint
    {
        SaveDebugControls = 1u << 2,
        HostAddressSpaceSize = 1u << 9,
        LoadIa32PerfGlobalCtrl = 1u << 12,
        AcknowledgeInterruptOnExit = 1u << 15,
        SaveIa32Pat = 1u << 18,
        LoadIa32Pat = 1u << 19,
        SaveIa32Efer = 1u << 20,
        LoadIa32Efer = 1u << 21,
        SaveVmxPreemptionTimerValue = 1u << 22,
        ClearIa32Bndcfgs = 1u << 23,
        ConcealVmxFromPt = 1u << 24,
        ClearIa32RtitCtl = 1u << 25,
        ClearIa32LbrCtl = 1u << 26,
        ClearUinv = 1u << 27,
        LoadCetState = 1u << 28,
        LoadPkrs = 1u << 29,
        SaveIa32PerfGlobalCtl = 1u << 30,
        ActivateSecondaryControls = 1u << 31,
    }

    /// <summary>
    /// VM-entry controls: SDM Vol. 3C "VM-Entry Controls" (§24.8.1 / §25.8.1), Table "Definitions of
    /// VM-Entry Controls". Bits 0-8 and 12 are default1.
    /// </summary>
    [Flags]
    public enum EntryControls : uint
    {
        LoadDebugControls = 1u << 2,
        Ia32eModeGuest = 1u << 9,
        EntryToSmm = 1u << 10,
        DeactivateDualMonitorTreatment = 1u << 11,
        LoadIa32PerfGlobalCtrl = 1u << 13,
        LoadIa32Pat = 1u << 14,
        LoadIa32Efer = 1u << 15,
        LoadIa32Bndcfgs = 1u << 16,
        ConcealVmxFromPt = 1u << 17,
        LoadIa32RtitCtl = 1u << 18,
        LoadUinv = 1u << 19,
        LoadCetState = 1u << 20,
        LoadGuestIa32LbrCtl = 1u << 21,
        LoadPkrs = 1u << 22,
    }
}
