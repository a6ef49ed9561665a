using System;
using Hv.Devices.Rtc;
using Xunit;

namespace Hv.Tests.Unit.Devices.Rtc
{
    /// <summary>The calendar code of the guest RTC (and of the host RTC reader) against .NET's calendar.</summary>
    public class CivilDateDotNetTests
    {
        [Theory]
        [InlineData(1970, 1, 1, 0, 0, 0)]
        [InlineData(2000, 2, 29, 12, 34, 56)]
        [InlineData(2026, 11, 21, 23, 59, 59)]
        [InlineData(2099, 12, 31, 0, 0, 1)]
        [InlineData(2100, 3, 1, 1, 2, 3)]
        public void MatchesDotNetsCalendar_BothWays(int y, int mo, int d, int h, int mi, int s)
        {
            var dt = new DateTimeOffset(y, mo, d, h, mi, s, TimeSpan.Zero);
            long expected = dt.ToUnixTimeSeconds();
            Assert.Equal(expected, CivilDate.ToSeconds(new CivilTime { Year = y, Month = mo, Day = d, Hour = h, Minute = mi, Second = s }));
            CivilTime t = CivilDate.FromSeconds(expected);
            Assert.Equal((y, mo, d, h, mi, s, (int)dt.DayOfWeek + 1), (t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, t.DayOfWeek));
        }

        [Fact]
        public void EveryWeekOfFourCenturies_RoundTrips()
        {
            var start = new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);
            for (int i = 0; i < 146097; i += 7)
            {
                DateTimeOffset dt = start.AddDays(i);
                long secs = dt.ToUnixTimeSeconds();
                CivilTime t = CivilDate.FromSeconds(secs);
                Assert.Equal((dt.Year, dt.Month, dt.Day), (t.Year, t.Month, t.Day));
                Assert.Equal(secs, CivilDate.ToSeconds(new CivilTime { Year = t.Year, Month = t.Month, Day = t.Day }));
            }
        }
    }
}
