// Interrupt delivery for a vCPU of a VM with the PC platform (issue 5): the virtual LAPIC decides what
// is pending and deliverable (IRR against PPR, SDM Vol. 3A §11.8.3.1), the 8259 PIC reaches the BSP
// through LINT0 in ExtINT mode (virtual wire, §11.5.1), and INIT/SIPI from other vCPUs' ICRs go to the
// backend. Device time (LAPIC timer, PIT, RTC...) is polled here before each entry and when a halted
// vCPU wakes, so no device ever calls back into a vCPU thread. Without a platform (issue-4 test
// guests) Vcpu.Events.cs works alone.
using Hv.Devices.Platform;
using Hv.Virt.Platform;

namespace Hv.Virt
{
    public sealed partial class Vcpu
    {
        private IVcpuInterruptController _apic;
        private VmPlatform _platform;
        /// <summary>CPU this vCPU is in guest mode on (+1), 0 when not: the kicker sends an IPI there (Interlocked: a post and an entry race).</summary>
        private int _inGuestOnCpu;

        /// <summary>When the running guest must exit for its next virtual timer (run-loop ticks), or NoDeadline; set by PrepareEntry.</summary>
        public ulong EntryDeadline { get; private set; } = NoDeadline;

        /// <summary>The LAPIC, or null for a VM without the PC platform.</summary>
        public IVcpuInterruptController Apic => _apic;
        public VmPlatform Platform => _platform;

        /// <summary>Gives the vCPU its LAPIC and the VM's platform; once, before the VM starts.</summary>
        public bool AttachPlatform(VmPlatform platform, IVcpuInterruptController apic)
        {
            if (_apic != null || platform == null || apic == null) return false;
            _platform = platform;
            _apic = apic;
            return true;
        }

        /// <summary>Where the vCPU runs the guest now (0 = not in the guest); set by the run loop around Run.</summary>
        public int InGuestOnCpu => System.Threading.Interlocked.CompareExchange(ref _inGuestOnCpu, 0, 0) - 1;

        public void MarkInGuest(int cpu) => System.Threading.Interlocked.Exchange(ref _inGuestOnCpu, cpu + 1);

        public void MarkOutOfGuest() => System.Threading.Interlocked.Exchange(ref _inGuestOnCpu, 0);

        /// <summary>
        /// INIT and SIPI taken from the LAPIC and handed to the backend (SDM Vol. 3A §9.4.3: an AP waits in
        /// wait-for-SIPI after INIT; the SIPI's vector is its real-mode start page). Called by the run loop before each entry.
        /// </summary>
        public void TakeStartupSignals(IBackendVcpu backend)
        {
            if (_apic == null) return;
            if (_apic.TakeInit())
            {
                Counters.InitSignals++;
                backend.DeliverInit();
            }
            if (_apic.TakeSipi(out byte vector))
            {
                Counters.StartupIpis++;
                _halted = false;
                backend.DeliverSipi(vector);
            }
        }

        /// <summary>Device time: the shared devices, then this vCPU's LAPIC timer.</summary>
        private void AdvancePlatformTime()
        {
            ulong ns = _platform.Clock.NowNs();
            _platform.Poll(ns);
            _apic.Advance(ns);
            EntryDeadline = PlatformWakeDeadline();
        }

        /// <summary>The PIC's INTR reaches this vCPU (LINT0 in ExtINT mode, normally the BSP's only).</summary>
        private bool ExtIntPending()
        {
            IPicController pic = _platform.Pic;
            return pic != null && _apic.AcceptsExtInt && pic.HasInterrupt;
        }

        private bool PlatformDeliverable() => ExtIntPending() || _apic.TryGetInterrupt(out _);

