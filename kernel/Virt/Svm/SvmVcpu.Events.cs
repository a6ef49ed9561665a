// Event injection (EVENTINJ, AMD APM Vol. 2 §15.20), the interrupt window (V_IRQ + the VINTR
// intercept, §15.21.4/§15.21.6), re-injection of an event an exit interrupted (EXITINTINFO,
// §15.7.2), and the INIT / SIPI states of an application processor.
namespace Hv.Virt.Svm
{
    public sealed unsafe partial class SvmVcpu
    {
        public void AdvanceRip(int length)
        {
            VmcbStateSaveArea* s = &_vmcb->Save;
            ulong rip = s->Rip + (ulong)length;
            s->Rip = In64BitCode ? rip : rip & 0xFFFF_FFFF;
            _vmcb->Control.InterruptState &= ~SvmInterruptState.Shadow;
        }

        /// <summary>
        /// Queues the event for the next VMRUN. False when one is already queued, or when VMRUN
        /// would refuse it (§15.20: reserved type, an exception vector that is not an exception),
        /// or when an error code comes with something other than an exception.
        /// </summary>
        public bool Inject(EventType type, byte vector, bool hasErrorCode, uint errorCode)
        {
            VmcbControlArea* c = &_vmcb->Control;
            if (new SvmEvent(c->EventInjection).Valid) return false;
            if (hasErrorCode && type != EventType.HardwareException) return false;
            SvmEvent e = SvmEvent.Make(type, vector, hasErrorCode, errorCode);
            if (!e.IsInjectable) return false;
            c->EventInjection = e.Raw;
            _checkBeforeEntry = true;
            return true;
        }

        /// <summary>RFLAGS.IF set, no interrupt shadow, nothing queued in EVENTINJ.</summary>
        public bool CanInjectInterrupt()
        {
            VmcbControlArea* c = &_vmcb->Control;
            return (_vmcb->Save.Rflags & (ulong)GuestRflags.IF) != 0
                && (c->InterruptState & SvmInterruptState.Shadow) == 0
                && !new SvmEvent(c->EventInjection).Valid;
        }

        /// <summary>
        /// A virtual interrupt (V_IRQ, priority 15, ignoring V_TPR) with the VINTR intercept: the
        /// CPU exits (VINTR) as soon as the guest could take it, before it does. Stays on until
        /// disabled, like VMX's interrupt-window exiting.
        /// </summary>
        public void RequestInterruptWindow(bool enable)
        {
            VmcbControlArea* c = &_vmcb->Control;
            if (enable)
            {
                c->VirtualInterrupt |= SvmVirtualInterrupt.Irq | SvmVirtualInterrupt.IgnoreTpr | SvmVirtualInterrupt.PriorityMask;
                c->VirtualInterruptVector = 0;
                c->Intercept1 |= SvmIntercept1.Vintr;
            }
            else
            {
                c->VirtualInterrupt &= ~(SvmVirtualInterrupt.Irq | SvmVirtualInterrupt.IgnoreTpr | SvmVirtualInterrupt.PriorityMask);
                c->Intercept1 &= ~SvmIntercept1.Vintr;
            }
        }

        /// <summary>
        /// After an exit: the CPU consumed EVENTINJ; if the exit interrupted an event's delivery
        /// (EXITINTINFO.V), queue that event again so it is not lost (§15.7.2). A software
        /// interrupt (INTn) is not re-queued: its RIP still points at the INTn, which runs again.
        /// </summary>
        private void RequeueInterruptedEvent()
        {
            VmcbControlArea* c = &_vmcb->Control;
            SvmEvent interrupted = new SvmEvent(c->ExitIntInfo);
            c->EventInjection = 0;
            if (interrupted.Valid && interrupted.Type != (int)EventType.SoftwareInterrupt && interrupted.IsInjectable)
                c->EventInjection = interrupted.Raw & (0xFFFF_FFFF_0000_0000 | SvmEvent.ValidBit | SvmEvent.ErrorCodeValidBit | 0x7FF);
        }

        private volatile bool _initPending, _sipiPending;
        private byte _sipiVector;

        /// <summary>INIT from another vCPU's thread: applied at this vCPU's next Run (same contract as VmxVcpu).</summary>
        public void DeliverInit() { _initPending = true; }

        /// <summary>A SIPI: starts a vCPU that waits for one (or has an INIT pending) at vector:0000 on its next Run; ignored otherwise.</summary>
        public void DeliverSipi(byte vector)
        {
            if (!_waitForSipi && !_initPending) return;
            _sipiVector = vector;
            _sipiPending = true;
        }

        /// <summary>On the vCPU's own thread, before the entry.</summary>
        private void ApplyPendingSignals()
        {
            if (_initPending) { _initPending = false; EnterWaitForSipi(); }
            if (_sipiPending) { _sipiPending = false; if (_waitForSipi) StartAtSipi(_sipiVector); }
        }

        /// <summary>INIT: back to the RESET state (Table 14-1), not runnable until a SIPI. Nothing queued survives.</summary>
        public void EnterWaitForSipi()
        {
            VmcbSetup.LoadResetState(_vmcb);
            _vmcb->Save.Rax = 0;
            for (int i = 0; i < 16; i++) _gprs[i] = 0;
            _gprs[(int)GuestRegister.Rdx] = _platform.ResetEdx;
            _vmcb->Control.EventInjection = 0;
            _vmcb->Control.InterruptState = 0;
            RequestInterruptWindow(false);
            _waitForSipi = true;
            _checkBeforeEntry = true;
        }

        /// <summary>A SIPI with <paramref name="vector"/>: real mode at CS = vector * 256, IP 0; runnable again.</summary>
        public void StartAtSipi(byte vector)
        {
            VmcbSetup.LoadSipiState(_vmcb, vector);
            _waitForSipi = false;
            _checkBeforeEntry = true;
        }
    }
}
