// Time keeping of the RTC (MC146818A datasheet: "Time, Calendar and Alarm Locations", "Update
// Cycle", register A DV bits, register B SET/DM/24-12). The guest's time is not stepped: it is
// _baseSeconds plus the whole seconds of the divider chain's phase D = now - _dividerBase, so an
// update (seconds + 1) happens whenever D crosses a multiple of 1 s. The time registers are
// encoded from that value when read (in the format register B asks for at that moment).
//
// The clock stands still ("frozen") while SET = 1 (updates inhibited; the divider keeps running,
// so the next update keeps its phase) or while DV is not 010 (divider stopped or in reset; on
// release the first update comes 500 ms later). While frozen, the time registers are plain bytes
// the guest sets; when the clock runs again they are decoded into the new time. A write to a time
// register while the clock runs changes that field at once. Only the VM's RTC moves, never the
// host's. Invalid written values (minute 75, month 0, bad BCD digits) are clamped into range.
namespace Hv.Devices.Rtc
{
    public sealed partial class Mc146818Rtc
    {
        private const ulong NsPerSecond = 1_000_000_000;
        /// <summary>"The first update cycle begins 500 ms after the divider chain is released from reset."</summary>
        private const ulong DividerReleaseDelayNs = 500_000_000;

        private ulong _dividerBase;
        private bool _dividerRunning;
        private long _baseSeconds;
        private long _encodedSeconds = long.MinValue;
        private byte _encodedFormat;

        /// <summary>The guest RTC's time now, as seconds since 1970-01-01 (its own time zone, whatever the guest set).</summary>
        public long GuestSeconds
        {
            get
            {
                ulong now = Now();
                return Frozen ? DecodeTimeRegisters() : RunningSeconds(now);
            }
        }

        private bool Frozen => (_cmos[(int)CmosIndex.RegisterB] & (byte)RtcRegisterB.Set) != 0 || !_dividerRunning;

        private bool Binary => (_cmos[(int)CmosIndex.RegisterB] & (byte)RtcRegisterB.Binary) != 0;

        private bool Hours24 => (_cmos[(int)CmosIndex.RegisterB] & (byte)RtcRegisterB.Hours24) != 0;

        private ulong DividerPhase(ulong now) => now - _dividerBase;

        private long RunningSeconds(ulong now) => _baseSeconds + (long)(DividerPhase(now) / NsPerSecond);

        private void StartClock(ulong now, ulong unixSeconds)
        {
            _dividerBase = now;
            _dividerRunning = true;
            _evaluatedPhase = 0;
            _baseSeconds = unixSeconds > long.MaxValue / 2 ? 0 : (long)unixSeconds;
        }

