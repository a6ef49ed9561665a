// The vCPU's local interrupt controller as the core sees it: the virtual LAPIC (kernel/Devices/Lapic)
// when the VM has the PC platform (issue 5), nothing for the bare test guests of issue 4 (they use
// Vcpu.PostInterrupt and the halt test timer). Everything here is called on the vCPU's own thread;
// other threads reach the LAPIC only through the APIC bus (VmPlatform.Send -> Accept).
namespace Hv.Virt
{
    public interface IVcpuInterruptController
    {
        /// <summary>Highest pending fixed interrupt whose priority is above the processor priority (SDM Vol. 3A §11.8.3.1).</summary>
        bool TryGetInterrupt(out byte vector);

        /// <summary>The vCPU injected <paramref name="vector"/>: IRR -> ISR (the guest's INTA).</summary>
        void AcknowledgeInterrupt(byte vector);

        /// <summary>A pending NMI (delivery mode NMI, or LINT1 programmed as NMI); taken once.</summary>
        bool TakeNmi();

        /// <summary>A pending INIT (the vCPU resets to wait-for-SIPI); taken once.</summary>
        bool TakeInit();

        /// <summary>A pending start-up IPI's vector; taken once.</summary>
        bool TakeSipi(out byte vector);

        /// <summary>An NMI, INIT or SIPI is pending: it ends HLT even with IF = 0 (SDM Vol. 3A §9.4 / §6.7.1).</summary>
        bool HasWakeSignal { get; }

        /// <summary>LINT0 is unmasked in ExtINT mode: the 8259 PIC's INTR reaches this vCPU (virtual wire mode, SDM Vol. 3A §11.5.1).</summary>
        bool AcceptsExtInt { get; }

        /// <summary>Fires the LAPIC timer if due (ns of the VM's device clock).</summary>
        void Advance(ulong nowNs);

        /// <summary>The LAPIC timer's next expiry, or Hv.Devices.Platform.Deadline.None.</summary>
        ulong NextDeadlineNs { get; }

        /// <summary>The xAPIC register page's guest-physical base, or ulong.MaxValue when the xAPIC MMIO interface is off (disabled or x2APIC).</summary>
        ulong MmioBase { get; }

        void MmioRead(ulong offset, System.Span<byte> data);
        void MmioWrite(ulong offset, System.ReadOnlySpan<byte> data);

        /// <summary>True when <paramref name="msr"/> is the LAPIC's (IA32_APIC_BASE, TSC_DEADLINE, x2APIC 0x800-0x8FF).</summary>
        bool OwnsMsr(uint msr);

        /// <summary>RDMSR of an owned MSR; false = #GP.</summary>
        bool ReadMsr(uint msr, out ulong value);

        /// <summary>WRMSR of an owned MSR; false = #GP.</summary>
        bool WriteMsr(uint msr, ulong value);
    }
}
