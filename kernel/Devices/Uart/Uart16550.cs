// A 16550A UART (PC16550D datasheet) as a PC's COM port: 8 registers, 16-byte receive FIFO, an
// IRQ gated by MCR.OUT2. Transmission is instant: a byte written to THR goes to IUartOutput at
// once, so THR and the transmitter are always empty (LSR reads 0x60 when idle) and the THRE
// interrupt is re-armed by every write. What Linux's 8250 driver tests, it gets:
//  - autoconfig: IER bits 7:4 read 0; loopback MCR 0x1A gives MSR 0x90; no EFR behind LCR 0xBF
//    (offset 2 still reads IIR there); IIR bits 7:6 = 11 after FCR enables the FIFOs -> 16550A;
//    the loopback FIFO-size count finds 16 bytes.
//  - the THRE "bug" tests: setting IER.ETBEI with THR empty raises THRE (also after 1-0-1),
//    reading IIR while THRE is the identified source clears it, writing THR clears it.
// Receive: Receive(byte) from the hypervisor's console; false when the FIFO (1 byte with FIFOs
// off) is full, so the caller keeps the byte. A FIFO below its trigger level reports the
// character-timeout interrupt at once instead of after four character times.
using System;
using Hv.Devices.Platform;

namespace Hv.Devices.Uart
{
    public sealed class Uart16550 : IIoDevice
    {
        public const ushort Com1Port = 0x3F8;
        public const int Com1Irq = 4;
        public const ushort Com2Port = 0x2F8;
        public const int Com2Irq = 3;
        public const ushort PortCount = 8;
        public const int FifoSize = 16;
        /// <summary>MSR with nothing in loopback: a modem that is there and ready (CTS, DSR, DCD), so flow control lets Linux send.</summary>
        public const byte IdleModemLines = (byte)(UartMsr.Cts | UartMsr.Dsr | UartMsr.Dcd);

        private readonly IIrqLines _irqs;
        private readonly int _irq;
        private readonly IUartOutput _output;
        private readonly byte[] _rx = new byte[FifoSize];
        private int _rxHead, _rxCount;
        private byte _lastRx;
        private byte _ier, _lcr, _mcr, _scr;
        private byte _dll = 0x0C, _dlm;                               // 9600 baud at 1.8432 MHz, a BIOS default
        private bool _fifoEnabled;
        private int _trigger = 1;
        private byte _lineErrors;
        private bool _thrInterrupt;
        private byte _modemLines = IdleModemLines;
        private byte _modemDeltas;
        private bool _irqLine;

        public Uart16550(IIrqLines irqs, int irq, IUartOutput output)
        {
            _irqs = irqs;
            _irq = irq;
            _output = output;
        }

        public ulong BytesTransmitted { get; private set; }
        public ulong BytesReceived { get; private set; }
        public ulong Overruns { get; private set; }

        /// <summary>Whether Receive would take a byte now (FIFO not full, not in loopback).</summary>
        public bool CanReceive => !Loopback && _rxCount < Capacity;

        private bool Loopback => (_mcr & (byte)UartMcr.Loopback) != 0;
        private bool Dlab => (_lcr & (byte)UartLcr.DivisorLatchAccess) != 0;
        private int Capacity => _fifoEnabled ? FifoSize : 1;

        /// <summary>A byte from the outside world. False when the FIFO is full or the UART is in loopback (its input is disconnected).</summary>
        public bool Receive(byte value)
        {
            if (!CanReceive)
                return false;
            Push(value);
            BytesReceived++;
            UpdateIrq();
            return true;
        }

        public void Read(ulong offset, Span<byte> data)
        {
            // A wide access reaches an 8-bit device as consecutive byte cycles.
            for (int i = 0; i < data.Length; i++)
                data[i] = offset + (ulong)i < PortCount ? ReadRegister((UartRegister)(offset + (ulong)i)) : (byte)0xFF;
            UpdateIrq();
        }

        public void Write(ulong offset, ReadOnlySpan<byte> data)
        {
            for (int i = 0; i < data.Length; i++)
            {
                if (offset + (ulong)i < PortCount)
                    WriteRegister((UartRegister)(offset + (ulong)i), data[i]);
            }
            UpdateIrq();
        }

        private byte ReadRegister(UartRegister r)
        {
            switch (r)
            {
                case UartRegister.Data:
                    return Dlab ? _dll : Pop();
                case UartRegister.InterruptEnable:
                    return Dlab ? _dlm : _ier;
                case UartRegister.InterruptId:
                {
                    UartInterruptId id = Identify();
                    if (id == UartInterruptId.TransmitterEmpty)
                        _thrInterrupt = false;                        // reading IIR acknowledges THRE
                    return (byte)((byte)id | (_fifoEnabled ? (byte)UartIir.FifosEnabled : 0));
                }
                case UartRegister.LineControl:
                    return _lcr;
                case UartRegister.ModemControl:
                    return _mcr;
                case UartRegister.LineStatus:
                {
                    byte lsr = (byte)((byte)(UartLsr.TransmitHoldingEmpty | UartLsr.TransmitterEmpty) | _lineErrors);
                    if (_rxCount > 0)
                        lsr |= (byte)UartLsr.DataReady;
                    _lineErrors = 0;                                  // error bits clear on read
                    return lsr;
                }
                case UartRegister.ModemStatus:
                {
                    byte msr = (byte)(_modemLines | _modemDeltas);
                    _modemDeltas = 0;
                    return msr;
                }
                default:
                    return _scr;
            }
        }

