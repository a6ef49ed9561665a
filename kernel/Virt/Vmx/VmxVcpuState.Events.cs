using Hv.Virt.Caps;

namespace Hv.Virt.Vmx
{
    // Event injection and the interrupt window (SDM Vol. 3C "Event Injection" in "VM Entries",
    // "Interrupt-window exiting" in "VMX Non-Root Operation").
    public sealed unsafe partial class VmxVcpuState
    {
        public bool Inject(EventType type, byte vector, bool hasErrorCode, uint errorCode)
        {
            if (_injectionPending) return false;
            var t = (InterruptionType)(byte)type;
            // The deliver-error-code bit must be 1 exactly for the exceptions that push one in
            // protected mode, and 0 in real mode (SDM "Checks on VM-Entry Control Fields").
            bool deliver = t == InterruptionType.HardwareException && ProtectedMode && ExceptionVector.HasErrorCode(vector);
            WriteEntryEvent(InterruptionInfo.Make(t, vector, deliver), errorCode, t == InterruptionType.SoftwareInterrupt ? LastInstructionLength : (byte)0);
            return true;
        }

        public bool CanInjectInterrupt()
        {
            if (_injectionPending) return false;
            if ((_v.Read(VmcsField.GuestRflags) & (ulong)Rflags.IF) == 0) return false;
            if ((GuestInterruptibility & (uint)ShadowBlocking) != 0) return false;
            return _v.Read32(VmcsField.GuestActivityState) != (uint)ActivityState.WaitForSipi;
        }

        public void RequestInterruptWindow(bool enable)
        {
            PrimaryProcBasedControls want = enable
                ? _primary | PrimaryProcBasedControls.InterruptWindowExiting
                : _primary & ~PrimaryProcBasedControls.InterruptWindowExiting;
            if (want == _primary) return;
            _primary = want;
            _v.Write(VmcsField.PrimaryProcBasedControls, (uint)want);
        }

        public bool InterruptWindowRequested => (_primary & PrimaryProcBasedControls.InterruptWindowExiting) != 0;

        /// <summary>
        /// After every exit, when the world switch has saved RIP and interruptibility (see Rip). The CPU
        /// cleared the entry event's valid bit (SDM "VM Exits": "the valid bit in the VM-entry
        /// interruption-information field is cleared"). <paramref name="duringEventDelivery"/>: the exit
        /// may have interrupted an event's delivery, so the IDT-vectoring field is read; an event whose
        /// delivery the exit interrupted (IDT-vectoring information valid) is queued again, as SDM Vol. 3C
        /// "Reflecting Exceptions to Guest Software" / "Handling of IDT-vectoring information" asks.
        /// </summary>
        public void OnExit(byte instructionLength, bool duringEventDelivery = true)
        {
            _injectionPending = false;
            LastInstructionLength = instructionLength;
            _exitStateKnown = true;
            if (duringEventDelivery) RequeueInterruptedEvent();
        }

        private void RequeueInterruptedEvent()
        {
            var idt = new InterruptionInfo(_v.Read32(VmcsField.IdtVectoringInfo));
            if (!idt.Valid) return;
            uint error = idt.HasErrorCode ? _v.Read32(VmcsField.IdtVectoringErrorCode) : 0;
            byte length = 0;
            if (idt.Type == InterruptionType.SoftwareInterrupt || idt.Type == InterruptionType.SoftwareException
                || idt.Type == InterruptionType.PrivilegedSoftwareException)
                length = (byte)_v.Read32(VmcsField.ExitInstructionLength);
            // Bits 30:12 of the IDT-vectoring field are undefined/reserved; the entry field wants 0 there.
            WriteEntryEvent(new InterruptionInfo(idt.Raw & ~0x7FFF_F000u), error, length);
        }

        /// <summary>Sets virtual-NMI blocking again after an exit that interrupted an IRET (exit qualification / interruption-info bit 12).</summary>
        public void RestoreNmiBlocking()
        {
            if (!_set.VirtualNmis) return;
            WriteInterruptibility(GuestInterruptibility | (uint)Interruptibility.BlockingByNmi);
        }

        private void WriteEntryEvent(InterruptionInfo info, uint errorCode, byte instructionLength)
        {
            _v.Write(VmcsField.EntryInterruptionInfo, info.Raw);
            if (info.HasErrorCode) _v.Write(VmcsField.EntryExceptionErrorCode, errorCode);
            if (instructionLength != 0) _v.Write(VmcsField.EntryInstructionLength, instructionLength);
            _injectionPending = true;
        }
    }
}
