// The VM's MMIO DeviceBus as the emulator's IMmioBus, for one vCPU: unclaimed accesses (no device
// there: reads all-ones, writes dropped, issue 4 item 7) are counted in that vCPU's ExitCounters.
using System;

namespace Hv.Virt.Mmio
{
    public sealed class VcpuMmioBus : IMmioBus
    {
        private readonly DeviceBus _bus;
        private readonly ExitCounters _counters;

        public VcpuMmioBus(DeviceBus bus, ExitCounters counters)
        {
            _bus = bus;
            _counters = counters;
        }

        public ulong Read(ulong gpa, int size)
        {
            Span<byte> data = stackalloc byte[8];
            data = data.Slice(0, Width(size));
            if (!_bus.Read(gpa, data))
                _counters.UnclaimedMmioReads++;
            return Bytes.Load(data);
        }

        public void Write(ulong gpa, int size, ulong value)
        {
            Span<byte> data = stackalloc byte[8];
            data = data.Slice(0, Width(size));
            Bytes.Store(data, value);
            if (!_bus.Write(gpa, data))
                _counters.UnclaimedMmioWrites++;
        }

        /// <summary>1, 2, 4 or 8; anything else (never sent by the emulator) is clamped into 1-8.</summary>
        private static int Width(int size) => size < 1 ? 1 : size > 8 ? 8 : size;
    }
}
