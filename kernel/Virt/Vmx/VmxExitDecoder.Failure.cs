namespace Hv.Virt.Vmx
{
    /// <summary>How VMLAUNCH/VMRESUME ended (kernel/Arch/Asm/vmx.asm returns this).</summary>
    public enum VmEntryResult : int
    {
        /// <summary>The guest ran and exited (or entry failed while loading guest state: exit reason bit 31).</summary>
        Exited = 0,
        /// <summary>VMfailInvalid (CF = 1): no valid current VMCS.</summary>
        FailInvalid = 1,
        /// <summary>VMfailValid (ZF = 1): the VM-instruction error field says why.</summary>
        FailValid = 2,
        /// <summary>Not entered: this is not the CPU the vCPU is bound to (its VMCS is active on that one).</summary>
        NotOnCpu = 3,
        /// <summary>Not entered: the vCPU's VMCS could not be made current (VMPTRLD failed).</summary>
        VmptrldFailed = 4,
    }

    // VM-entry failures (SDM Vol. 3C "VM Entries": "Checks on VMX Controls and Host-State Area" fail
    // as VMfailValid with error 7 or 8; "VM-Entry Failures During or After Loading Guest State" look
    // like a VM exit with bit 31 of the exit reason set). All become VmExitKind.Invalid with text:
    // a rare path, allowed to allocate.
    public sealed unsafe partial class VmxExitDecoder
    {
        private void EntryFailure(uint raw, ref VmExit exit)
        {
            ulong q = _v.Read(VmcsField.ExitQualification);
            exit.Kind = VmExitKind.Invalid;
            exit.Qualification = q;
            exit.EntryFailureReason = DescribeEntryFailure(raw, q);
        }

        public static string DescribeEntryFailure(uint raw, ulong qualification)
        {
            string text;
            switch (VmxExitReasonBits.Basic(raw))
            {
                case VmxExitReason.EntryFailureGuestState:
                    text = "invalid guest state";
                    switch ((EntryFailureQualification)qualification)
                    {
                        case EntryFailureQualification.PdpteLoading: text += " (loading PDPTEs)"; break;
                        case EntryFailureQualification.NmiInjectionBlocked: text += " (NMI injection while blocked by STI)"; break;
                        case EntryFailureQualification.InvalidVmcsLinkPointer: text += " (invalid VMCS link pointer)"; break;
                    }
                    break;
                case VmxExitReason.EntryFailureMsrLoading:
                    text = "MSR loading (entry " + qualification.ToString() + ")";
                    break;
                case VmxExitReason.EntryFailureMachineCheck:
                    text = "machine-check event";
                    break;
                default:
                    text = "basic reason " + ((uint)VmxExitReasonBits.Basic(raw)).ToString();
                    break;
            }
            return "VM entry failed: " + text + " (exit reason " + Caps.Hex.Format(raw, 8) + ")";
        }

        /// <summary>Fills <paramref name="exit"/> for a VMLAUNCH/VMRESUME that failed as an instruction.</summary>
        public static void EntryInstructionFailed(VmEntryResult result, bool launch, uint instructionError, ulong guestRip, ref VmExit exit)
        {
            exit = default;
            exit.Kind = VmExitKind.Invalid;
            exit.GuestRip = guestRip;
            exit.RawReason = instructionError;
            string op = launch ? "VMLAUNCH" : "VMRESUME";
            exit.EntryFailureReason = result == VmEntryResult.FailInvalid
                ? op + " failed: VMfailInvalid (no current VMCS)"
                : op + " failed: VM-instruction error " + instructionError.ToString() + ": " + VmInstructionErrors.Describe(instructionError);
        }
    }
}
