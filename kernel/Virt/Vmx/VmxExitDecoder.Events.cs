namespace Hv.Virt.Vmx
{
    // Exits caused by events: exceptions, NMIs, external interrupts (SDM Vol. 3C "Information for
    // VM Exits Due to Vectored Events").
    public sealed unsafe partial class VmxExitDecoder
    {
        private void ExceptionOrNmi(ref VmExit exit)
        {
            var info = new InterruptionInfo(_v.Read32(VmcsField.ExitInterruptionInfo));
            if (info.NmiUnblockingDueToIret && info.Vector != ExceptionVector.DoubleFault)
                _s.RestoreNmiBlocking();
            if (info.Type == InterruptionType.Nmi)
            {
                // A host NMI: the backend hands it to the host's NMI handler (kernel/Arch/Vmx).
                exit.Kind = VmExitKind.Nmi;
                exit.Vector = 2;
                return;
            }
            exit.Kind = VmExitKind.Exception;
            exit.Vector = info.Vector;
            exit.HasErrorCode = info.HasErrorCode;
            if (info.HasErrorCode) exit.ErrorCode = _v.Read32(VmcsField.ExitInterruptionErrorCode);
            // #PF: the faulting linear address; #DB: the DR6-like bits (SDM "Exit Qualification for ... Debug Exceptions").
            exit.Qualification = _v.Read(VmcsField.ExitQualification);
            if (info.Type == InterruptionType.SoftwareException || info.Type == InterruptionType.PrivilegedSoftwareException)
            {
                exit.InstructionLength = (byte)_v.Read32(VmcsField.ExitInstructionLength);
                _s.LastInstructionLength = exit.InstructionLength;
            }
        }

        private void ExternalInterrupt(ref VmExit exit)
        {
            exit.Kind = VmExitKind.ExternalInterrupt;
            // Only with "acknowledge interrupt on exit" (not used: the interrupt stays pending in the LAPIC).
            var info = new InterruptionInfo(_v.Read32(VmcsField.ExitInterruptionInfo));
            if (info.Valid) exit.Vector = info.Vector;
        }
    }
}
