// The host's battery-backed clock (MC146818-compatible CMOS RTC at ports 0x70/0x71), read once per VM
// so a guest's virtual RTC starts at the real date. Datasheet facts used: register A bit 7 (UIP) is set
// while the clock updates, so fields are read when it is clear and read again until two reads agree;
// register B bit 2 = binary (else BCD), bit 1 = 24-hour (else 12-hour with bit 7 of the hour = PM).
// The century is taken as 20xx (the century register's index is the FADT's, and not every firmware fills it).
using Hv.Devices.Rtc;

namespace Hv.Arch.Time
{
    public static class HostRtc
    {
        private const ushort Index = 0x70, Data = 0x71;

        /// <summary>Seconds since 1970-01-01 00:00:00 UTC (the RTC is assumed to run on UTC, as Linux guests expect by default).</summary>
        public static ulong ReadUnixSeconds()
        {
            ulong last = ulong.MaxValue;
            for (int attempt = 0; attempt < 5; attempt++)
            {
                for (int i = 0; i < 1_000_000 && (Read(0x0A) & 0x80) != 0; i++) { }
                ulong now = ReadOnce();
                if (now == last) return now;
                last = now;
            }
            return last;
        }

        private static ulong ReadOnce()
        {
            byte b = Read(0x0B);
            bool binary = (b & 0x04) != 0, h24 = (b & 0x02) != 0;
            int sec = Field(Read(0x00), binary), min = Field(Read(0x02), binary);
            byte rawHour = Read(0x04);
            int hour = Field((byte)(rawHour & 0x7F), binary);
            if (!h24) { hour %= 12; if ((rawHour & 0x80) != 0) hour += 12; }
            int day = Field(Read(0x07), binary), month = Field(Read(0x08), binary), year = 2000 + Field(Read(0x09), binary);
            var t = new CivilTime { Year = year, Month = month < 1 ? 1 : month > 12 ? 12 : month, Day = day < 1 ? 1 : day > 31 ? 31 : day, Hour = hour, Minute = min, Second = sec };
            long s = CivilDate.ToSeconds(t);                // the guest RTC's own calendar code
            return s < 0 ? 0 : (ulong)s;
        }

        private static int Field(byte v, bool binary) => binary ? v : (v >> 4) * 10 + (v & 0xF);

        private static byte Read(byte register)
        {
            Cpu.hv_outb(Index, register);
            return Cpu.hv_inb(Data);
        }
    }
}
