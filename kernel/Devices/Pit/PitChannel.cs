// One counter of the 8254 (Intel 8254 datasheet, 231164, "Modes" and "Read Operations"). The
// counter is not stepped tick by tick: its state is a function of the PIT tick count, computed when
// the guest looks (a count read, the output bit, a status read-back) and when the PIT's Advance
// asks whether OUT rose. Everything is in PIT input ticks (1.193182 MHz); the Pit8254 converts.
//
// Simplifications (documented in README.md): a count reaches the counting element at the write
// itself, not on the next CLK edge; in mode 3 a new count takes effect at the end of the current
// period (the chip uses the end of the current half-period); in mode 3 with an odd count the
// counting element reads count-1, count-3, ... in both halves.
namespace Hv.Devices.Pit
{
    internal sealed class PitChannel
    {
        private const ulong Never = ulong.MaxValue;

        private PitMode _mode = PitMode.SquareWave;
        private PitAccess _access = PitAccess.LowThenHigh;
        private bool _bcd;
        private bool _gate;

        // Count register: the last complete count written (decoded) and the LSB of a half-written one.
        private byte _crLow;
        private bool _writeHighNext;
        private uint _crCount;
        private bool _crValid;
        private bool _nullCount;

        // Counting element: holds _count at tick _start (elapsed e = 0) and counts from there.
        private bool _loaded;
        private uint _count;
        private ulong _start;
        private bool _paused;
        private ulong _pausedElapsed;
        private ushort _heldCount;

        // Modes 2 and 3: a count written while counting waits for the end of the current period.
        private bool _reloadPending;
        private uint _reloadCount;
        private ulong _reloadAt;

        // Reads.
        private bool _readHighNext;
        private bool _countLatched;
        private ushort _latchedCount;
        private bool _statusLatched;
        private byte _latchedStatus;

        /// <summary>Rising edges of OUT at or before this tick have been reported by CatchUp.</summary>
        public ulong LastTick { get; private set; }

        public PitChannel(bool gate) { _gate = gate; }

        public PitMode Mode => _mode;

        private uint Modulus => _bcd ? 10000u : 65536u;

        /// <summary>Control word for this counter (not a latch): resets the counter's logic; counting waits for a count.</summary>
        public void Control(PitMode mode, PitAccess access, bool bcd, ulong now)
        {
            _heldCount = Count(now);
            _mode = mode;
            _access = access;
            _bcd = bcd;
            _loaded = false;
            _paused = false;
            _reloadPending = false;
            _crValid = false;
            _nullCount = true;
            _writeHighNext = false;
            _readHighNext = false;
            _countLatched = false;
            _statusLatched = false;
        }

        /// <summary>Counter latch command (or read-back COUNT#): a second latch before the first is read is ignored.</summary>
        public void LatchCount(ulong now)
        {
            if (_countLatched)
                return;
            _latchedCount = Count(now);
            _countLatched = true;
        }

        /// <summary>Read-back STATUS#: OUT, NULL COUNT and the programmed mode bits; ignored while one is unread.</summary>
        public void LatchStatus(ulong now)
        {
            if (_statusLatched)
                return;
            int status = ((int)_access << 4) | ((int)_mode << 1) | (_bcd ? (int)PitStatus.Bcd : 0);
            if (_nullCount)
                status |= (int)PitStatus.NullCount;
            if (Output(now))
                status |= (int)PitStatus.Output;
            _latchedStatus = (byte)status;
            _statusLatched = true;
        }

        /// <summary>A read of the counter's port: a latched status first, then a latched count, else the live count.</summary>
        public byte Read(ulong now)
        {
            if (_statusLatched)
            {
                _statusLatched = false;
                return _latchedStatus;
            }
            bool latched = _countLatched;
            ushort value = latched ? _latchedCount : Count(now);
            bool high;
            switch (_access)
            {
                case PitAccess.HighByte: high = true; break;
                case PitAccess.LowThenHigh:
                    high = _readHighNext;
                    _readHighNext = !_readHighNext;
                    break;
                default: high = false; break;
            }
            if (latched && (_access != PitAccess.LowThenHigh || high))
                _countLatched = false;
            return (byte)(high ? value >> 8 : value);
        }

