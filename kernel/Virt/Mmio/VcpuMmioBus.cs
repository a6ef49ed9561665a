// MMIO as one vCPU sees it, as the emulator's IMmioBus: the vCPU's own LAPIC page first, then the VM's
// MMIO DeviceBus (Vcpu.MmioRead/MmioWrite); unclaimed accesses (no device there: reads all-ones, writes
// dropped, issue 4 item 7) are counted in that vCPU's ExitCounters.
using System;

namespace Hv.Virt.Mmio
{
    public sealed class VcpuMmioBus : IMmioBus
    {
        private readonly Vcpu _vcpu;
        private readonly ExitCounters _counters;

        public VcpuMmioBus(Vcpu vcpu)
        {
            _vcpu = vcpu;
            _counters = vcpu.Counters;
        }

        public ulong Read(ulong gpa, int size)
        {
            Span<byte> data = stackalloc byte[8];
            data = data.Slice(0, Width(size));
            if (!_vcpu.MmioRead(gpa, data))
                _counters.UnclaimedMmioReads++;
            return Bytes.Load(data);
        }

        public void Write(ulong gpa, int size, ulong value)
        {
            Span<byte> data = stackalloc byte[8];
            data = data.Slice(0, Width(size));
            Bytes.Store(data, value);
            if (!_vcpu.MmioWrite(gpa, data))
                _counters.UnclaimedMmioWrites++;
        }

        /// <summary>1, 2, 4 or 8; anything else (never sent by the emulator) is clamped into 1-8.</summary>
        private static int Width(int size) => size < 1 ? 1 : size > 8 ? 8 : size;
    }
}
