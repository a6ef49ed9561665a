// Interrupt delivery and HLT for one vCPU (issue 4 item 4, neutral part). External interrupts wait
// in PendingInterrupts; before each entry the highest one is injected if the guest can take it
// (IVcpuState.CanInjectInterrupt: RFLAGS.IF, no STI/MOV SS shadow, no event already queued);
// otherwise an interrupt-window exit is requested, and that exit delivers it. An interrupt whose
// priority class (vector[7:4]) is not above the TPR (CR8) stays pending without a window request
// until the guest lowers CR8 (SDM Vol. 3A §11.8.3.1; no in-service tracking until the LAPIC model,
// issue 5). Exceptions do not wait: InjectException queues them at once. A one-shot timer per vCPU
// posts its vector when due.
// Everything here runs on the vCPU's own thread (cross-CPU posting arrives with the LAPIC, issue 5).
using System.Runtime.CompilerServices;

namespace Hv.Virt
{
    public sealed partial class Vcpu
    {
        private PendingInterrupts _pending;
        private bool _windowRequested;
        private ulong _timerDeadline = NoDeadline;
        private byte _timerVector;
        private bool _halted;
        private bool _haltedWithInterrupts;
        private byte _tpr;
        private ulong _haltTimerPeriod;
        private byte _haltTimerVector;

        /// <summary>TPR[7:4] as CR8 shows it (0-15): interrupts of priority class at or below it are held back.</summary>
        public byte TaskPriority => _tpr;

        /// <summary>MOV to CR8: sets the task priority (0-15) and delivers what it no longer blocks.</summary>
        public void SetTaskPriority(byte priority)
        {
            _tpr = (byte)(priority & 0xF);
            DeliverPending();
        }

        /// <summary>When a halted vCPU must be looked at again (the timer's deadline), or NoDeadline.</summary>
        public ulong WakeDeadline { get; private set; } = NoDeadline;
        public bool IsHalted => _halted;
        public bool HasPendingInterrupts => _pending.Any;
        public ulong TimerDeadline => _timerDeadline;

        /// <summary>Posts external interrupt <paramref name="vector"/> (32-255); false for an exception vector or when already pending (coalesced).</summary>
        public bool PostInterrupt(byte vector)
        {
            if (_pending.Post(vector))
                return true;
            if (vector >= PendingInterrupts.FirstInterruptVector)
                Counters.CoalescedInterrupts++;
            return false;
        }

        /// <summary>Arms the one-shot timer: at <paramref name="deadline"/> (scheduler ticks) <paramref name="vector"/> is posted. Replaces an armed timer.</summary>
        public void ArmTimer(ulong deadline, byte vector)
        {
            _timerDeadline = deadline;
            _timerVector = vector;
        }

        public void CancelTimer() => _timerDeadline = NoDeadline;

        /// <summary>
        /// The test timer of the issue-4 guests (tests/Guests/hlt.asm), until the LAPIC timer exists
        /// (issue 5): whenever the vCPU halts with interrupts enabled and nothing else is armed, the
        /// timer is armed <paramref name="periodTicks"/> ahead with <paramref name="vector"/>. 0 turns it off.
        /// </summary>
        public void SetHaltTestTimer(ulong periodTicks, byte vector)
        {
            _haltTimerPeriod = periodTicks;
            _haltTimerVector = vector;
        }

        /// <summary>
        /// Called by the run loop before every entry: posts the timer's vector if it is due, then injects
        /// the highest pending interrupt or asks for an interrupt window.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void PrepareEntry(ulong now)
        {
            if (_apic != null)
            {
                AdvancePlatformTime();
                DeliverPlatform();
                return;
            }
            if (now >= _timerDeadline)
                FireTimer(now);
            if (_pending.Any || _windowRequested)
                DeliverPending();                       // otherwise nothing to inject and no window to close
        }

        /// <summary>
        /// For a halted vCPU: true when it may run again (an interrupt is pending and it halted with
        /// interrupts enabled). Otherwise WakeDeadline says how long to wait. Spurious wake-ups are harmless.
        /// </summary>
        public bool TryWake(ulong now)
        {
            if (_apic != null) return TryWakePlatform();
            FireTimer(now);
            if (!_halted)
                return true;
            if (_haltedWithInterrupts && Deliverable())
            {
                _halted = false;
                WakeDeadline = NoDeadline;
                return true;
            }
            if (_haltedWithInterrupts && _timerDeadline == NoDeadline && _haltTimerPeriod != 0)
                ArmTimer(now + _haltTimerPeriod, _haltTimerVector);
            WakeDeadline = _haltedWithInterrupts ? _timerDeadline : NoDeadline;
            return false;
        }

        /// <summary>HLT (after RIP moved past it): run on, sleep until an interrupt, or stop the VM if nothing can ever wake it.</summary>
        internal ExitAction EnterHalt()
        {
            bool interrupts = (State.Get(GuestRegister.Rflags) & (ulong)RflagsBits.InterruptEnable) != 0;
            if (_apic != null) return EnterHaltPlatform(interrupts);
            if (interrupts && Deliverable())
                return ExitAction.Resume;                   // delivered on this entry: HLT ends at once
            _halted = true;
            _haltedWithInterrupts = interrupts;
            WakeDeadline = interrupts ? _timerDeadline : NoDeadline;
            if (!interrupts && Vm.NoteHaltedForever())
            {
                // HLT with IF = 0 waits for NMI, SMI or INIT, none of which this VM can receive: when every
                // vCPU is there, the VM is over (test guests end with "cli; hlt").
                Vm.Stop(VmStopReason.AllVcpusHalted, 0, null);
                return ExitAction.Stop;
            }
            return ExitAction.Halt;
        }

        /// <summary>The interrupt-window exit: the guest can take an interrupt now.</summary>
        internal void OnInterruptWindow()
        {
            _windowRequested = false;
            State.RequestInterruptWindow(false);
            if (_apic != null) DeliverPlatform();
            else DeliverPending();
        }

        private void FireTimer(ulong now)
        {
            if (_timerDeadline == NoDeadline || now < _timerDeadline)
                return;
            _timerDeadline = NoDeadline;
            PostInterrupt(_timerVector);
        }

        /// <summary>True when the highest pending interrupt's priority class is above the TPR.</summary>
        private bool Deliverable() => _pending.TryPeekHighest(out byte vector) && (vector >> 4) > _tpr;

        private void DeliverPending()
        {
            bool deliverable = Deliverable();
            if (deliverable && State.CanInjectInterrupt() && _pending.TryPeekHighest(out byte vector)
                && State.Inject(EventType.ExternalInterrupt, vector, false, 0))
            {
                _pending.Remove(vector);
                Counters.InjectedInterrupts++;
                deliverable = Deliverable();
            }
            // One interrupt per entry; a deliverable one still waiting needs the window. One held back
            // by the TPR does not (the window would open at once, again and again).
            bool want = deliverable;
            if (want != _windowRequested)
            {
                _windowRequested = want;
                State.RequestInterruptWindow(want);
            }
        }
    }
}