        /// <summary>A write of the counter's port: one byte of the count, per the programmed access.</summary>
        public void Write(byte value, ulong now)
        {
            switch (_access)
            {
                case PitAccess.LowByte:
                    Load(Decode(value), now);
                    break;
                case PitAccess.HighByte:
                    Load(Decode((ushort)(value << 8)), now);
                    break;
                default:
                    if (!_writeHighNext)
                    {
                        _crLow = value;
                        _writeHighNext = true;
                        // Mode 0: "writing the first byte disables counting" (OUT goes low, stays low).
                        if (_mode == PitMode.InterruptOnTerminalCount && _loaded)
                        {
                            _heldCount = Count(now);
                            _loaded = false;
                            _nullCount = true;
                        }
                        return;
                    }
                    _writeHighNext = false;
                    Load(Decode((ushort)(_crLow | (value << 8))), now);
                    break;
            }
        }

        /// <summary>The GATE input (counter 2: port 0x61 bit 0; counters 0 and 1 are tied high).</summary>
        public void SetGate(bool high, ulong now)
        {
            if (high == _gate)
                return;
            _gate = high;
            switch (_mode)
            {
                case PitMode.InterruptOnTerminalCount:
                case PitMode.SoftwareTriggeredStrobe:
                    // Gate low suspends counting; high resumes where it stopped.
                    if (!_loaded)
                        return;
                    if (!high)
                    {
                        _pausedElapsed = Elapsed(now);
                        _paused = true;
                    }
                    else if (_paused)
                    {
                        _start = now - _pausedElapsed;
                        _paused = false;
                    }
                    return;
                case PitMode.RateGenerator:
                case PitMode.SquareWave:
                    // Gate low stops counting and forces OUT high; the rising edge reloads the count.
                    if (!high)
                    {
                        if (_loaded)
                        {
                            _pausedElapsed = Elapsed(now);
                            _paused = true;
                            _reloadPending = false;
                        }
                    }
                    else if (_crValid)
                    {
                        StartCounting(_crCount, now);
                    }
                    return;
                default:
                    // Modes 1 and 5: the rising edge (trigger) loads the count and starts it.
                    if (high && _crValid)
                        StartCounting(_crCount, now);
                    return;
            }
        }

        /// <summary>
        /// Brings the counter to <paramref name="now"/>: applies a mode 2/3 reload that became due and
        /// returns whether OUT had a rising edge since the last call (what triggers IRQ0).
        /// </summary>
        public bool CatchUp(ulong now)
        {
            bool edge = false;
            if (_reloadPending && now >= _reloadAt)
            {
                edge = RisingEdgeIn(LastTick, _reloadAt);
                _count = _reloadCount;
                _start = _reloadAt;
                _reloadPending = false;
                _nullCount = false;
                if (LastTick < _reloadAt)
                    LastTick = _reloadAt;
            }
            if (RisingEdgeIn(LastTick, now))
                edge = true;
            if (now > LastTick)
                LastTick = now;
            return edge;
        }

        /// <summary>The first tick after <paramref name="after"/> at which OUT rises, or ulong.MaxValue.</summary>
        public ulong NextEdgeTick(ulong after)
        {
            if (!_loaded || _paused)
                return Never;
            ulong e = after > _start ? after - _start : 0;
            switch (_mode)
            {
                case PitMode.InterruptOnTerminalCount:
                case PitMode.HardwareRetriggerableOneShot:
                    return e < _count ? _start + _count : Never;
                case PitMode.SoftwareTriggeredStrobe:
                case PitMode.HardwareTriggeredStrobe:
                    return e < _count + 1ul ? _start + _count + 1 : Never;
                default:
                    if (_count < 2)
                        return Never;
                    ulong next = (e / _count + 1) * _count;
                    return next > Never - _start ? Never : _start + next;
            }
        }

        /// <summary>The OUT pin at <paramref name="now"/>.</summary>
        public bool Output(ulong now)
        {
            if (!_loaded)
                return _mode != PitMode.InterruptOnTerminalCount;
            if (_paused && (_mode == PitMode.RateGenerator || _mode == PitMode.SquareWave))
                return true;
            ulong e = Elapsed(now);
            switch (_mode)
            {
                case PitMode.InterruptOnTerminalCount:
                case PitMode.HardwareRetriggerableOneShot:
                    return e >= _count;                        // low from the load until terminal count
                case PitMode.RateGenerator:
                    return e % _count != _count - 1;           // low for the one clock at count 1
                case PitMode.SquareWave:
                    return e % _count < (_count + 1) / 2;      // high for ceil(N/2), low for floor(N/2)
                default:
                    return e != _count;                        // strobe: low for the one clock at count 0
            }
        }

