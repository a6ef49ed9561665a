// The TSC as the kernel's clock: frequency measured at boot against a reference (ACPI PM timer
// when the FADT gives one, else the PIT), delays and time stamps from it afterwards.
namespace Hv.Arch.Time
{
    public static class Tsc
    {
        public static ulong Hz { get; private set; }
        public static string Reference { get; private set; }

        /// <summary>Measures the TSC over 50 ms of the PIT.</summary>
        public static void CalibrateWithPit()
        {
            ulong best = ulong.MaxValue;
            // Three rounds, keep the shortest: an emulator's host hiccup can only lengthen a round.
            for (int round = 0; round < 3; round++)
            {
                ulong t0 = Cpu.hv_rdtsc();
                Pit.WaitTicks((ushort)(Pit.Frequency / 20));
                ulong d = Cpu.hv_rdtsc() - t0;
                if (d < best) best = d;
            }
            Hz = best * 20;
            Reference = "PIT";
        }

        /// <summary>Measures the TSC over 50 ms of the ACPI PM timer (3.579545 MHz, 24 or 32 bits).</summary>
        public static void CalibrateWithPmTimer(ushort port, bool is32Bit)
        {
            const uint PmHz = 3579545;
            uint mask = is32Bit ? 0xFFFFFFFF : 0xFFFFFF;
            uint target = PmHz / 20;
            ulong best = ulong.MaxValue;
            for (int round = 0; round < 3; round++)
            {
                uint p0 = Cpu.hv_ind(port) & mask;
                ulong t0 = Cpu.hv_rdtsc();
                uint elapsed = 0;
                for (long i = 0; i < 200000000 && elapsed < target; i++)
                    elapsed = ((Cpu.hv_ind(port) & mask) - p0) & mask;
                ulong d = Cpu.hv_rdtsc() - t0;
                if (elapsed >= target && d < best) best = d * target / elapsed;
            }
            if (best == ulong.MaxValue) { CalibrateWithPit(); return; }
            Hz = best * 20;
            Reference = "ACPI PM timer";
        }

        public static ulong Now() => Cpu.hv_rdtsc();

        public static ulong MicrosecondsToTicks(ulong us) => us * (Hz / 1000000);

        public static void WaitMicroseconds(ulong us)
        {
            if (Hz == 0) { Pit.WaitMicroseconds((uint)us); return; }
            ulong end = Cpu.hv_rdtsc() + MicrosecondsToTicks(us);
            while (Cpu.hv_rdtsc() < end) Cpu.hv_pause();
        }
    }
}
