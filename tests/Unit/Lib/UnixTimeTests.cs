using System;
using Hv.Lib;
using Xunit;

namespace Hv.Tests.Unit.Lib
{
    public class UnixTimeTests
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
            ulong expected = (ulong)dt.ToUnixTimeSeconds();
            Assert.Equal(expected, UnixTime.FromDate(y, mo, d, h, mi, s));
            UnixTime.ToDate(expected, out int y2, out int mo2, out int d2, out int h2, out int mi2, out int s2, out int wd);
            Assert.Equal((y, mo, d, h, mi, s, (int)dt.DayOfWeek), (y2, mo2, d2, h2, mi2, s2, wd));
        }

        [Fact]
        public void EveryDayOfFourCenturies_RoundTrips()
        {
            var start = new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);
            for (int i = 0; i < 146097; i += 7)
            {
                DateTimeOffset dt = start.AddDays(i);
                ulong t = (ulong)dt.ToUnixTimeSeconds();
                UnixTime.ToDate(t, out int y, out int mo, out int d, out _, out _, out _, out _);
                Assert.Equal((dt.Year, dt.Month, dt.Day), (y, mo, d));
                Assert.Equal(t, UnixTime.FromDate(y, mo, d, 0, 0, 0));
            }
        }
    }
}
