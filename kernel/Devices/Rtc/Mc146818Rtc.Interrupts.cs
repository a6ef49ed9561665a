// Register C's flags and IRQ 8 (MC146818A datasheet: "Interrupts", "Periodic Interrupt",
// "Alarm", "Update-Ended Interrupt", register C). The flags PF, AF and UF are set whenever their
// event happens, enabled or not; IRQF = PF·PIE + AF·AIE + UF·UIE, and the IRQ line is asserted
// exactly while IRQF is set (reading register C clears every flag and releases the line). So the
// 8259 sees one rising edge per "interrupt until register C is read", as on a PC.
//
// Events are found lazily, over the divider phase from _evaluatedPhase to now, at every register
// access and every Advance: periodic ticks when the 32.768 kHz divider count crosses a multiple
// of the rate's period (rates from register A RS3-0; RS 1 and 2 are 256 and 128 Hz with this time
// base), updates at whole seconds (not while SET), and the alarm when an updated time matches the
// three alarm bytes (0xC0-0xFF = "don't care"). NextDeadlineNs is the next event that could raise
// the line; none while the line is already up (nothing changes until register C is read).
using Hv.Devices.Platform;

namespace Hv.Devices.Rtc
{
    public sealed partial class Mc146818Rtc
    {
        private const ulong TimeBaseHz = 32768;
        private const int AnyValue = -1;
        private const int NeverMatches = -2;

        private ulong _evaluatedPhase;
        private byte _flags;
        private bool _irqLine;

        /// <summary>Times IRQ 8 went high.</summary>
        public ulong Irq8Raises { get; private set; }

        public void Advance(ulong nowNs)
        {
            CatchUp(Now(nowNs));
        }

        public ulong NextDeadlineNs
        {
            get
            {
                if (_irqLine || !_dividerRunning)
                    return Deadline.None;
                byte b = _cmos[(int)CmosIndex.RegisterB];
                ulong next = Deadline.None;
                int rate = _cmos[(int)CmosIndex.RegisterA] & (int)RtcRegisterA.RateMask;
                if ((b & (byte)RtcRegisterB.PeriodicInterrupt) != 0 && rate != 0)
                {
                    ulong period = PeriodCycles(rate);
                    ulong cycle = (Cycles(_evaluatedPhase) / period + 1) * period;
                    next = _dividerBase + TickMath.ScaleUp(cycle, NsPerSecond, TimeBaseHz);
                }
                if ((b & (byte)(RtcRegisterB.UpdateEndedInterrupt | RtcRegisterB.AlarmInterrupt)) != 0 && (b & (byte)RtcRegisterB.Set) == 0)
                {
                    // Alarms are checked at every update, so the next update is the next chance.
                    ulong update = _dividerBase + (_evaluatedPhase / NsPerSecond + 1) * NsPerSecond;
                    if (update < next)
                        next = update;
                }
                return next;
            }
        }

        /// <summary>Sets the flags of the events between the last evaluation and now, then the IRQ line.</summary>
        private void CatchUp(ulong now)
        {
            if (!_dividerRunning)
                return;
            ulong phase = DividerPhase(now);
            if (phase <= _evaluatedPhase)
                return;
            int rate = _cmos[(int)CmosIndex.RegisterA] & (int)RtcRegisterA.RateMask;
            if (rate != 0)
            {
                ulong period = PeriodCycles(rate);
                if (Cycles(phase) / period > Cycles(_evaluatedPhase) / period)
                    _flags |= (byte)RtcRegisterC.Periodic;
            }
            if ((_cmos[(int)CmosIndex.RegisterB] & (byte)RtcRegisterB.Set) == 0)
            {
                ulong before = _evaluatedPhase / NsPerSecond;
                ulong after = phase / NsPerSecond;
                if (after > before)
                {
                    _flags |= (byte)RtcRegisterC.UpdateEnded;
                    if (AlarmBetween(_baseSeconds + (long)before, _baseSeconds + (long)after))
                        _flags |= (byte)RtcRegisterC.Alarm;
                }
            }
            _evaluatedPhase = phase;
            UpdateIrq();
        }

        private byte ReadAndClearFlags()
        {
            byte value = _flags;
            if (_irqLine)
                value |= (byte)RtcRegisterC.Irq;
            _flags = 0;
            UpdateIrq();
            return value;
        }

        private void UpdateIrq()
        {
            // Flag and enable bits share positions: PF/PIE 0x40, AF/AIE 0x20, UF/UIE 0x10.
            bool irq = (_flags & _cmos[(int)CmosIndex.RegisterB] & (byte)RtcRegisterC.Sources) != 0;
            if (irq == _irqLine)
                return;
            _irqLine = irq;
            if (irq)
                Irq8Raises++;
            _irqs.SetLevel(Irq, irq);
        }

        private static ulong Cycles(ulong phaseNs) => TickMath.ScaleDown(phaseNs, TimeBaseHz, NsPerSecond);

        /// <summary>Periodic interrupt period in 32.768 kHz cycles for rate select 1-15.</summary>
        private static ulong PeriodCycles(int rate)
        {
            if (rate == 1)
                return 128;                                           // 256 Hz
            if (rate == 2)
                return 256;                                           // 128 Hz
            return 1ul << (rate - 1);                                 // 3: 8192 Hz ... 15: 2 Hz
        }

        /// <summary>Whether an update to a time t with from &lt; t &lt;= to matched the alarm.</summary>
        private bool AlarmBetween(long from, long to)
        {
            int hour = AlarmField(CmosIndex.HoursAlarm, 23, true);
            int minute = AlarmField(CmosIndex.MinutesAlarm, 59, false);
            int second = AlarmField(CmosIndex.SecondsAlarm, 59, false);
            if (hour == NeverMatches || minute == NeverMatches || second == NeverMatches)
                return false;
            long first = from + 1;
            int tod = (int)CivilDate.FloorMod(first, CivilDate.SecondsPerDay);
            int match = NextMatch(tod, hour, minute, second);
            long wait = match >= 0 ? match - tod : NextMatch(0, hour, minute, second) + (long)CivilDate.SecondsPerDay - tod;
            return wait < to - from;
        }

        /// <summary>The first time of day at or after <paramref name="from"/> matching the alarm, or -1 for none today.</summary>
        private static int NextMatch(int from, int hour, int minute, int second)
        {
            int fh = from / 3600, fm = from / 60 % 60, fs = from % 60;
            for (int h = fh; h < 24; h++)
            {
                if (hour != AnyValue && h != hour)
                    continue;
                for (int m = h == fh ? fm : 0; m < 60; m++)
                {
                    if (minute != AnyValue && m != minute)
                        continue;
                    int s0 = h == fh && m == fm ? fs : 0;
                    int s = second == AnyValue ? s0 : second >= s0 ? second : -1;
                    if (s >= 0)
                        return h * 3600 + m * 60 + s;
                }
            }
            return -1;
        }

        /// <summary>An alarm byte decoded in the current format: AnyValue for 0xC0-0xFF, NeverMatches for out of range.</summary>
        private int AlarmField(CmosIndex index, int max, bool isHour)
        {
            byte b = _cmos[(int)index];
            if ((b & 0xC0) == 0xC0)
                return AnyValue;
            if (!isHour || Hours24)
            {
                int v = Decode(b);
                return v <= max ? v : NeverMatches;
            }
            int h12 = Decode((byte)(b & 0x7F));
            if (h12 < 1 || h12 > 12)
                return NeverMatches;
            return h12 % 12 + ((b & 0x80) != 0 ? 12 : 0);
        }
    }
}
