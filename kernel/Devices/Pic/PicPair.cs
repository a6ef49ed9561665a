// The PC/AT pair of 8259As: master at ports 0x20-0x21 (IRQ 0-7), slave at 0xA0-0xA1 (IRQ 8-15)
// cascaded on the master's IR2, plus the PIIX/ICH edge/level control registers at 0x4D0-0x4D1.
// The master's INT is the CPU's INTR (through LAPIC LINT0 in virtual-wire mode, or an IOAPIC pin in
// ExtINT mode); the VM asks HasInterrupt and runs the INTA cycle with Acknowledge.
//
// Inputs: SetIrq(irq, level). Edge inputs latch a request on the rising edge and keep it until the
// INTA (the real 8259A drops a request whose line falls before INTA; the platform's edge devices
// pulse high-then-low at once, so latching is what makes them work). Level inputs (ELCR bit, or
// ICW1 LTIM) request while high. The cascade input is a level: the slave's INT as it is now.
// The VM calls everything with the platform lock held.
namespace Hv.Devices.Pic
{
    public sealed class PicPair
    {
        public const ushort MasterPort = 0x20;
        public const ushort SlavePort = 0xA0;
        public const ushort ElcrPort = 0x4D0;
        /// <summary>Each chip and the ELCR pair decode two ports.</summary>
        public const int PortCount = 2;
        public const int CascadeIrq = 2;
        public const int IrqCount = 16;

        private readonly IPicOutput _output;
        private bool _intr;

        /// <param name="output">Told when INTR changes (the VM kicks the vCPU that takes PIC interrupts); may be null.</param>
        public PicPair(IPicOutput output)
        {
            _output = output;
            Master = new Pic8259(this, true, 0x08, 1 << CascadeIrq);
            Slave = new Pic8259(this, false, 0x70, 0);
            Elcr = new ElcrDevice(this);
        }

        /// <summary>Ports 0x20-0x21.</summary>
        public Pic8259 Master { get; }
        /// <summary>Ports 0xA0-0xA1.</summary>
        public Pic8259 Slave { get; }
        /// <summary>Ports 0x4D0-0x4D1.</summary>
        public ElcrDevice Elcr { get; }

        /// <summary>INTR: the master has a request for the CPU.</summary>
        public bool HasInterrupt => _intr;

        /// <summary>Drives ISA IRQ <paramref name="irq"/> (0-15). IRQ 2 is the cascade and has no line of its own (ISA IRQ 2 devices sit on IRQ 9); others are ignored.</summary>
        public void SetIrq(int irq, bool high)
        {
            if ((uint)irq >= IrqCount || irq == CascadeIrq)
                return;
            if (irq < 8)
                Master.SetInput(irq, high);
            else
                Slave.SetInput(irq - 8, high);
            Update();
        }

        /// <summary>
        /// The INTA cycle: the vector the CPU takes. A cascaded request asks the slave for its vector.
        /// With nothing pending (the request went away) the chip answers its IR7 vector without setting
        /// ISR: the spurious IRQ 7 (or IRQ 15 from the slave, with the master's IR2 in service) that OSes
        /// expect from real 8259As.
        /// </summary>
        public byte Acknowledge()
        {
            int irq = Master.PendingIrq();
            byte vector;
            if (irq < 0)
                vector = Master.SpuriousVector;
            else
            {
                Master.AcknowledgeIrq(irq);
                vector = Master.IsCascade(irq) ? Slave.AcknowledgeVector() : (byte)(Master.VectorBase | irq);
            }
            Update();
            return vector;
        }

        /// <summary>Both chips to their power-on state (see Pic8259.Reset); input lines keep their levels.</summary>
        public void Reset()
        {
            Master.Reset();
            Slave.Reset();
            Update();
        }

        /// <summary>Recomputes the cascade line and INTR after any change, and reports an INTR change.</summary>
        internal void Update()
        {
            Master.SetInput(CascadeIrq, !Master.SingleMode && Slave.Output);
            bool intr = Master.Output;
            if (intr == _intr)
                return;
            _intr = intr;
            if (_output != null)
                _output.IntrChanged(intr);
        }
    }

    /// <summary>Where the PIC pair's INTR goes (the VM: kick the vCPU that takes ExtINT / virtual-wire interrupts).</summary>
    public interface IPicOutput
    {
        /// <summary>Called with the platform lock held; must not call back into the PIC.</summary>
        void IntrChanged(bool high);
    }
}
