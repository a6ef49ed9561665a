// The guest's 8254 PIT at ports 0x40-0x43 (Intel 8254 datasheet, 231164), clocked at the PC's
// 14.31818 MHz / 12 = 1.193182 MHz. Counter 0's OUT is ISA IRQ 0; counter 1 (DRAM refresh on old
// PCs) counts but drives nothing; counter 2's GATE and OUT are bits 0 and 5 of port 0x61
// (SystemControlPortB), which is what Linux's TSC calibration (quick_pit_calibrate,
// pit_calibrate_tsc) polls: its count and OUT are computed from the VM clock at every read, so
// they are as exact as the clock.
//
// IRQ 0: every rising edge of counter 0's OUT is a pulse (high, then low) on the IRQ line: the
// terminal count of modes 0/1, the end of the strobe of modes 4/5, the start of each period of
// modes 2/3. Edges are found when the guest touches the PIT and when Advance runs; several periods
// passed in between give one pulse (an edge-triggered 8259/IOAPIC would latch just one anyway).
// NextDeadlineNs is the next edge, but never sooner than MinIrqSpacingNs after the last pulse, so
// a guest programming a 1-tick period cannot make the host wake up every 838 ns.
using System;
using Hv.Devices.Platform;

namespace Hv.Devices.Pit
{
    public sealed class Pit8254 : IIoDevice, ITimedDevice
    {
        public const ushort BasePort = 0x40;
        public const ushort PortCount = 4;
        public const int Irq = 0;
        /// <summary>Input clock = TicksPerInterval ticks every IntervalNs ns: 3579545 / 3 Hz = 1.193182 MHz.</summary>
        public const ulong TicksPerInterval = 3_579_545;
        public const ulong IntervalNs = 3_000_000_000;
        public const ulong MinIrqSpacingNs = 50_000;
        private const int ControlOffset = 3;

        private readonly IDeviceClock _clock;
        private readonly IIrqLines _irqs;
        private readonly ulong _baseNs;
        private readonly PitChannel[] _channels;
        private bool _pulsed;
        private ulong _lastPulseNs;

        public Pit8254(IDeviceClock clock, IIrqLines irqs)
        {
            _clock = clock;
            _irqs = irqs;
            _baseNs = clock.NowNs();
            // Counters 0 and 1 have GATE tied high on a PC; counter 2's starts low (port 0x61 bit 0 = 0).
            _channels = new[] { new PitChannel(true), new PitChannel(true), new PitChannel(false) };
            PortB = new SystemControlPortB(this);
        }

        /// <summary>The port-0x61 device (counter 2 gate, speaker, OUT2, refresh toggle); register it at SystemControlPortB.Port.</summary>
        public SystemControlPortB PortB { get; }

        /// <summary>IRQ 0 pulses so far.</summary>
        public ulong Irq0Pulses { get; private set; }

        /// <summary>PIT input ticks since the device was made.</summary>
        public ulong TickAt(ulong nowNs) => nowNs <= _baseNs ? 0 : TickMath.ScaleDown(nowNs - _baseNs, TicksPerInterval, IntervalNs);

        public void Read(ulong offset, Span<byte> data)
        {
            ulong tick = Sync();
            for (int i = 0; i < data.Length; i++)
            {
                // A wide access reaches an 8-bit ISA device as consecutive byte cycles.
                ulong port = offset + (ulong)i;
                data[i] = port < ControlOffset ? _channels[(int)port].Read(tick) : (byte)0xFF;   // port 0x43 is write-only
            }
        }

        public void Write(ulong offset, ReadOnlySpan<byte> data)
        {
            ulong tick = Sync();
            for (int i = 0; i < data.Length; i++)
            {
                ulong port = offset + (ulong)i;
                if (port < ControlOffset)
                    _channels[(int)port].Write(data[i], tick);
                else if (port == ControlOffset)
                    WriteControl(data[i], tick);
            }
        }

        public void Advance(ulong nowNs)
        {
            ulong tick = TickAt(nowNs);
            bool edge = _channels[0].CatchUp(tick);
            _channels[1].CatchUp(tick);
            _channels[2].CatchUp(tick);
            if (!edge)
                return;
            _irqs.SetLevel(Irq, true);
            _irqs.SetLevel(Irq, false);
            Irq0Pulses++;
            _pulsed = true;
            _lastPulseNs = nowNs;
        }

        public ulong NextDeadlineNs
        {
            get
            {
                PitChannel c0 = _channels[0];
                ulong tick = c0.NextEdgeTick(c0.LastTick);
                if (tick == ulong.MaxValue)
                    return Deadline.None;
                ulong ns = TickMath.ScaleUp(tick, IntervalNs, TicksPerInterval);
                ns = ns > ulong.MaxValue - _baseNs ? ulong.MaxValue - 1 : ns + _baseNs;
                if (_pulsed && _lastPulseNs <= ulong.MaxValue - MinIrqSpacingNs && ns < _lastPulseNs + MinIrqSpacingNs)
                    ns = _lastPulseNs + MinIrqSpacingNs;
                return ns;
            }
        }

        internal byte ReadPortB()
        {
            ulong tick = Sync();
            return SystemControlPortB.Compose(tick, _channels[2].Output(tick));
        }

        internal void WriteGate2(bool high)
        {
            ulong tick = Sync();
            _channels[2].SetGate(high, tick);
        }

        /// <summary>Catches every counter up to now (raising IRQ 0 for an edge already passed) and returns the tick.</summary>
        private ulong Sync()
        {
            ulong now = _clock.NowNs();
            Advance(now);
            return TickAt(now);
        }

        private void WriteControl(byte cw, ulong tick)
        {
            int counter = PitControlWord.Counter(cw);
            if (counter == PitControlWord.ReadBackSelect)
            {
                var rb = (PitReadBack)cw;
                for (int i = 0; i < 3; i++)
                {
                    if (((int)cw & ((int)PitReadBack.Counter0 << i)) == 0)
                        continue;
                    // Status first: when both are latched, the first read returns the status.
                    if ((rb & PitReadBack.NotStatus) == 0)
                        _channels[i].LatchStatus(tick);
                    if ((rb & PitReadBack.NotCount) == 0)
                        _channels[i].LatchCount(tick);
                }
                return;
            }
            PitAccess access = PitControlWord.Access(cw);
            if (access == PitAccess.LatchCommand)
                _channels[counter].LatchCount(tick);
            else
                _channels[counter].Control(PitControlWord.Mode(cw), access, PitControlWord.Bcd(cw), tick);
        }
    }
}