        /// <summary>One interrupt per entry: an NMI, the PIC's (ExtINT) or the LAPIC's highest; otherwise an interrupt window if one is waiting.</summary>
        private void DeliverPlatform()
        {
            // An NMI goes in before interrupts (SDM Vol. 3A §6.9 priority). If an event is already queued
            // for this entry (a re-injected exception) the NMI is dropped: guests use NMIs only for
            // watchdogs and backtraces, and no injected NMI here can be lost otherwise.
            if (_apic.TakeNmi() && State.Inject(EventType.Nmi, 2, false, 0))
                Counters.InjectedNmis++;
            bool want = false;
            if (ExtIntPending())
            {
                if (State.CanInjectInterrupt())
                {
                    _platform.Lock.Enter();
                    bool still = _platform.Pic.HasInterrupt;
                    byte v = still ? _platform.Pic.Acknowledge() : (byte)0;
                    _platform.Lock.Exit();
                    if (still && State.Inject(EventType.ExternalInterrupt, v, false, 0)) Counters.InjectedInterrupts++;
                }
                want = ExtIntPending();
            }
            else if (_apic.TryGetInterrupt(out byte vector))
            {
                if (State.CanInjectInterrupt() && State.Inject(EventType.ExternalInterrupt, vector, false, 0))
                {
                    _apic.AcknowledgeInterrupt(vector);
                    Counters.InjectedInterrupts++;
                }
                want = PlatformDeliverable();
            }
            if (want != _windowRequested)
            {
                _windowRequested = want;
                State.RequestInterruptWindow(want);
            }
        }

        /// <summary>
        /// HLT with the platform: with IF = 1 the vCPU sleeps until an interrupt is deliverable (or its
        /// deadline); with IF = 0 only INIT/SIPI/NMI wake it (an AP parked by Linux with cli; hlt), and the
        /// VM ends only when every vCPU is there and no LAPIC can ever be woken: that is left to the
        /// guest's own power-off, so a cli; hlt vCPU just sleeps.
        /// </summary>
        private ExitAction EnterHaltPlatform(bool interrupts)
        {
            if (interrupts && PlatformDeliverable())
                return ExitAction.Resume;
            _halted = true;
            _haltedWithInterrupts = interrupts;
            WakeDeadline = PlatformWakeDeadline();
            return ExitAction.Halt;
        }

        private bool TryWakePlatform()
        {
            if (!_halted) return true;
            AdvancePlatformTime();
            if ((_haltedWithInterrupts && PlatformDeliverable()) || _apic.HasWakeSignal)
            {
                _halted = false;
                WakeDeadline = NoDeadline;
                return true;
            }
            WakeDeadline = PlatformWakeDeadline();
            return false;
        }

        /// <summary>
        /// An MMIO read as this vCPU sees it: its own LAPIC's register page first (each vCPU has its own at
        /// the same address, so it cannot be on the VM-wide bus), then the VM's MMIO bus. False when no
        /// device answered (counted by the caller).
        /// </summary>
        public bool MmioRead(ulong gpa, System.Span<byte> data)
        {
            if (InApicPage(gpa, data.Length, out ulong offset))
            {
                _apic.MmioRead(offset, data);
                return true;
            }
            return Vm.MmioBus.Read(gpa, data);
        }

        public bool MmioWrite(ulong gpa, System.ReadOnlySpan<byte> data)
        {
            if (InApicPage(gpa, data.Length, out ulong offset))
            {
                _apic.MmioWrite(offset, data);
                return true;
            }
            return Vm.MmioBus.Write(gpa, data);
        }

        /// <summary>The whole access lies in this vCPU's enabled xAPIC register page (SDM Vol. 3A §11.4.1: 4 KiB at IA32_APIC_BASE).</summary>
        private bool InApicPage(ulong gpa, int length, out ulong offset)
        {
            offset = 0;
            if (_apic == null) return false;
            ulong b = _apic.MmioBase;
            if (gpa < b || gpa - b >= 0x1000 || gpa - b + (ulong)length > 0x1000) return false;
            offset = gpa - b;
            return true;
        }

        /// <summary>A vCPU in the INIT state: asleep until a SIPI (Exits/StartupExit.cs).</summary>
        internal ExitAction WaitForSipi()
        {
            _halted = true;
            _haltedWithInterrupts = false;
            WakeDeadline = NoDeadline;
            return ExitAction.Halt;
        }

        /// <summary>When a halted vCPU must look again: its LAPIC timer or the next shared-device event, in run-loop ticks.</summary>
        private ulong PlatformWakeDeadline()
        {
            ulong ns = _apic.NextDeadlineNs;
            ulong shared = _platform.NextDeadlineNs;
            if (shared < ns) ns = shared;
            return _platform.NsToTicks(ns);
        }
    }
}
