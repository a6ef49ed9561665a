// The guest's RTC and CMOS RAM at ports 0x70 (index) and 0x71 (data): a Motorola MC146818A
// (datasheet: "MC146818A Real-Time Clock Plus RAM") as PCs have it, with 128 bytes: 14 clock
// registers and 114 bytes of NVRAM in the IBM PC/AT layout. Bit 7 of the index port is the NMI
// mask of the PC chipset, not part of the index: it is remembered (NmiDisabled) and ignored.
//
// Split by concern: this file has the ports and the register dispatch, Mc146818Rtc.Clock.cs the
// time keeping (the guest's time as an offset from the VM clock, BCD/binary, 12/24 h, SET),
// Mc146818Rtc.Interrupts.cs the flags of register C, IRQ 8 and the deadline, Cmos.cs the NVRAM
// contents a PC BIOS would leave.
using System;
using Hv.Devices.Platform;

namespace Hv.Devices.Rtc
{
    public sealed partial class Mc146818Rtc : IIoDevice, ITimedDevice
    {
        public const ushort BasePort = 0x70;
        public const ushort PortCount = 2;
        public const int Irq = 8;
        private const byte IndexMask = 0x7F;
        private const byte NmiDisableBit = 0x80;
        /// <summary>What register A holds at reset: 32.768 kHz time base, 1024 Hz periodic rate (PC BIOS value).</summary>
        public const byte DefaultRegisterA = 0x26;
        /// <summary>Register B at reset: 24-hour, BCD (what Linux's rtc-cmos expects a PC BIOS to leave).</summary>
        public const byte DefaultRegisterB = (byte)RtcRegisterB.Hours24;

        private readonly IDeviceClock _clock;
        private readonly IIrqLines _irqs;
        private readonly byte[] _cmos = new byte[128];
        private byte _index;
        private ulong _lastNow;

        public Mc146818Rtc(IDeviceClock clock, IIrqLines irqs, IWallClock wallClock)
        {
            _clock = clock;
            _irqs = irqs;
            ulong now = clock.NowNs();
            _lastNow = now;
            _cmos[(int)CmosIndex.RegisterA] = DefaultRegisterA;
            _cmos[(int)CmosIndex.RegisterB] = DefaultRegisterB;
            StartClock(now, wallClock.UnixSeconds());
            InitNvram();
        }

        /// <summary>Bit 7 of the last index written to port 0x70 (the chipset's NMI mask; nothing here raises NMIs).</summary>
        public bool NmiDisabled { get; private set; }

        public void Read(ulong offset, Span<byte> data)
        {
            ulong now = Now();
            for (int i = 0; i < data.Length; i++)
            {
                ulong port = offset + (ulong)i;
                // Port 0x70 is write-only on a PC: it reads as an undriven bus.
                data[i] = port == 1 ? ReadRegister(_index, now) : (byte)0xFF;
            }
        }

        public void Write(ulong offset, ReadOnlySpan<byte> data)
        {
            ulong now = Now();
            for (int i = 0; i < data.Length; i++)
            {
                ulong port = offset + (ulong)i;
                if (port == 0)
                {
                    _index = (byte)(data[i] & IndexMask);
                    NmiDisabled = (data[i] & NmiDisableBit) != 0;
                }
                else if (port == 1)
                {
                    WriteRegister(_index, data[i], now);
                }
            }
        }

        private byte ReadRegister(int index, ulong now)
        {
            CatchUp(now);
            switch ((CmosIndex)index)
            {
                case CmosIndex.RegisterA:
                    return (byte)(_cmos[index] | (UpdateInProgress(now) ? (int)RtcRegisterA.UpdateInProgress : 0));
                case CmosIndex.RegisterC:
                    return ReadAndClearFlags();
                case CmosIndex.RegisterD:
                    return (byte)RtcRegisterD.ValidRamAndTime;
            }
            if (IsTimeRegister(index))
                RefreshTimeRegisters(now);
            return _cmos[index];
        }

        private void WriteRegister(int index, byte value, ulong now)
        {
            CatchUp(now);
            switch ((CmosIndex)index)
            {
                case CmosIndex.RegisterA:
                    WriteRegisterA(value, now);
                    return;
                case CmosIndex.RegisterB:
                    WriteRegisterB(value, now);
                    return;
                case CmosIndex.RegisterC:
                case CmosIndex.RegisterD:
                    return;                                           // read-only
            }
            if (IsTimeRegister(index))
            {
                WriteTimeRegister(index, value, now);
                return;
            }
            _cmos[index] = value;                                    // alarms and NVRAM
        }

        /// <summary>The VM clock, never going backwards (Advance may pass a time read before the last access's).</summary>
        private ulong Now() => Now(_clock.NowNs());

        private ulong Now(ulong t)
        {
            if (t > _lastNow)
                _lastNow = t;
            return _lastNow;
        }
    }
}
