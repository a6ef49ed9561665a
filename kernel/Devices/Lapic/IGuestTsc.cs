// The guest's time-stamp counter, as the TSC-deadline timer needs it (SDM Vol. 3A §11.5.4.1: the
// timer fires when the guest's TSC reaches IA32_TSC_DEADLINE). The VM implements it from the host
// TSC and the guest's TSC offset; tests use a fake.
namespace Hv.Devices.Lapic
{
    public interface IGuestTsc
    {
        /// <summary>The guest's TSC now (what RDTSC returns in the guest).</summary>
        ulong Now();

        /// <summary>Guest TSC ticks per second (the invariant TSC rate CPUID reports to the guest).</summary>
        ulong TicksPerSecond { get; }
    }

    /// <summary>Guest TSC ticks to nanoseconds without 128-bit arithmetic, saturating instead of overflowing.</summary>
    public static class TscTime
    {
        private const ulong NsPerSecond = 1_000_000_000;
        /// <summary>Above 2^34 Hz (17 GHz) the remainder product could overflow: both sides are scaled down.</summary>
        private const ulong MaxExactHz = 1UL << 34;

        public static ulong TicksToNs(ulong ticks, ulong ticksPerSecond)
        {
            if (ticksPerSecond == 0)
                return ulong.MaxValue;
            while (ticksPerSecond > MaxExactHz)
            {
                ticksPerSecond >>= 1;
                ticks >>= 1;
            }
            ulong seconds = ticks / ticksPerSecond;
            if (seconds > ulong.MaxValue / NsPerSecond)
                return ulong.MaxValue;
            ulong whole = seconds * NsPerSecond;
            ulong part = ticks % ticksPerSecond * NsPerSecond / ticksPerSecond;   // < 2^34 * 10^9 < 2^64
            return whole > ulong.MaxValue - part ? ulong.MaxValue : whole + part;
        }
    }
}
