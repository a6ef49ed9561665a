// The 8259 pair model seen as the platform's PIC (IPicController).
using Hv.Devices.Pic;

namespace Hv.Virt.Platform
{
    public sealed class PicPort : IPicController
    {
        private readonly PicPair _pair;

        public PicPort(PicPair pair) { _pair = pair; }

        public void SetIrq(int irq, bool high) => _pair.SetIrq(irq, high);
        public bool HasInterrupt => _pair.HasInterrupt;
        public byte Acknowledge() => _pair.Acknowledge();
    }

    /// <summary>The IOAPIC model seen as the platform's IOAPIC.</summary>
    public sealed class IoapicPort : IIoapicController
    {
        private readonly Hv.Devices.Ioapic.IoApic _ioapic;

        public IoapicPort(Hv.Devices.Ioapic.IoApic ioapic) { _ioapic = ioapic; }

        public void SetPin(int pin, bool high) => _ioapic.SetPin(pin, high);
        public void Eoi(byte vector) => _ioapic.Eoi(vector);
    }
}
