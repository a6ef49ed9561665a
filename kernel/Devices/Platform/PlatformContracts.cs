// The contracts between the guest platform's device models (issue 5): time, interrupt lines and
// APIC messages. The VM assembles the models (kernel/Virt/Platform) and implements the routing;
// each model sees only these interfaces, so host tests drive it with fakes.
//
// Concurrency (one rule for all models): the shared devices of a VM (IOAPIC, PIC, PIT, RTC, PM,
// UART, PCI host bridge) are only ever called with the VM's platform lock held by the caller, so
// they need no lock of their own. A virtual LAPIC belongs to one vCPU: its registers, its timer and
// its delivery to the vCPU are used on that vCPU's thread only, except Accept (an incoming APIC
// message), which any thread may call at any time and which therefore only touches state with
// Interlocked operations.
namespace Hv.Devices.Platform
{
    /// <summary>The VM's clock for device models: nanoseconds, monotonic, from the host TSC. Fake in tests.</summary>
    public interface IDeviceClock
    {
        ulong NowNs();
    }

    /// <summary>
    /// A model with time-driven behaviour (PIT, RTC, UART transmit pacing, LAPIC timer). It is polled,
    /// never called back: Advance(now) before guest entries and when a halted vCPU's deadline passes.
    /// </summary>
    public interface ITimedDevice
    {
        /// <summary>Does everything due at or before <paramref name="nowNs"/> (raise IRQs, count down).</summary>
        void Advance(ulong nowNs);

        /// <summary>When Advance has something to do next, or <see cref="Deadline.None"/>.</summary>
        ulong NextDeadlineNs { get; }
    }

    public static class Deadline
    {
        public const ulong None = ulong.MaxValue;
    }

    /// <summary>
    /// The platform's interrupt lines (ISA IRQs / IOAPIC GSIs), implemented by the VM's IRQ router,
    /// which feeds both the 8259 pair (IRQ 0-15) and the IOAPIC (GSI 0-23, with ISA IRQ 0 on GSI 2
    /// as the MADT's interrupt source override says). An edge device pulses: high, then low.
    /// </summary>
    public interface IIrqLines
    {
        void SetLevel(int irq, bool high);
    }

    /// <summary>Delivery mode of an APIC message (SDM Vol. 3A §11.6.1, ICR bits 10:8; IOAPIC redirection entry bits 10:8).</summary>
    public enum ApicDeliveryMode : byte
    {
        Fixed = 0, LowestPriority = 1, Smi = 2, Nmi = 4, Init = 5, StartUp = 6, ExtInt = 7,
    }

    /// <summary>ICR destination shorthand (SDM Vol. 3A §11.6.1, bits 19:18).</summary>
    public enum ApicShorthand : byte { None = 0, Self = 1, AllIncludingSelf = 2, AllExcludingSelf = 3 }

    /// <summary>
    /// One interrupt message between APICs: an IPI from a LAPIC's ICR, an IOAPIC redirection, an MSI.
    /// Destination is the 8-bit xAPIC ID/logical mask or the 32-bit x2APIC one.
    /// </summary>
    public struct ApicMessage
    {
        public byte Vector;
        public ApicDeliveryMode Mode;
        public bool LogicalDestination;
        public uint Destination;
        public ApicShorthand Shorthand;
        /// <summary>Level-triggered (IOAPIC level pins: the LAPIC sets TMR and the EOI goes back to the IOAPIC).</summary>
        public bool LevelTriggered;
        /// <summary>INIT level de-assert (ICR level = 0, trigger = level) is ignored by modern CPUs.</summary>
        public bool Assert;
        /// <summary>APIC ID of the sender (shorthands Self / AllExcludingSelf); uint.MaxValue for the IOAPIC/MSI.</summary>
        public uint SourceApicId;
    }

    /// <summary>The VM's APIC bus: finds the target LAPICs of a message, posts it (LAPIC.Accept) and kicks their vCPUs.</summary>
    public interface IApicBus
    {
        void Send(in ApicMessage message);

        /// <summary>A LAPIC got an EOI for a level-triggered vector: the IOAPIC clears Remote IRR of the pins using it.</summary>
        void BroadcastEoi(byte vector);
    }
}
