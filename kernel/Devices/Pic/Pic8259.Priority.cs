// The 8259A's priority resolver, interrupt acknowledge and end of interrupt (8259A datasheet,
// "Interrupt Sequence", "Fully Nested Mode", "Rotating Priority", "Special Mask Mode", "Poll
// Command", "End of Interrupt"). Priority rotates: the IR after _lowestPriority is the highest.
namespace Hv.Devices.Pic
{
    public sealed partial class Pic8259
    {
        /// <summary>0 = highest priority.</summary>
        private int Priority(int irq) => (irq - _lowestPriority - 1) & 7;

        /// <summary>The IR with the best priority among <paramref name="bits"/>, or -1.</summary>
        private int Best(byte bits)
        {
            if (bits == 0)
                return -1;
            for (int p = 0; p < 8; p++)
            {
                int irq = (_lowestPriority + 1 + p) & 7;
                if ((bits & (1 << irq)) != 0)
                    return irq;
            }
            return -1;
        }

        /// <summary>
        /// The request the chip would present now, or -1: the best unmasked IRR bit, if its priority is
        /// above every in-service level. Special mask mode ignores in-service levels that are masked;
        /// special fully nested mode (master) lets its slave input through while the slave is in service.
        /// </summary>
        internal int PendingIrq()
        {
            int request = Best((byte)(Irr & ~_imr));
            if (request < 0)
                return -1;
            int inService = Best(_specialMask ? (byte)(_isr & ~_imr) : _isr);
            if (inService < 0)
                return request;
            int pr = Priority(request), ps = Priority(inService);
            if (pr < ps)
                return request;
            bool nestedSlave = _specialFullyNested && _isMaster && pr == ps && IsCascade(request);
            return nestedSlave ? request : -1;
        }

        /// <summary>INT output.</summary>
        public bool Output => PendingIrq() >= 0;

        /// <summary>The vector the chip answers when nothing is pending at INTA: IR7's (datasheet: the "default" IR7).</summary>
        internal byte SpuriousVector => (byte)(_vectorBase | 7);

        internal bool IsCascade(int irq) => _isMaster && !_single && (_icw3 & (1 << irq)) != 0;

        /// <summary>INTA for <paramref name="irq"/> (from PendingIrq): the edge latch resets, ISR is set unless auto-EOI (which may rotate).</summary>
        internal void AcknowledgeIrq(int irq)
        {
            byte bit = (byte)(1 << irq);
            _edgeLatch &= (byte)~bit;
            if (!_autoEoi)
                _isr |= bit;
            else if (_rotateOnAutoEoi)
                _lowestPriority = irq;
        }

        /// <summary>INTA on this chip: its vector, or the IR7 vector without any state change when nothing is pending.</summary>
        internal byte AcknowledgeVector()
        {
            int irq = PendingIrq();
            if (irq < 0)
                return SpuriousVector;
            AcknowledgeIrq(irq);
            return (byte)(_vectorBase | irq);
        }

        /// <summary>Poll command read: 1000_0www and the request acknowledged, or 0 when nothing is pending.</summary>
        private byte Poll()
        {
            int irq = PendingIrq();
            if (irq < 0)
                return 0;
            AcknowledgeIrq(irq);
            return (byte)(0x80 | irq);
        }

        private void WriteOcw2(byte value)
        {
            int level = value & 7;
            switch ((Ocw2Command)(value & 0xE0))
            {
                case Ocw2Command.NonSpecificEoi:
                    ClearHighestInService();
                    break;
                case Ocw2Command.RotateOnNonSpecificEoi:
                {
                    int irq = ClearHighestInService();
                    if (irq >= 0)
                        _lowestPriority = irq;
                    break;
                }
                case Ocw2Command.SpecificEoi:
                    _isr &= (byte)~(1 << level);
                    break;
                case Ocw2Command.RotateOnSpecificEoi:
                    _isr &= (byte)~(1 << level);
                    _lowestPriority = level;
                    break;
                case Ocw2Command.SetPriority:
                    _lowestPriority = level;
                    break;
                case Ocw2Command.RotateInAutoEoiSet:
                    _rotateOnAutoEoi = true;
                    break;
                case Ocw2Command.RotateInAutoEoiClear:
                    _rotateOnAutoEoi = false;
                    break;
            }
        }

        private int ClearHighestInService()
        {
            int irq = Best(_isr);
            if (irq >= 0)
                _isr &= (byte)~(1 << irq);
            return irq;
        }
    }
}
