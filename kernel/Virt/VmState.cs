namespace Hv.Virt
{
    public enum VmState : int
    {
        /// <summary>Being built: devices may register, vCPUs get their backend state.</summary>
        Created,
        Running,
        /// <summary>Final: a vCPU, a device or the host stopped it; StopReason says why.</summary>
        Stopped,
    }

    /// <summary>Why a VM stopped. The code (Vm.StopCode) is the reason's number: the debug-exit status, a raw exit reason.</summary>
    public enum VmStopReason : byte
    {
        None,
        /// <summary>The guest wrote its status to the debug-exit port.</summary>
        DebugExit,
        /// <summary>Triple fault (VMX exit reason 2) / shutdown (SVM exit code 0x7F).</summary>
        TripleFault,
        /// <summary>Every vCPU executed HLT with interrupts disabled: nothing can ever wake the VM.</summary>
        AllVcpusHalted,
        /// <summary>VM entry failed; StopDetail holds the backend's reason.</summary>
        EntryFailed,
        /// <summary>An exit this build does not handle (code: raw exit reason, detail: what).</summary>
        UnhandledExit,
        /// <summary>A hypervisor invariant broke for this VM only (e.g. EPT misconfiguration): it stops, the others run on.</summary>
        HypervisorError,
        /// <summary>The host stopped it (shutdown, operator).</summary>
        Host,
        /// <summary>The guest powered off through ACPI (PM1a_CNT SLP_EN with the \_S5 sleep type).</summary>
        PowerOff,
        /// <summary>The guest reset the machine (FADT reset register / port 0xCF9); a reset is not restarted yet.</summary>
        Reset,
    }

    public static class VmStopReasons
    {
        /// <summary>Short text for reports (no Enum.ToString in the kernel).</summary>
        public static string Text(VmStopReason reason)
        {
            switch (reason)
            {
                case VmStopReason.DebugExit: return "debug-exit";
                case VmStopReason.TripleFault: return "triple fault";
                case VmStopReason.AllVcpusHalted: return "all vCPUs halted";
                case VmStopReason.EntryFailed: return "VM entry failed";
                case VmStopReason.UnhandledExit: return "unhandled exit";
                case VmStopReason.HypervisorError: return "hypervisor error";
                case VmStopReason.Host: return "stopped by host";
                case VmStopReason.PowerOff: return "powered off";
                case VmStopReason.Reset: return "reset";
                default: return "not stopped";
            }
        }
    }
}
