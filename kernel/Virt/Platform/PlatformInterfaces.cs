// What the VM's platform glue (VmPlatform) needs from the device models, as small interfaces, so the
// glue is tested on the host with fakes and the models (kernel/Devices) know nothing of the VM.
using Hv.Devices.Platform;

namespace Hv.Virt.Platform
{
    /// <summary>A local APIC as the APIC bus sees it (any thread may call these).</summary>
    public interface IApicEndpoint
    {
        /// <summary>Does this LAPIC take <paramref name="message"/> (physical/logical destination, SDM Vol. 3A §11.6.2)? Shorthands are the bus's job.</summary>
        bool MatchesDestination(in ApicMessage message);

        /// <summary>The APIC ID (shorthand Self / AllExcludingSelf compare it with the sender's).</summary>
        uint ApicId { get; }

        /// <summary>Posts the message (IRR, NMI, INIT, SIPI, ExtINT); lock-free.</summary>
        void Accept(in ApicMessage message);
    }

    /// <summary>The 8259 pair as the router and the vCPU see it (called with the platform lock held).</summary>
    public interface IPicController
    {
        void SetIrq(int irq, bool high);

        /// <summary>INTR: an unmasked request is waiting for an INTA cycle.</summary>
        bool HasInterrupt { get; }

        /// <summary>The INTA cycle: the vector to deliver (IRQ7/15 spurious vectors included).</summary>
        byte Acknowledge();
    }

    /// <summary>The IOAPIC as the router and the APIC bus see it (called with the platform lock held).</summary>
    public interface IIoapicController
    {
        void SetPin(int pin, bool high);

        /// <summary>A LAPIC's EOI for a level-triggered vector (clears Remote IRR, re-delivers a still-asserted pin).</summary>
        void Eoi(byte vector);
    }

    /// <summary>Makes a vCPU notice a posted event: wakes its thread when halted, forces an exit when it is in the guest.</summary>
    public interface IVcpuKicker
    {
        void Kick(int vcpuIndex);
    }
}
