// One Intel 8259A programmable interrupt controller: its two ports (A0 = 0 command, A0 = 1 data)
// and the initialisation sequence ICW1..ICW4 (8259A datasheet, "Programming the 8259A"). Priority
// resolution, INTA and EOI are in Pic8259.Priority.cs; the master/slave pair with the cascade and
// the output to the CPU is PicPair. The VM calls it with the platform lock held.
using System;

namespace Hv.Devices.Pic
{
    public sealed partial class Pic8259 : IIoDevice
    {
        private const int CommandPort = 0, DataPort = 1;
        private const int Operational = 0, ExpectIcw2 = 2, ExpectIcw3 = 3, ExpectIcw4 = 4;

        private readonly PicPair _pair;
        private readonly bool _isMaster;
        private readonly byte _powerOnVectorBase;

        private byte _edgeLatch;
        private byte _lines;
        private byte _isr;
        private byte _imr;
        private byte _elcr;
        private byte _forcedLevel;
        private byte _vectorBase;
        private byte _icw3;
        private int _lowestPriority;
        private int _initStep;
        private bool _icw4Needed;
        private bool _single;
        private bool _levelTriggeredAll;
        private bool _autoEoi;
        private bool _rotateOnAutoEoi;
        private bool _specialFullyNested;
        private bool _specialMask;
        private bool _readIsr;
        private bool _pollPending;

        internal Pic8259(PicPair pair, bool isMaster, byte powerOnVectorBase, byte forcedLevel)
        {
            _pair = pair;
            _isMaster = isMaster;
            _powerOnVectorBase = powerOnVectorBase;
            _forcedLevel = forcedLevel;
            Reset();
        }

        /// <summary>
        /// Power-on state. The datasheet leaves it undefined until ICW1; this is what a PC BIOS leaves
        /// behind (vectors 0x08 / 0x70, cascade on IR2, 8086 mode) but with every input masked, so
        /// nothing reaches a guest before it programs the chips itself.
        /// </summary>
        internal void Reset()
        {
            _edgeLatch = 0;
            _isr = 0;
            _imr = 0xFF;
            _elcr = 0;
            _vectorBase = _powerOnVectorBase;
            _icw3 = _isMaster ? (byte)(1 << PicPair.CascadeIrq) : (byte)PicPair.CascadeIrq;
            _lowestPriority = 7;
            _initStep = Operational;
            _icw4Needed = false;
            _single = false;
            _levelTriggeredAll = false;
            _autoEoi = false;
            _rotateOnAutoEoi = false;
            _specialFullyNested = false;
            _specialMask = false;
            _readIsr = false;
            _pollPending = false;
        }

        /// <summary>IRR as OCW3 reads it: edge latches for edge inputs, the line itself for level inputs.</summary>
        public byte Irr => (byte)((_edgeLatch & ~LevelMask) | (_lines & LevelMask));
        public byte Isr => _isr;
        public byte Imr => _imr;
        /// <summary>ICW2[7:3]: the vector of IR n is VectorBase + n.</summary>
        public byte VectorBase => _vectorBase;
        /// <summary>The edge/level control register of this chip (port 0x4D0 / 0x4D1).</summary>
        public byte Elcr => _elcr;
        /// <summary>ICW4 automatic EOI.</summary>
        public bool AutoEoi => _autoEoi;
        /// <summary>ICW1 SNGL: no slave on this chip.</summary>
        public bool SingleMode => _single;

        private byte LevelMask => _levelTriggeredAll ? (byte)0xFF : (byte)(_elcr | _forcedLevel);

        /// <summary>Drives input IR<paramref name="irq"/> (0-7). A rising edge latches a request; a level input requests while high.</summary>
        internal void SetInput(int irq, bool high)
        {
            byte bit = (byte)(1 << (irq & 7));
            if (high && (_lines & bit) == 0)
                _edgeLatch |= bit;
            if (high)
                _lines |= bit;
            else
                _lines &= (byte)~bit;
        }

        internal void SetElcr(byte value) => _elcr = value;

        public void Read(ulong offset, Span<byte> data)
        {
            for (int i = 0; i < data.Length; i++)
                data[i] = ReadPort((int)((offset + (ulong)i) & 1));
            _pair.Update();
        }

        public void Write(ulong offset, ReadOnlySpan<byte> data)
        {
            for (int i = 0; i < data.Length; i++)
                WritePort((int)((offset + (ulong)i) & 1), data[i]);
            _pair.Update();
        }

        private byte ReadPort(int port)
        {
            if (_pollPending)
            {
                _pollPending = false;                                    // the next RD pulse after a poll command
                return Poll();
            }
            if (port == DataPort)
                return _imr;
            return _readIsr ? _isr : Irr;
        }

        private void WritePort(int port, byte value)
        {
            if (port == CommandPort)
            {
                if ((value & (byte)Icw1.Select) != 0)
                    StartInitialization(value);
                else if ((value & (byte)Ocw3.Select) != 0)
                    WriteOcw3(value);
                else
                    WriteOcw2(value);
                return;
            }
            switch (_initStep)
            {
                case ExpectIcw2:
                    _vectorBase = (byte)(value & 0xF8);
                    _initStep = !_single ? ExpectIcw3 : _icw4Needed ? ExpectIcw4 : Operational;
                    break;
                case ExpectIcw3:
                    _icw3 = value;
                    _initStep = _icw4Needed ? ExpectIcw4 : Operational;
                    break;
                case ExpectIcw4:
                    _autoEoi = (value & (byte)Icw4.AutoEoi) != 0;
                    _specialFullyNested = (value & (byte)Icw4.SpecialFullyNested) != 0;
                    _initStep = Operational;
                    break;
                default:
                    _imr = value;                                        // OCW1
                    break;
            }
        }

        /// <summary>
        /// ICW1 (datasheet): the edge-sense latches reset (a request needs a new rising edge), IMR cleared,
        /// IR7 lowest priority, special mask mode off, status reads select the IRR, and without IC4 every
        /// ICW4 function is zero. The ISR is cleared as well (the datasheet is silent; software
        /// re-initialising a chip expects nothing left in service).
        /// </summary>
        private void StartInitialization(byte icw1)
        {
            _icw4Needed = (icw1 & (byte)Icw1.Icw4Needed) != 0;
            _single = (icw1 & (byte)Icw1.Single) != 0;
            _levelTriggeredAll = (icw1 & (byte)Icw1.LevelTriggered) != 0;
            _edgeLatch = 0;
            _isr = 0;
            _imr = 0;
            _lowestPriority = 7;
            _specialMask = false;
            _readIsr = false;
            _pollPending = false;
            _autoEoi = false;
            _rotateOnAutoEoi = false;
            _specialFullyNested = false;
            _initStep = ExpectIcw2;
        }

        private void WriteOcw3(byte value)
        {
            if ((value & (byte)Ocw3.Poll) != 0)
                _pollPending = true;
            if ((value & (byte)Ocw3.ReadRegister) != 0)
                _readIsr = (value & (byte)Ocw3.ReadIsr) != 0;
            if ((value & (byte)Ocw3.EnableSpecialMask) != 0)
                _specialMask = (value & (byte)Ocw3.SpecialMask) != 0;
        }
    }
}
