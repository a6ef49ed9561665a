// A VM's PC platform (issue 5): the shared device models, the platform lock around them, the IRQ
// router (IIrqLines: ISA IRQs to the 8259 pair and the IOAPIC) and the APIC bus (IApicBus: messages
// between the IOAPIC and the vCPUs' LAPICs, with kicks). Time-driven models are polled, never called
// back: vCPUs call Poll before entries and sleep until NextDeadlineNs when halted.
using System.Threading;
using Hv.Devices.Platform;

namespace Hv.Virt.Platform
{
    public sealed class VmPlatform : IIrqLines, IApicBus, Hv.Devices.Pic.IPicOutput
    {
        public const int MaxTimedDevices = 8;

        /// <summary>ISA IRQ 0 (the PIT) is wired to IOAPIC pin 2, as the MADT's interrupt source override says (ACPI 6.x §5.2.12.5).</summary>
        public const int PitIrq = 0, PitGsi = 2;

        private readonly ITimedDevice[] _timed = new ITimedDevice[MaxTimedDevices];
        private int _timedCount;
        private ulong _nextDeadline = Deadline.None;   // min over _timed, read without the lock as a hint
        private readonly IApicEndpoint[] _apics;
        private readonly IVcpuKicker _kicker;
        private IPicController _pic;
        private IIoapicController _ioapic;

        /// <param name="ticksAtClockZero">The run-loop clock's reading (IVcpuHost.Now) when the device clock read 0 ns: device deadlines become absolute run-loop times from it.</param>
        public VmPlatform(IDeviceClock clock, ulong ticksPerSecond, int vcpuCount, IVcpuKicker kicker, ulong ticksAtClockZero = 0)
        {
            Clock = clock;
            TicksPerSecond = ticksPerSecond;
            TicksAtClockZero = ticksAtClockZero;
            _apics = new IApicEndpoint[vcpuCount];
            _kicker = kicker;
        }

        public IDeviceClock Clock { get; }
        /// <summary>The run loop's clock rate (IVcpuHost.Now ticks per second), to turn device deadlines into wake-up times.</summary>
        public ulong TicksPerSecond { get; }
        public ulong TicksAtClockZero { get; }
        public readonly PlatformLock Lock = new PlatformLock();
        public IPicController Pic => _pic;

        /// <summary>Wiring, while the VM is built (not thread-safe).</summary>
        public void SetInterruptControllers(IPicController pic, IIoapicController ioapic) { _pic = pic; _ioapic = ioapic; }

        public void SetApic(int vcpu, IApicEndpoint apic) => _apics[vcpu] = apic;

        public bool AddTimed(ITimedDevice device)
        {
            if (device == null || _timedCount == _timed.Length) return false;
            _timed[_timedCount++] = device;
            return true;
        }

        /// <summary>
        /// A device-clock time (ns) as an absolute run-loop time (ticks): the origin plus the elapsed ticks,
        /// without overflow for any realistic clock rate (whole seconds, then the rest).
        /// </summary>
        public ulong NsToTicks(ulong ns)
        {
            if (ns == Deadline.None) return ulong.MaxValue;
            return TicksAtClockZero + ns / 1_000_000_000UL * TicksPerSecond + ns % 1_000_000_000UL * TicksPerSecond / 1_000_000_000UL;
        }

        /// <summary>Earliest deadline of the shared timed devices (a hint read without the lock).</summary>
        public ulong NextDeadlineNs => Interlocked.CompareExchange(ref _nextDeadline, 0, 0);

        /// <summary>Advances the shared timed devices if one is due. Any vCPU thread, interrupts off.</summary>
        public void Poll(ulong nowNs)
        {
            if (nowNs < NextDeadlineNs) return;
            Lock.Enter();
            RecomputeLocked(nowNs);
            Lock.Exit();
        }

        /// <summary>After a register access changed a timed device (a new PIT count): recompute the deadline. Lock held.</summary>
        public void DevicesChangedLocked() => RecomputeLocked(0);

        private void RecomputeLocked(ulong nowNs)
        {
            ulong next = Deadline.None;
            for (int i = 0; i < _timedCount; i++)
            {
                ITimedDevice d = _timed[i];
                if (nowNs != 0 && d.NextDeadlineNs <= nowNs) d.Advance(nowNs);
                ulong n = d.NextDeadlineNs;
                if (n < next) next = n;
            }
            Interlocked.Exchange(ref _nextDeadline, next);
        }

        // ---- IIrqLines: the ISA IRQ router (lock held by the caller: the device raising the line). ----

        public void SetLevel(int irq, bool high)
        {
            if (irq < 0 || irq > 23) return;
            if (irq < 16 && _pic != null)
                _pic.SetIrq(irq, high);
            _ioapic?.SetPin(irq == PitIrq ? PitGsi : irq, high);
        }

        /// <summary>The PIC's INTR rose (an IRQ, or an unmask with one waiting): virtual wire to the BSP's LINT0, so kick vCPU 0.</summary>
        public void IntrChanged(bool high)
        {
            if (high) _kicker?.Kick(0);
        }

        // ---- IApicBus ----

        public void Send(in ApicMessage message)
        {
            bool lowest = message.Mode == ApicDeliveryMode.LowestPriority && message.Shorthand == ApicShorthand.None;
            for (int i = 0; i < _apics.Length; i++)
            {
                IApicEndpoint a = _apics[i];
                if (a == null || !Targets(a, message)) continue;
                a.Accept(message);
                _kicker?.Kick(i);
                // Lowest priority arbitration (SDM Vol. 3A §11.6.2.4) is model specific; the first match
                // takes it, which spreads nothing but is a legal choice and keeps delivery deterministic.
                if (lowest) return;
            }
        }

        private static bool Targets(IApicEndpoint a, in ApicMessage m)
        {
            switch (m.Shorthand)
            {
                case ApicShorthand.Self: return a.ApicId == m.SourceApicId;
                case ApicShorthand.AllIncludingSelf: return true;
                case ApicShorthand.AllExcludingSelf: return a.ApicId != m.SourceApicId;
                default: return a.MatchesDestination(m);
            }
        }

        public void BroadcastEoi(byte vector)
        {
            if (_ioapic == null) return;
            Lock.Enter();
            _ioapic.Eoi(vector);
            Lock.Exit();
        }
    }
}
