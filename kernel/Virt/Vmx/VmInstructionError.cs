namespace Hv.Virt.Vmx
{
    /// <summary>
    /// VM-instruction error numbers, read from the VM-instruction error field after VMfailValid:
    /// SDM Vol. 3C "VM Instruction Error Numbers" (§31.4; §30.4 in editions before 2022).
    /// </summary>
    public enum VmInstructionError : uint
    {
        VmcallInRoot = 1,
        VmclearInvalidAddress = 2,
        VmclearVmxonPointer = 3,
        VmlaunchNonClearVmcs = 4,
        VmresumeNonLaunchedVmcs = 5,
        VmresumeAfterVmxoff = 6,
        EntryInvalidControlFields = 7,
        EntryInvalidHostStateFields = 8,
        VmptrldInvalidAddress = 9,
        VmptrldVmxonPointer = 10,
        VmptrldWrongRevision = 11,
        UnsupportedVmcsComponent = 12,
        VmwriteReadOnlyComponent = 13,
        VmxonInRoot = 15,
        EntryInvalidExecutiveVmcsPointer = 16,
        EntryNonLaunchedExecutiveVmcs = 17,
        EntryExecutiveVmcsNotVmxonPointer = 18,
        VmcallNonClearVmcs = 19,
        VmcallInvalidExitControls = 20,
        VmcallWrongMsegRevision = 22,
        VmxoffUnderDualMonitor = 23,
        VmcallInvalidSmmMonitorFeatures = 24,
        EntryInvalidExecutiveVmcsControls = 25,
        EntryEventsBlockedByMovSs = 26,
        InvalidInveptInvvpidOperand = 28,
    }

    public static class VmInstructionErrors
    {
        /// <summary>The SDM's wording for an error number (rare path: diagnostics only).</summary>
        public static string Describe(uint error)
        {
            switch ((VmInstructionError)error)
            {
                case VmInstructionError.VmcallInRoot: return "VMCALL executed in VMX root operation";
                case VmInstructionError.VmclearInvalidAddress: return "VMCLEAR with invalid physical address";
                case VmInstructionError.VmclearVmxonPointer: return "VMCLEAR with VMXON pointer";
                case VmInstructionError.VmlaunchNonClearVmcs: return "VMLAUNCH with non-clear VMCS";
                case VmInstructionError.VmresumeNonLaunchedVmcs: return "VMRESUME with non-launched VMCS";
                case VmInstructionError.VmresumeAfterVmxoff: return "VMRESUME after VMXOFF";
                case VmInstructionError.EntryInvalidControlFields: return "VM entry with invalid control field(s)";
                case VmInstructionError.EntryInvalidHostStateFields: return "VM entry with invalid host-state field(s)";
                case VmInstructionError.VmptrldInvalidAddress: return "VMPTRLD with invalid physical address";
                case VmInstructionError.VmptrldVmxonPointer: return "VMPTRLD with VMXON pointer";
                case VmInstructionError.VmptrldWrongRevision: return "VMPTRLD with incorrect VMCS revision identifier";
                case VmInstructionError.UnsupportedVmcsComponent: return "VMREAD/VMWRITE from/to unsupported VMCS component";
                case VmInstructionError.VmwriteReadOnlyComponent: return "VMWRITE to read-only VMCS component";
                case VmInstructionError.VmxonInRoot: return "VMXON executed in VMX root operation";
                case VmInstructionError.EntryInvalidExecutiveVmcsPointer: return "VM entry with invalid executive-VMCS pointer";
                case VmInstructionError.EntryNonLaunchedExecutiveVmcs: return "VM entry with non-launched executive VMCS";
                case VmInstructionError.EntryExecutiveVmcsNotVmxonPointer: return "VM entry with executive-VMCS pointer not VMXON pointer";
                case VmInstructionError.VmcallNonClearVmcs: return "VMCALL with non-clear VMCS";
                case VmInstructionError.VmcallInvalidExitControls: return "VMCALL with invalid VM-exit control fields";
                case VmInstructionError.VmcallWrongMsegRevision: return "VMCALL with incorrect MSEG revision identifier";
                case VmInstructionError.VmxoffUnderDualMonitor: return "VMXOFF under dual-monitor treatment of SMIs and SMM";
                case VmInstructionError.VmcallInvalidSmmMonitorFeatures: return "VMCALL with invalid SMM-monitor features";
                case VmInstructionError.EntryInvalidExecutiveVmcsControls: return "VM entry with invalid VM-execution control fields in executive VMCS";
                case VmInstructionError.EntryEventsBlockedByMovSs: return "VM entry with events blocked by MOV SS";
                case VmInstructionError.InvalidInveptInvvpidOperand: return "invalid operand to INVEPT/INVVPID";
                default: return "unknown VM-instruction error";
            }
        }
    }
}
