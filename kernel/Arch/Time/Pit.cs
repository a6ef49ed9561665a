// The 8254 PIT as a polled stopwatch (channel 2, gated by port 0x61): present on every PC and
// in both emulators, it needs no ACPI, so it is the reference of last resort for calibration.
// Intel 8254 data sheet; the input clock is 1.193182 MHz.
namespace Hv.Arch.Time
{
    public static class Pit
    {
        public const uint Frequency = 1193182;
        private const ushort Channel2 = 0x42, Command = 0x43, Gate = 0x61;

        /// <summary>Busy-waits for <paramref name="ticks"/> PIT ticks (max 65535, about 54.9 ms).</summary>
        public static void WaitTicks(ushort ticks)
        {
            // Gate high, speaker off; channel 2, lobyte/hibyte, mode 0 (interrupt on terminal count).
            byte g = Cpu.hv_inb(Gate);
            Cpu.hv_outb(Gate, (byte)((g & 0xFC) | 0x01));
            Cpu.hv_outb(Command, 0xB0);
            Cpu.hv_outb(Channel2, (byte)ticks);
            Cpu.hv_outb(Channel2, (byte)(ticks >> 8));
            // OUT2 (port 0x61 bit 5) goes high at terminal count. Bounded so a missing PIT cannot hang us.
            for (long i = 0; i < 100000000 && (Cpu.hv_inb(Gate) & 0x20) == 0; i++) { }
            Cpu.hv_outb(Gate, g);
        }

        public static void WaitMicroseconds(uint us)
        {
            while (us > 0)
            {
                uint chunk = us > 50000 ? 50000 : us;
                WaitTicks((ushort)((ulong)chunk * Frequency / 1000000));
                us -= chunk;
            }
        }
    }
}
