// Proleptic Gregorian calendar arithmetic for the RTC: seconds since 1970-01-01 <-> date and time
// of day. Integer only (docs/runtime.md). Years 0-9999 (the RTC's century byte times 100 plus its
// two-digit year); days may be negative (before 1970).
namespace Hv.Devices.Rtc
{
    public struct CivilTime
    {
        public int Year, Month, Day, Hour, Minute, Second;
        /// <summary>1 = Sunday ... 7 = Saturday (the RTC's day-of-week convention).</summary>
        public int DayOfWeek;
    }

    public static class CivilDate
    {
        public const int SecondsPerDay = 86400;

        public static bool IsLeap(long year) => year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);

        public static int DaysInMonth(long year, int month)
        {
            switch (month)
            {
                case 2: return IsLeap(year) ? 29 : 28;
                case 4: case 6: case 9: case 11: return 30;
                default: return 31;
            }
        }

        public static long FloorDiv(long a, long b)
        {
            long q = a / b;
            return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
        }

        public static long FloorMod(long a, long b) => a - FloorDiv(a, b) * b;

        /// <summary>Days from 1970-01-01 to the given date (month 1-12, day 1-31).</summary>
        public static long DaysFromDate(long year, int month, int day) => Ordinal(year, month, day) - Ordinal(1970, 1, 1);

        public static long ToSeconds(in CivilTime t) =>
            DaysFromDate(t.Year, t.Month, t.Day) * SecondsPerDay + t.Hour * 3600L + t.Minute * 60L + t.Second;

        public static CivilTime FromSeconds(long seconds)
        {
            long days = FloorDiv(seconds, SecondsPerDay);
            long tod = seconds - days * SecondsPerDay;
            var t = new CivilTime
            {
                Hour = (int)(tod / 3600),
                Minute = (int)(tod / 60 % 60),
                Second = (int)(tod % 60),
                DayOfWeek = (int)FloorMod(days + 4, 7) + 1,    // 1970-01-01 was a Thursday (5)
            };
            // Estimate the year from the mean Gregorian year (146097 days per 400 years), then correct.
            long ordinal = days + Ordinal(1970, 1, 1);
            long year = FloorDiv(ordinal * 400, 146097);
            while (Ordinal(year, 1, 1) > ordinal)
                year--;
            while (Ordinal(year + 1, 1, 1) <= ordinal)
                year++;
            int month = 12;
            while (month > 1 && Ordinal(year, month, 1) > ordinal)
                month--;
            t.Year = (int)year;
            t.Month = month;
            t.Day = (int)(ordinal - Ordinal(year, month, 1)) + 1;
            return t;
        }

        /// <summary>
        /// A day count with an arbitrary origin: the year is taken to start on 1 March, so the leap day
        /// is the last day of its year and the months before it have a fixed pattern (153 days per 5
        /// months from March: 31,30,31,30,31).
        /// </summary>
        private static long Ordinal(long year, int month, int day)
        {
            long y = month <= 2 ? year - 1 : year;
            long m = month <= 2 ? month + 9 : month - 3;           // March = 0 ... February = 11
            long leapDays = FloorDiv(y, 4) - FloorDiv(y, 100) + FloorDiv(y, 400);
            return 365 * y + leapDays + (153 * m + 2) / 5 + day - 1;
        }
    }
}