        /// <summary>The counting element's value (BCD-encoded in BCD mode), as a read or latch sees it.</summary>
        public ushort Count(ulong now)
        {
            if (!_loaded)
                return _heldCount;
            ulong e = Elapsed(now);
            uint m = Modulus;
            uint v;
            switch (_mode)
            {
                case PitMode.RateGenerator:
                    v = _count - (uint)(e % _count);
                    break;
                case PitMode.SquareWave:
                {
                    // Counts down by two through each half-period.
                    uint phase = (uint)(e % _count);
                    uint firstHalf = (_count + 1) / 2;
                    uint into = phase < firstHalf ? phase : phase - firstHalf;
                    v = (_count & ~1u) - 2 * into;
                    break;
                }
                default:
                    // One-shot modes wrap through the modulus and keep counting after terminal count.
                    v = (uint)((_count + m - e % m) % m);
                    break;
            }
            v %= m;
            return _bcd ? ToBcd(v) : (ushort)v;
        }

        private void Load(uint count, ulong now)
        {
            _crCount = count;
            _crValid = true;
            _nullCount = true;
            switch (_mode)
            {
                case PitMode.HardwareRetriggerableOneShot:
                case PitMode.HardwareTriggeredStrobe:
                    return;                                   // waits for a gate trigger
                case PitMode.RateGenerator:
                case PitMode.SquareWave:
                    if (_loaded && _paused)
                        return;                               // the gate's rising edge will load it
                    if (_loaded)
                    {
                        // "The current period is not affected by the new count": reload at its end.
                        ulong e = Elapsed(now);
                        _reloadAt = _start + (e / _count + 1) * _count;
                        _reloadCount = count;
                        _reloadPending = true;
                        return;
                    }
                    StartCounting(count, now);
                    return;
                default:
                    StartCounting(count, now);
                    return;
            }
        }

        private void StartCounting(uint count, ulong now)
        {
            _count = count;
            _start = now;
            _loaded = true;
            _nullCount = false;
            _reloadPending = false;
            bool gated = _mode != PitMode.HardwareRetriggerableOneShot && _mode != PitMode.HardwareTriggeredStrobe;
            _paused = gated && !_gate;
            _pausedElapsed = 0;
            if (LastTick < now)
                LastTick = now;
        }

        private ulong Elapsed(ulong now)
        {
            if (_paused)
                return _pausedElapsed;
            return now > _start ? now - _start : 0;
        }

        /// <summary>Whether OUT rises at some tick t with a &lt; t &lt;= b.</summary>
        private bool RisingEdgeIn(ulong a, ulong b)
        {
            if (!_loaded || _paused || b <= a || b < _start)
                return false;
            ulong ea = a > _start ? a - _start : 0;
            ulong eb = b - _start;
            switch (_mode)
            {
                case PitMode.InterruptOnTerminalCount:
                case PitMode.HardwareRetriggerableOneShot:
                    return ea < _count && _count <= eb;
                case PitMode.SoftwareTriggeredStrobe:
                case PitMode.HardwareTriggeredStrobe:
                    return ea < _count + 1ul && _count + 1ul <= eb;
                default:
                    return _count >= 2 && eb / _count > ea / _count;
            }
        }

        /// <summary>A written count: 0 is the largest (65536, or 10000 in BCD); BCD digits above 9 count as 9.</summary>
        private uint Decode(ushort raw)
        {
            if (!_bcd)
                return raw == 0 ? 65536u : raw;
            uint v = 0;
            for (int shift = 12; shift >= 0; shift -= 4)
            {
                uint digit = (uint)(raw >> shift) & 0xF;
                v = v * 10 + (digit > 9 ? 9 : digit);
            }
            return v == 0 ? 10000u : v;
        }

        private static ushort ToBcd(uint v)
        {
            return (ushort)((v / 1000 % 10) << 12 | (v / 100 % 10) << 8 | (v / 10 % 10) << 4 | v % 10);
        }
    }
}
