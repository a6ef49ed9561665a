// The local APIC timer's counter (SDM Vol. 3A §11.5.4): one-shot and periodic counting of the bus
// clock after the divide configuration, and the TSC-deadline mode (§11.5.4.1). Nothing ticks: the
// count is computed from the device clock when read, and expiries are found by Advance (polled).
//
// Bus clock: 1 GHz, i.e. one count per nanosecond before the divider. Real parts run the APIC timer
// at the crystal or bus frequency; the guest does not know ours and measures it (Linux calibrates
// the LAPIC timer against the PIT/HPET/PM timer or uses TSC-deadline mode), so any fixed rate works.
// 1 GHz makes the arithmetic exact (no scaling) and a full count (2^32 - 1, divide by 128) lasts
// about 9 minutes, well inside 64 bits.
using Hv.Devices.Platform;

namespace Hv.Devices.Lapic
{
    public sealed class ApicTimer
    {
        public const ulong BusClockHz = 1_000_000_000;
        /// <summary>Divide configuration bits 0, 1 and 3 (bit 2 is reserved, §11.5.4 Figure 11-10).</summary>
        public const uint DivideWritableMask = 0xB;

        private LvtTimerMode _mode;
        private uint _initial;
        private uint _divideConfig;
        private int _shift;
        private bool _counting;
        private ulong _periodStartNs;
        private ulong _deadlineTsc;
        private ulong _deadlineNs = Deadline.None;

        public LvtTimerMode Mode => _mode;
        public uint InitialCount => _mode == LvtTimerMode.TscDeadline ? 0 : _initial;
        public uint DivideConfig => _divideConfig;
        /// <summary>Counts of the bus clock per timer count: 1, 2, 4 ... 128.</summary>
        public uint Divider => 1u << _shift;

        /// <summary>Power-up / INIT state: one-shot, stopped, divide by 2 (configuration 0), no deadline.</summary>
        public void Reset()
        {
            _mode = LvtTimerMode.OneShot;
            _initial = 0;
            _divideConfig = 0;
            _shift = 1;
            _counting = false;
            _deadlineTsc = 0;
            _deadlineNs = Deadline.None;
        }

        public ApicTimer() { Reset(); }

        /// <summary>When Advance fires next (whether or not the LVT entry is masked), or Deadline.None.</summary>
        public ulong NextDeadlineNs
        {
            get
            {
                if (_mode == LvtTimerMode.TscDeadline)
                    return _deadlineNs;
                return _counting ? _periodStartNs + PeriodNs : Deadline.None;
            }
        }

        private ulong PeriodNs => (ulong)_initial << _shift;

        /// <summary>LVT timer bits 18:17 (the caller never passes Reserved). Moving into or out of TSC-deadline mode disarms the timer (§11.5.4.1).</summary>
        public void SetMode(LvtTimerMode mode)
        {
            if ((mode == LvtTimerMode.TscDeadline) != (_mode == LvtTimerMode.TscDeadline))
            {
                _initial = 0;
                _counting = false;
                _deadlineTsc = 0;
                _deadlineNs = Deadline.None;
            }
            _mode = mode;
        }

        /// <summary>Initial count register: starts (or restarts) counting; 0 stops the timer. Ignored in TSC-deadline mode (§11.5.4.1).</summary>
        public void WriteInitialCount(uint value, ulong nowNs)
        {
            if (_mode == LvtTimerMode.TscDeadline)
                return;
            _initial = value;
            _counting = value != 0;
            _periodStartNs = nowNs;
        }

        /// <summary>Divide configuration: value 0b(bit3)(bit1)(bit0) = n selects divide by 2^(n+1), 0b111 by 1. A running count keeps its value.</summary>
        public void WriteDivide(uint value, ulong nowNs)
        {
            value &= DivideWritableMask;
            uint code = (value & 3) | ((value >> 1) & 4);
            int shift = code == 7 ? 0 : (int)code + 1;
            if (_counting)
            {
                ulong counted = CountedInPeriod(nowNs);
                _periodStartNs = nowNs - (counted << shift);
            }
            _divideConfig = value;
            _shift = shift;
        }

        /// <summary>Current count register: 0 when stopped, expired (one-shot) or in TSC-deadline mode.</summary>
        public uint CurrentCount(ulong nowNs)
        {
            if (!_counting || _mode == LvtTimerMode.TscDeadline)
                return 0;
            ulong counted = CountedInPeriod(nowNs);
            return counted >= _initial ? 0 : (uint)(_initial - counted);
        }

        /// <summary>Counts since the last reload: a periodic count that missed reloads is folded back into its period, a one-shot one stops at the initial count.</summary>
        private ulong CountedInPeriod(ulong nowNs)
        {
            ulong counted = Elapsed(nowNs) >> _shift;
            return _mode == LvtTimerMode.Periodic ? counted % _initial : (counted < _initial ? counted : _initial);
        }

        /// <summary>Time since the period began; 0 for a caller's clock reading older than the last register write.</summary>
        private ulong Elapsed(ulong nowNs) => (long)(nowNs - _periodStartNs) < 0 ? 0 : nowNs - _periodStartNs;

        /// <summary>
        /// True when the timer expired at or before <paramref name="nowNs"/>: a one-shot count stops, a periodic one
        /// reloads on the period grid (no drift; periods missed while nobody looked fire once, as the IRR would
        /// coalesce them anyway), a TSC deadline disarms and IA32_TSC_DEADLINE reads 0 again (§11.5.4.1).
        /// </summary>
        public bool Advance(ulong nowNs)
        {
            if (_mode == LvtTimerMode.TscDeadline)
            {
                if (_deadlineNs == Deadline.None || nowNs < _deadlineNs)
                    return false;
                _deadlineNs = Deadline.None;
                _deadlineTsc = 0;
                return true;
            }
            if (!_counting)
                return false;
            ulong elapsed = Elapsed(nowNs);
            ulong period = PeriodNs;
            if (elapsed < period)
                return false;
            if (_mode == LvtTimerMode.Periodic)
                _periodStartNs += elapsed / period * period;
            else
                _counting = false;
            return true;
        }

        /// <summary>IA32_TSC_DEADLINE as the guest reads it: the armed value, 0 when disarmed or not in TSC-deadline mode.</summary>
        public ulong DeadlineTsc => _mode == LvtTimerMode.TscDeadline ? _deadlineTsc : 0;

        /// <summary>WRMSR IA32_TSC_DEADLINE: ignored outside TSC-deadline mode; 0 disarms; a past value fires at the next Advance.</summary>
        public void WriteDeadline(ulong deadlineTsc, ulong tscNow, ulong tscHz, ulong nowNs)
        {
            if (_mode != LvtTimerMode.TscDeadline)
                return;
            _deadlineTsc = deadlineTsc;
            if (deadlineTsc == 0)
            {
                _deadlineNs = Deadline.None;
                return;
            }
            ulong delta = deadlineTsc > tscNow ? TscTime.TicksToNs(deadlineTsc - tscNow, tscHz) : 0;
            _deadlineNs = delta >= Deadline.None - nowNs ? Deadline.None - 1 : nowNs + delta;
        }
    }
}