        private void WriteRegister(UartRegister r, byte value)
        {
            switch (r)
            {
                case UartRegister.Data:
                    if (Dlab)
                        _dll = value;
                    else
                        Transmit(value);
                    return;
                case UartRegister.InterruptEnable:
                    if (Dlab)
                    {
                        _dlm = value;
                        return;
                    }
                    byte ier = (byte)(value & (byte)UartIer.Implemented);
                    // Enabling ETBEI while THR is empty (always, here) raises THRE: Linux's 8250 probe checks this.
                    if ((ier & ~_ier & (byte)UartIer.TransmitterEmpty) != 0)
                        _thrInterrupt = true;
                    _ier = ier;
                    return;
                case UartRegister.InterruptId:
                    WriteFifoControl(value);
                    return;
                case UartRegister.LineControl:
                    _lcr = value;
                    return;
                case UartRegister.ModemControl:
                    _mcr = (byte)(value & (byte)UartMcr.Implemented);
                    SetModemLines(Loopback ? LoopedModemLines(_mcr) : IdleModemLines);
                    return;
                case UartRegister.Scratch:
                    _scr = value;
                    return;
                default:
                    return;                                           // LSR and MSR: factory test, ignored
            }
        }

        private void Transmit(byte value)
        {
            BytesTransmitted++;
            if (Loopback)
            {
                // Loopback: the transmitter feeds the receiver; a full FIFO loses the byte (overrun).
                if (_rxCount < Capacity)
                    Push(value);
                else
                    SetOverrun();
            }
            else
            {
                _output.Write(value);
            }
            _thrInterrupt = true;                                     // THR emptied again at once
        }

        private void WriteFifoControl(byte value)
        {
            bool enable = (value & (byte)UartFcr.Enable) != 0;
            // Changing FIFO enable clears the FIFOs; with it clear the other bits are not programmed.
            if (enable != _fifoEnabled || (enable && (value & (byte)UartFcr.ClearReceive) != 0))
                ClearReceive();
            _fifoEnabled = enable;
            if (!enable)
                return;
            switch (value >> 6)
            {
                case 0: _trigger = 1; break;
                case 1: _trigger = 4; break;
                case 2: _trigger = 8; break;
                default: _trigger = 14; break;
            }
        }

        /// <summary>The pending interrupt of highest priority among the enabled ones (PC16550D table "Interrupt Control Functions").</summary>
        private UartInterruptId Identify()
        {
            if ((_ier & (byte)UartIer.LineStatus) != 0 && _lineErrors != 0)
                return UartInterruptId.LineStatus;
            if ((_ier & (byte)UartIer.ReceivedData) != 0 && _rxCount > 0)
                return _fifoEnabled && _rxCount < _trigger ? UartInterruptId.CharacterTimeout : UartInterruptId.ReceivedData;
            if ((_ier & (byte)UartIer.TransmitterEmpty) != 0 && _thrInterrupt)
                return UartInterruptId.TransmitterEmpty;
            if ((_ier & (byte)UartIer.ModemStatus) != 0 && _modemDeltas != 0)
                return UartInterruptId.ModemStatus;
            return UartInterruptId.None;
        }

        /// <summary>The IRQ pin as the ISA bus sees it: a pending interrupt, OUT2 set, not in loopback (where OUT2 is held inactive).</summary>
        private void UpdateIrq()
        {
            bool level = Identify() != UartInterruptId.None && (_mcr & (byte)UartMcr.Out2) != 0 && !Loopback;
            if (level == _irqLine)
                return;
            _irqLine = level;
            _irqs.SetLevel(_irq, level);
        }

        /// <summary>Loopback wiring: CTS = RTS, DSR = DTR, RI = OUT1, DCD = OUT2.</summary>
        private static byte LoopedModemLines(byte mcr)
        {
            int lines = 0;
            if ((mcr & (byte)UartMcr.Rts) != 0) lines |= (int)UartMsr.Cts;
            if ((mcr & (byte)UartMcr.Dtr) != 0) lines |= (int)UartMsr.Dsr;
            if ((mcr & (byte)UartMcr.Out1) != 0) lines |= (int)UartMsr.Ri;
            if ((mcr & (byte)UartMcr.Out2) != 0) lines |= (int)UartMsr.Dcd;
            return (byte)lines;
        }

        private void SetModemLines(byte lines)
        {
            int changed = lines ^ _modemLines;
            int deltas = 0;
            if ((changed & (int)UartMsr.Cts) != 0) deltas |= (int)UartMsr.DeltaCts;
            if ((changed & (int)UartMsr.Dsr) != 0) deltas |= (int)UartMsr.DeltaDsr;
            if ((changed & (int)UartMsr.Dcd) != 0) deltas |= (int)UartMsr.DeltaDcd;
            if ((_modemLines & ~lines & (int)UartMsr.Ri) != 0) deltas |= (int)UartMsr.TrailingEdgeRi;
            _modemDeltas |= (byte)deltas;
            _modemLines = lines;
        }

        private void Push(byte value)
        {
            _rx[(_rxHead + _rxCount) % FifoSize] = value;
            _rxCount++;
        }

        private byte Pop()
        {
            if (_rxCount == 0)
                return _lastRx;                                       // RBR keeps the last character
            _lastRx = _rx[_rxHead];
            _rxHead = (_rxHead + 1) % FifoSize;
            _rxCount--;
            return _lastRx;
        }

        private void ClearReceive()
        {
            _rxHead = 0;
            _rxCount = 0;
        }

        private void SetOverrun()
        {
            _lineErrors |= (byte)UartLsr.Overrun;
            Overruns++;
        }
    }
}
