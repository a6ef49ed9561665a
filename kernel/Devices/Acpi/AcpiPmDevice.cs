// The ACPI fixed-hardware registers of the guest (ACPI 6.x §4.8: PM1 event and control blocks,
// PM timer, GPE0 block) in one port range, laid out as PmLayout says. Registers are 16 or 32 bits
// but any width at any offset works: an access is taken byte by byte against the register bytes
// it covers (a 32-bit read at 0x600 returns PM1_EN:PM1_STS), with the PM timer read once per access.
//
// SCI (IRQ 9, level): high while any PM1_STS bit is set with its PM1_EN bit, or any GPE0_STS bit
// with its GPE0_EN bit. TMR_STS is set each time the PM timer's bit 31 changes (every 2^31 ticks,
// exactly 10 min) — found lazily and, when TMR_EN is set, by Advance at NextDeadlineNs.
// PM1_CNT: SLP_EN with SLP_TYP = PmLayout.SlpTypS5 powers the VM off through IPowerControl; the
// other sleep types have no \_Sx package in our DSDT, so a write of them is counted and ignored.
using System;
using Hv.Devices.Platform;

namespace Hv.Devices.Acpi
{
    public sealed class AcpiPmDevice : IIoDevice, ITimedDevice
    {
        private const ulong NsPerSecond = 1_000_000_000;
        private const int TimerCarryShift = 31;
        private const Pm1Enable SciSources = Pm1Enable.Timer | Pm1Enable.Global | Pm1Enable.PowerButton | Pm1Enable.SleepButton | Pm1Enable.Rtc;

        private readonly IDeviceClock _clock;
        private readonly IIrqLines _irqs;
        private readonly IPowerControl _power;
        private readonly ulong _baseNs;
        private ushort _status;
        private ushort _enable;
        private ushort _control = (ushort)Pm1Control.SciEnable;
        private ushort _gpeStatus;
        private ushort _gpeEnable;
        private ulong _timerCarries;
        private ulong _lastTicks;
        private bool _sci;

        public AcpiPmDevice(IDeviceClock clock, IIrqLines irqs, IPowerControl power)
        {
            _clock = clock;
            _irqs = irqs;
            _power = power;
            _baseNs = clock.NowNs();
        }

        public ulong PowerOffRequests { get; private set; }
        /// <summary>SLP_EN writes with a sleep type other than S5 (ignored).</summary>
        public ulong IgnoredSleepRequests { get; private set; }

        /// <summary>PM timer ticks (3.579545 MHz) since the device was made; the register shows the low 32 bits.</summary>
        public ulong TicksAt(ulong nowNs) => nowNs <= _baseNs ? 0 : TickMath.ScaleDown(nowNs - _baseNs, PmLayout.PmTimerHz, NsPerSecond);

        /// <summary>The fixed power button was pressed (PWRBTN_STS; an SCI if PWRBTN_EN): a guest with ACPI shuts down cleanly.</summary>
        public void PressPowerButton()
        {
            _status |= (ushort)Pm1Status.PowerButton;
            UpdateSci();
        }

        /// <summary>A general-purpose event 0-15 happened (for future devices: hot-plug, virtio wake).</summary>
        public void RaiseGpe(int gpe)
        {
            if ((uint)gpe >= PmLayout.Gpe0Count)
                return;
            _gpeStatus |= (ushort)(1 << gpe);
            UpdateSci();
        }

        public void Read(ulong offset, Span<byte> data)
        {
            ulong ticks = CatchUp(_clock.NowNs());
            for (int i = 0; i < data.Length; i++)
                data[i] = ReadByte(offset + (ulong)i, (uint)ticks);
        }

        public void Write(ulong offset, ReadOnlySpan<byte> data)
        {
            CatchUp(_clock.NowNs());
            for (int i = 0; i < data.Length; i++)
                WriteByte(offset + (ulong)i, data[i]);
            UpdateSci();
        }

        public void Advance(ulong nowNs) => CatchUp(nowNs);

        public ulong NextDeadlineNs
        {
            get
            {
                if (_sci || (_enable & (ushort)Pm1Enable.Timer) == 0)
                    return Deadline.None;
                ulong tick = (_timerCarries + 1) << TimerCarryShift;
                return _baseNs + TickMath.ScaleUp(tick, NsPerSecond, PmLayout.PmTimerHz);
            }
        }

