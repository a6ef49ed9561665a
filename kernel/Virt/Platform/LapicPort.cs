// The virtual LAPIC model (kernel/Devices/Lapic) seen through the core's two views of it: the vCPU's
// interrupt controller (IVcpuInterruptController, used on the vCPU's thread) and an endpoint of the
// VM's APIC bus (IApicEndpoint, any thread). A thin adapter, so the model stays free of Virt types.
using System;
using Hv.Devices.Lapic;
using Hv.Devices.Platform;

namespace Hv.Virt.Platform
{
    public sealed class LapicPort : IVcpuInterruptController, IApicEndpoint
    {
        private readonly LocalApic _apic;

        public LapicPort(LocalApic apic) { _apic = apic; }

        public LocalApic Model => _apic;

        public bool TryGetInterrupt(out byte vector) => _apic.TryGetInterrupt(out vector);
        public void AcknowledgeInterrupt(byte vector) => _apic.AcknowledgeInterrupt(vector);
        public bool TakeNmi() => _apic.TakeNmi();
        public bool TakeInit() => _apic.TakeInit();
        public bool TakeSipi(out byte vector) => _apic.TakeSipi(out vector);
        public bool HasWakeSignal => _apic.NmiPending || _apic.InitPending || _apic.HasSipi || _apic.ExtIntPending;

        /// <summary>
        /// LINT0 in ExtINT mode (virtual wire), or an ExtINT message from the IOAPIC (virtual wire through
        /// the IOAPIC, SDM Vol. 3A §11.6.1): either way the vector comes from the PIC's INTA cycle. The
        /// message flag is left set: it only matters while the PIC has INTR up, and Linux uses that mode
        /// only while it probes how the timer is wired (check_timer).
        /// </summary>
        public bool AcceptsExtInt => _apic.AcceptsPicInterrupts || _apic.ExtIntPending;

        public void Advance(ulong nowNs) => _apic.Advance(nowNs);
        public ulong NextDeadlineNs => _apic.NextDeadlineNs;
        public ulong MmioBase => _apic.MmioEnabled ? _apic.BaseAddress : ulong.MaxValue;
        public void MmioRead(ulong offset, Span<byte> data) => _apic.Read(offset, data);
        public void MmioWrite(ulong offset, ReadOnlySpan<byte> data) => _apic.Write(offset, data);
        public bool OwnsMsr(uint msr) => LocalApic.OwnsMsr(msr);
        public bool ReadMsr(uint msr, out ulong value) => _apic.TryReadMsr(msr, out value);
        public bool WriteMsr(uint msr, ulong value) => _apic.TryWriteMsr(msr, value);

        public bool MatchesDestination(in ApicMessage message) => _apic.MatchesDestination(message);
        public uint ApicId => _apic.ApicId;
        public void Accept(in ApicMessage message) => _apic.Accept(message);
    }
}
