// Calendar <-> Unix time for the RTCs (host and virtual). Proleptic Gregorian calendar, UTC, no leap
// seconds (POSIX time). Days are counted from 1970-01-01 by whole 400-year eras (146097 days each),
// so the arithmetic is exact for every year from 1970 to far beyond what an RTC can show.
namespace Hv.Lib
{
    public static class UnixTime
    {
        /// <summary>Seconds since 1970-01-01 00:00:00 for a valid date (month 1-12, day 1-31); fields are clamped, not checked.</summary>
        public static ulong FromDate(int year, int month, int day, int hour, int minute, int second)
        {
            if (month < 1) month = 1; else if (month > 12) month = 12;
            if (day < 1) day = 1; else if (day > 31) day = 31;
            long days = DaysFromEpoch(year, month, day);
            if (days < 0) return 0;
            return (ulong)days * 86400UL + (ulong)(hour * 3600 + minute * 60 + second);
        }

        /// <summary>The date of <paramref name="seconds"/> since the epoch.</summary>
        public static void ToDate(ulong seconds, out int year, out int month, out int day, out int hour, out int minute, out int second, out int weekday)
        {
            long days = (long)(seconds / 86400UL);
            long rest = (long)(seconds % 86400UL);
            hour = (int)(rest / 3600);
            minute = (int)(rest / 60 % 60);
            second = (int)(rest % 60);
            weekday = (int)((days + 4) % 7);                 // 1970-01-01 was a Thursday (0 = Sunday)
            // Shift to a calendar that starts on 0000-03-01, so February (and its leap day) ends each year.
            long z = days + 719468;
            long era = z / 146097;
            long doe = z - era * 146097;                                  // day of era, 0-146096
            long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; // year of era, 0-399
            long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);           // day of (March-based) year
            long mp = (5 * doy + 2) / 153;                                // March = 0
            day = (int)(doy - (153 * mp + 2) / 5 + 1);
            month = (int)(mp < 10 ? mp + 3 : mp - 9);
            year = (int)(yoe + era * 400 + (month <= 2 ? 1 : 0));
        }

        private static long DaysFromEpoch(int year, int month, int day)
        {
            long y = month <= 2 ? year - 1 : year;
            long era = y / 400;
            long yoe = y - era * 400;
            long mp = month > 2 ? month - 3 : month + 9;
            long doy = (153 * mp + 2) / 5 + day - 1;
            long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
            return era * 146097 + doe - 719468;
        }
    }
}