        /// <summary>Sets TMR_STS if bit 31 changed since the last look; returns the tick count now.</summary>
        private ulong CatchUp(ulong nowNs)
        {
            ulong ticks = TicksAt(nowNs);
            if (ticks < _lastTicks)
                ticks = _lastTicks;                                   // a stale "now" from Advance
            _lastTicks = ticks;
            ulong carries = ticks >> TimerCarryShift;
            if (carries != _timerCarries)
            {
                _timerCarries = carries;
                _status |= (ushort)Pm1Status.Timer;
                UpdateSci();
            }
            return ticks;
        }

        private byte ReadByte(ulong offset, uint timer)
        {
            if (offset >= PmLayout.PmTimerOffset && offset < PmLayout.PmTimerOffset + PmLayout.PmTimerLength)
                return (byte)(timer >> (int)(8 * (offset - PmLayout.PmTimerOffset)));
            switch (offset)
            {
                case PmLayout.Pm1StatusOffset: return (byte)_status;
                case PmLayout.Pm1StatusOffset + 1: return (byte)(_status >> 8);
                case PmLayout.Pm1EnableOffset: return (byte)_enable;
                case PmLayout.Pm1EnableOffset + 1: return (byte)(_enable >> 8);
                case PmLayout.Pm1ControlOffset: return (byte)_control;
                case PmLayout.Pm1ControlOffset + 1: return (byte)(_control >> 8);
                case PmLayout.Gpe0StatusOffset: return (byte)_gpeStatus;
                case PmLayout.Gpe0StatusOffset + 1: return (byte)(_gpeStatus >> 8);
                case PmLayout.Gpe0EnableOffset: return (byte)_gpeEnable;
                case PmLayout.Gpe0EnableOffset + 1: return (byte)(_gpeEnable >> 8);
                default: return 0xFF;                                 // between the blocks: nothing decodes
            }
        }

        private void WriteByte(ulong offset, byte value)
        {
            switch (offset)
            {
                case PmLayout.Pm1StatusOffset: _status &= (ushort)~value; return;
                case PmLayout.Pm1StatusOffset + 1: _status &= (ushort)~(value << 8); return;
                case PmLayout.Pm1EnableOffset: _enable = Merge(_enable, value, 0, (ushort)Pm1Enable.Writable); return;
                case PmLayout.Pm1EnableOffset + 1: _enable = Merge(_enable, value, 8, (ushort)Pm1Enable.Writable); return;
                case PmLayout.Pm1ControlOffset: WriteControl(Merge(_control, value, 0, 0xFFFF)); return;
                case PmLayout.Pm1ControlOffset + 1: WriteControl(Merge(_control, value, 8, 0xFFFF)); return;
                case PmLayout.Gpe0StatusOffset: _gpeStatus &= (ushort)~value; return;
                case PmLayout.Gpe0StatusOffset + 1: _gpeStatus &= (ushort)~(value << 8); return;
                case PmLayout.Gpe0EnableOffset: _gpeEnable = Merge(_gpeEnable, value, 0, 0xFFFF); return;
                case PmLayout.Gpe0EnableOffset + 1: _gpeEnable = Merge(_gpeEnable, value, 8, 0xFFFF); return;
                default: return;                                      // the PM timer is read-only
            }
        }

        /// <summary>PM1_CNT with one byte replaced; SLP_TYP and SLP_EN share the high byte, so one byte write carries both.</summary>
        private void WriteControl(ushort written)
        {
            _control = (ushort)((written & (ushort)Pm1Control.Stored) | (ushort)Pm1Control.SciEnable);
            if ((written & (ushort)Pm1Control.SleepEnable) == 0)
                return;
            int type = (written & (ushort)Pm1Control.SleepTypeMask) >> PmBits.SleepTypeShift;
            if (type != PmLayout.SlpTypS5)
            {
                IgnoredSleepRequests++;
                return;
            }
            PowerOffRequests++;
            _power.PowerOff();
        }

        private static ushort Merge(ushort old, byte value, int shift, ushort writable)
        {
            ushort mask = (ushort)(0xFF << shift & writable);
            return (ushort)((old & ~mask) | (value << shift & mask));
        }

        private void UpdateSci()
        {
            // Status and enable bits share positions, except PCIEXP_WAKE_DIS (inverted) and WAK_STS (no enable).
            bool sci = (_status & _enable & (ushort)SciSources) != 0 || (_gpeStatus & _gpeEnable) != 0;
            if (sci == _sci)
                return;
            _sci = sci;
            _irqs.SetLevel(PmLayout.SciIrq, sci);
        }
    }
}
