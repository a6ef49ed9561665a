// Conversions between the VM's nanosecond clock (IDeviceClock) and a device's own time base: the
// 8254's 1.193182 MHz, the ACPI PM timer's 3.579545 MHz, the RTC's 32.768 kHz. The kernel has no
// floating point (docs/runtime.md) and a plain value * mul overflows 64 bits after a few hours of
// uptime, so the value is split at the divisor: value = q * div + r, and only r * mul (< div * mul)
// is multiplied out. Every rate used here keeps div * mul below 2^64 (asserted by the tests).
namespace Hv.Devices
{
    public static class TickMath
    {
        /// <summary>floor(value * mul / div), saturating at ulong.MaxValue. Requires (div - 1) * mul to fit in 64 bits.</summary>
        public static ulong ScaleDown(ulong value, ulong mul, ulong div)
        {
            ulong q = value / div;
            ulong r = value % div;
            if (q != 0 && mul > ulong.MaxValue / q)
                return ulong.MaxValue;
            ulong high = q * mul;
            ulong low = r * mul / div;
            return high > ulong.MaxValue - low ? ulong.MaxValue : high + low;
        }

        /// <summary>ceil(value * mul / div), saturating: the first instant of the other time base at or after value.</summary>
        public static ulong ScaleUp(ulong value, ulong mul, ulong div)
        {
            ulong down = ScaleDown(value, mul, div);
            if (down == ulong.MaxValue)
                return down;
            ulong r = value % div;
            return r * mul % div != 0 ? down + 1 : down;
        }
    }
}