        private static bool IsTimeRegister(int index)
        {
            switch ((CmosIndex)index)
            {
                case CmosIndex.Seconds:
                case CmosIndex.Minutes:
                case CmosIndex.Hours:
                case CmosIndex.DayOfWeek:
                case CmosIndex.DayOfMonth:
                case CmosIndex.Month:
                case CmosIndex.Year:
                case CmosIndex.Century:
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>UIP: set for the 244 us (8 cycles of 32.768 kHz) before each update; never while SET or the divider is stopped.</summary>
        private bool UpdateInProgress(ulong now)
        {
            if (Frozen)
                return false;
            return DividerPhase(now) % NsPerSecond >= NsPerSecond - UipHoldNs;
        }

        /// <summary>ceil(8 / 32768 s) in ns.</summary>
        public const ulong UipHoldNs = 244_141;

        private void WriteRegisterA(byte value, ulong now)
        {
            RefreshTimeRegisters(now);
            bool wasFrozen = Frozen;
            bool wasRunning = _dividerRunning;
            _cmos[(int)CmosIndex.RegisterA] = (byte)(value & (byte)RtcRegisterA.Writable);
            _dividerRunning = (value & (byte)RtcRegisterA.DividerMask) == (byte)RtcRegisterA.DividerNormal;
            if (_dividerRunning && !wasRunning)
            {
                _dividerBase = now - DividerReleaseDelayNs;          // wraps harmlessly: only differences are used
                _evaluatedPhase = DividerReleaseDelayNs;
            }
            if (wasFrozen && !Frozen)
                Resume(now);
            UpdateIrq();
        }

        private void WriteRegisterB(byte value, ulong now)
        {
            RefreshTimeRegisters(now);
            bool wasFrozen = Frozen;
            // Setting SET clears UIE (MC146818A register B bit 4): no update-ended interrupts while setting.
            if ((value & (byte)RtcRegisterB.Set) != 0)
                value = (byte)(value & ~(byte)RtcRegisterB.UpdateEndedInterrupt);
            _cmos[(int)CmosIndex.RegisterB] = value;
            if (wasFrozen && !Frozen)
                Resume(now);
            UpdateIrq();
        }

        private void WriteTimeRegister(int index, byte value, ulong now)
        {
            if (Frozen)
            {
                _cmos[index] = value;
                return;
            }
            RefreshTimeRegisters(now);
            _cmos[index] = value;
            Resume(now);
        }

        /// <summary>The clock runs again (or a field was written while it ran): the registers become the time now.</summary>
        private void Resume(ulong now)
        {
            _baseSeconds = DecodeTimeRegisters() - (long)(DividerPhase(now) / NsPerSecond);
            _encodedSeconds = long.MinValue;
        }

        /// <summary>While the clock runs, re-encodes the time registers when the second or the format changed.</summary>
        private void RefreshTimeRegisters(ulong now)
        {
            if (Frozen)
                return;
            long seconds = RunningSeconds(now);
            byte format = (byte)(_cmos[(int)CmosIndex.RegisterB] & (byte)(RtcRegisterB.Binary | RtcRegisterB.Hours24));
            if (seconds == _encodedSeconds && format == _encodedFormat)
                return;
            _encodedSeconds = seconds;
            _encodedFormat = format;
            CivilTime t = CivilDate.FromSeconds(seconds);
            _cmos[(int)CmosIndex.Seconds] = Encode(t.Second);
            _cmos[(int)CmosIndex.Minutes] = Encode(t.Minute);
            _cmos[(int)CmosIndex.Hours] = EncodeHour(t.Hour);
            _cmos[(int)CmosIndex.DayOfWeek] = Encode(t.DayOfWeek);
            _cmos[(int)CmosIndex.DayOfMonth] = Encode(t.Day);
            _cmos[(int)CmosIndex.Month] = Encode(t.Month);
            _cmos[(int)CmosIndex.Year] = Encode(t.Year % 100);
            _cmos[(int)CmosIndex.Century] = Encode(t.Year / 100 % 100);
        }

        private long DecodeTimeRegisters()
        {
            var t = new CivilTime
            {
                Second = Clamp(Decode(_cmos[(int)CmosIndex.Seconds]), 0, 59),
                Minute = Clamp(Decode(_cmos[(int)CmosIndex.Minutes]), 0, 59),
                Hour = DecodeHour(_cmos[(int)CmosIndex.Hours]),
                Month = Clamp(Decode(_cmos[(int)CmosIndex.Month]), 1, 12),
                Year = Clamp(Decode(_cmos[(int)CmosIndex.Century]), 0, 99) * 100 + Clamp(Decode(_cmos[(int)CmosIndex.Year]), 0, 99),
            };
            t.Day = Clamp(Decode(_cmos[(int)CmosIndex.DayOfMonth]), 1, CivilDate.DaysInMonth(t.Year, t.Month));
            return CivilDate.ToSeconds(t);
        }

        private byte Encode(int v) => Binary ? (byte)v : (byte)((v / 10 % 10) << 4 | v % 10);

        private int Decode(byte b) => Binary ? b : (b >> 4) * 10 + (b & 0xF);

        /// <summary>24-hour: 0-23; 12-hour: 1-12 with bit 7 = PM (12 AM is midnight).</summary>
        private byte EncodeHour(int hour)
        {
            if (Hours24)
                return Encode(hour);
            int h12 = hour % 12 == 0 ? 12 : hour % 12;
            return (byte)(Encode(h12) | (hour >= 12 ? 0x80 : 0));
        }

        private int DecodeHour(byte b)
        {
            if (Hours24)
                return Clamp(Decode(b), 0, 23);
            int h12 = Clamp(Decode((byte)(b & 0x7F)), 1, 12);
            return h12 % 12 + ((b & 0x80) != 0 ? 12 : 0);
        }

        private static int Clamp(int v, int lo, int hi) => v < lo ? lo : v > hi ? hi : v;
    }
}
