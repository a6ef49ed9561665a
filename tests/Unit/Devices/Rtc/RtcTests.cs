using System;
using Hv.Devices.Platform;
using Hv.Devices.Rtc;
using Hv.Tests.Unit.Devices.Fakes;
using Xunit;
using static Hv.Tests.Unit.Devices.Fakes.Port;

namespace Hv.Tests.Unit.Devices.RtcModel
{
    internal sealed class FixedWallClock : IWallClock
    {
        public ulong Seconds;
        public int Calls;
        public FixedWallClock(ulong seconds) { Seconds = seconds; }
        public ulong UnixSeconds() { Calls++; return Seconds; }
    }

    /// <summary>The MC146818 RTC/CMOS through ports 0x70/0x71, with a hand-moved clock.</summary>
    public class RtcTests
    {
        private const ulong Second = 1_000_000_000, Ms = 1_000_000, Us = 1000;
        // 2024-02-29 23:59:58 UTC, a Thursday.
        private static readonly ulong Start = (ulong)new DateTimeOffset(2024, 2, 29, 23, 59, 58, TimeSpan.Zero).ToUnixTimeSeconds();
        private readonly ManualClock _clock = new ManualClock(5 * Second);
        private readonly IrqLineLog _irqs = new IrqLineLog();
        private readonly FixedWallClock _wall = new FixedWallClock(Start);
        private readonly Mc146818Rtc _rtc;

        public RtcTests() { _rtc = new Mc146818Rtc(_clock, _irqs, _wall); }

        private byte Cmos(int index)
        {
            Out8(_rtc, 0, index);
            return In8(_rtc, 1);
        }

        private void SetCmos(int index, int value)
        {
            Out8(_rtc, 0, index);
            Out8(_rtc, 1, value);
        }

        private void After(ulong ns) => _clock.AdvanceNs(ns);

        [Fact]
        public void StartsAtTheHostTime_InBcd24Hour()
        {
            Assert.Equal(0x58, Cmos(0x00));
            Assert.Equal(0x59, Cmos(0x02));
            Assert.Equal(0x23, Cmos(0x04));
            Assert.Equal(5, Cmos(0x06));                                 // Thursday (Sunday = 1)
            Assert.Equal(0x29, Cmos(0x07));
            Assert.Equal(0x02, Cmos(0x08));
            Assert.Equal(0x24, Cmos(0x09));
            Assert.Equal(0x20, Cmos(0x32));
            Assert.Equal(0x26, Cmos(0x0A));
            Assert.Equal(0x02, Cmos(0x0B));
            Assert.Equal(0x80, Cmos(0x0D));
            Assert.Equal(1, _wall.Calls);
        }

        [Fact]
        public void Advances_AcrossTheLeapDayAndMidnight()
        {
            After(2 * Second);
            Assert.Equal(0x00, Cmos(0x00));
            Assert.Equal(0x00, Cmos(0x04));
            Assert.Equal(0x01, Cmos(0x07));
            Assert.Equal(0x03, Cmos(0x08));
            Assert.Equal(6, Cmos(0x06));
            Assert.Equal((long)Start + 2, _rtc.GuestSeconds);
        }

        [Fact]
        public void UipIsSet_For244usBeforeEachUpdate()
        {
            After(Second - Mc146818Rtc.UipHoldNs - 1);
            Assert.Equal(0, Cmos(0x0A) & 0x80);
            After(1);
            Assert.Equal(0x80, Cmos(0x0A) & 0x80);
            Assert.Equal(0x58, Cmos(0x00));                              // update not yet done
            After(Mc146818Rtc.UipHoldNs);
            Assert.Equal(0, Cmos(0x0A) & 0x80);
            Assert.Equal(0x59, Cmos(0x00));
        }

        [Fact]
        public void BinaryAnd12HourFormats()
        {
            SetCmos(0x0B, 0x04);                                         // binary, 12-hour
            Assert.Equal(58, Cmos(0x00));
            Assert.Equal(0x80 | 11, Cmos(0x04));                         // 11 PM
            Assert.Equal(24, Cmos(0x09));
            Assert.Equal(20, Cmos(0x32));
            After(2 * Second);
            Assert.Equal(12, Cmos(0x04));                                // 12 AM = midnight, no PM bit
            SetCmos(0x0B, 0x00);                                         // BCD, 12-hour
            Assert.Equal(0x12, Cmos(0x04));
        }

        [Fact]
        public void LinuxSetTime_ChangesOnlyTheGuestClock_FirstUpdate500msAfterRelease()
        {
            // drivers/rtc/lib mc146818_set_time: B |= SET, A |= divider reset, write, restore B, restore A.
            After(300 * Ms);
            byte b = Cmos(0x0B);
            SetCmos(0x0B, b | 0x80);
            byte a = Cmos(0x0A);
            SetCmos(0x0A, a | 0x70);
            SetCmos(0x00, 0x30);
            SetCmos(0x02, 0x15);
            SetCmos(0x04, 0x08);
            SetCmos(0x07, 0x15);
            SetCmos(0x08, 0x06);
            SetCmos(0x09, 0x31);
            SetCmos(0x32, 0x20);
            After(5 * Second);                                           // nothing moves while set
            Assert.Equal(0x30, Cmos(0x00));
            SetCmos(0x0B, b);
            After(2 * Second);
            Assert.Equal(0x30, Cmos(0x00));                              // divider still in reset
            SetCmos(0x0A, a);
            After(499 * Ms);
            Assert.Equal(0x30, Cmos(0x00));
            After(1 * Ms);
            Assert.Equal(0x31, Cmos(0x00));
            long expected = new DateTimeOffset(2031, 6, 15, 8, 15, 31, TimeSpan.Zero).ToUnixTimeSeconds();
            Assert.Equal(expected, _rtc.GuestSeconds);
            Assert.Equal(1, _wall.Calls);
        }

        [Fact]
        public void SetOnly_KeepsTheUpdatePhase_AndClearsUie()
        {
            SetCmos(0x0B, 0x12);                                         // UIE
            After(200 * Ms);
            SetCmos(0x0B, 0x92);                                         // SET
            Assert.Equal(0x82, Cmos(0x0B));                              // UIE cleared by SET
            SetCmos(0x00, 0x10);
            SetCmos(0x0B, 0x02);
            After(799 * Ms);
            Assert.Equal(0x10, Cmos(0x00));
            After(1 * Ms);
            Assert.Equal(0x11, Cmos(0x00));                              // update at the old phase
        }

        [Fact]
        public void WriteWhileRunning_ChangesThatField()
        {
            SetCmos(0x02, 0x07);
            Assert.Equal(0x07, Cmos(0x02));
            Assert.Equal(0x58, Cmos(0x00));
            After(Second);
            Assert.Equal(0x59, Cmos(0x00));
            Assert.Equal(0x07, Cmos(0x02));
        }

        [Fact]
        public void PeriodicInterrupt_1024Hz_LineHeldUntilRegisterCIsRead()
        {
            SetCmos(0x0B, 0x42);                                         // PIE
            ulong first = _rtc.NextDeadlineNs;
            Assert.Equal(5 * Second + 976_563, first);                   // 32 cycles of 32.768 kHz, rounded up
            _clock.Now = first - 1;
            _rtc.Advance(_clock.Now);
            Assert.False(_irqs.Level[8]);
            _clock.Now = first;
            _rtc.Advance(_clock.Now);
            Assert.True(_irqs.Level[8]);
            Assert.Equal(Deadline.None, _rtc.NextDeadlineNs);           // nothing to do until C is read
            Assert.Equal(0xC0, Cmos(0x0C));
            Assert.False(_irqs.Level[8]);
            Assert.Equal(0x00, Cmos(0x0C));
            Assert.Equal(5 * Second + 1_953_125, _rtc.NextDeadlineNs);         // 64 cycles: exact
            Assert.Equal(1, _irqs.Rises(8));
        }

        [Fact]
        public void PeriodicRates_FromRegisterA()
        {
            SetCmos(0x0B, 0x42);
            SetCmos(0x0A, 0x2F);                                         // 2 Hz
            Assert.Equal(5 * Second + 500 * Ms, _rtc.NextDeadlineNs);
            SetCmos(0x0A, 0x23);                                         // 8192 Hz
            Assert.Equal(5 * Second + 122_071, _rtc.NextDeadlineNs);
            SetCmos(0x0A, 0x21);                                         // RS 1 = 256 Hz with a 32.768 kHz base
            Assert.Equal(5 * Second + 3_906_250, _rtc.NextDeadlineNs);
            SetCmos(0x0A, 0x20);                                         // RS 0: no periodic interrupt
            Assert.Equal(Deadline.None, _rtc.NextDeadlineNs);
        }

        [Fact]
        public void UpdateEndedInterrupt_EverySecond()
        {
            SetCmos(0x0B, 0x12);
            Assert.Equal(6 * Second, _rtc.NextDeadlineNs);
            _clock.Now = 6 * Second;
            _rtc.Advance(_clock.Now);
            Assert.True(_irqs.Level[8]);
            Assert.Equal(0x90 | 0x40, Cmos(0x0C));                       // PF also set (1024 Hz runs, not enabled)
            Assert.False(_irqs.Level[8]);
        }

        [Fact]
        public void Alarm_MatchesOnlyAtItsTime_DontCareBytesMatchEverySecond()
        {
            // Alarm at 00:00:01 (3 updates from 23:59:58).
            SetCmos(0x01, 0x01);
            SetCmos(0x03, 0x00);
            SetCmos(0x05, 0x00);
            SetCmos(0x0B, 0x22);                                         // AIE
            After(2 * Second);
            _rtc.Advance(_clock.Now);
            Assert.False(_irqs.Level[8]);
            Assert.Equal(0, Cmos(0x0C) & 0x20);
            After(Second);
            _rtc.Advance(_clock.Now);
            Assert.True(_irqs.Level[8]);
            Assert.Equal(0xA0, Cmos(0x0C) & 0xA0);                       // IRQF and AF
            SetCmos(0x01, 0xC0);
            SetCmos(0x03, 0xFF);
            SetCmos(0x05, 0xC5);                                         // every second
            After(Second);
            Assert.Equal(0x20, Cmos(0x0C) & 0x20);
            SetCmos(0x01, 0x75);                                         // not a valid second: never
            After(100 * Second);
            Assert.Equal(0, Cmos(0x0C) & 0x20);
        }

        [Fact]
        public void Alarm_FoundAfterALongGap()
        {
            SetCmos(0x01, 0x30);
            SetCmos(0x03, 0x10);
            SetCmos(0x05, 0x05);                                         // 05:10:30, about 5 hours on
            After(5 * 3600 * Second);
            Assert.Equal(0, Cmos(0x0C) & 0x20);
            After(20 * 60 * Second);
            Assert.Equal(0x20, Cmos(0x0C) & 0x20);                       // flag set though AIE is off
            Assert.Empty(_irqs.Changes);
        }

        [Fact]
        public void EnablingWithAFlagPending_RaisesTheLine_DisablingDropsIt()
        {
            After(2 * Second);
            _rtc.Advance(_clock.Now);
            Assert.Empty(_irqs.Changes);
            SetCmos(0x0B, 0x12);                                         // UF is pending: IRQF = UF·UIE
            Assert.True(_irqs.Level[8]);
            SetCmos(0x0B, 0x02);
            Assert.False(_irqs.Level[8]);
        }

        [Fact]
        public void IndexIgnoresTheNmiBit_RegistersCAndDAreReadOnly()
        {
            Out8(_rtc, 0, 0x8D);
            Assert.Equal(0x80, In8(_rtc, 1));
            Assert.True(_rtc.NmiDisabled);
            Out8(_rtc, 1, 0x00);
            Assert.Equal(0x80, In8(_rtc, 1));
            SetCmos(0x0C, 0xFF);
            Assert.Equal(0x00, Cmos(0x0C));
            Assert.Equal(0xFF, In8(_rtc, 0));                            // the index port is write-only
            Out16(_rtc, 0, 0x5A << 8 | 0x40);                            // outw: index then data
            Assert.Equal(0x5A, Cmos(0x40));
        }

        [Fact]
        public void Nvram_114Bytes_MemorySizeAndChecksum()
        {
            for (int i = 0x0E; i <= 0x7F; i++)
            {
                if (i == 0x32)
                    continue;
                SetCmos(i, i ^ 0xA5);
                Assert.Equal(i ^ 0xA5, Cmos(i));
            }
            var rtc = new Mc146818Rtc(_clock, _irqs, _wall);
            Assert.Equal(0x00, rtc.PeekCmos(0x0F));
            Assert.Equal(0x00, rtc.PeekCmos(0x10));
            Assert.Equal(640, rtc.PeekCmos(0x15) | rtc.PeekCmos(0x16) << 8);
            rtc.SetMemorySize(3ul << 30, 5ul << 30);
            Assert.Equal(0xFFFF, rtc.PeekCmos(0x17) | rtc.PeekCmos(0x18) << 8);
            Assert.Equal(0xFFFF, rtc.PeekCmos(0x30) | rtc.PeekCmos(0x31) << 8);
            Assert.Equal(((3ul << 30) - (16 << 20)) >> 16, (ulong)(rtc.PeekCmos(0x34) | rtc.PeekCmos(0x35) << 8));
            Assert.Equal((5ul << 30) >> 16, (ulong)(rtc.PeekCmos(0x5B) | rtc.PeekCmos(0x5C) << 8 | rtc.PeekCmos(0x5D) << 16));
            int sum = 0;
            for (int i = 0x10; i <= 0x2D; i++)
                sum += rtc.PeekCmos(i);
            Assert.Equal(sum, rtc.PeekCmos(0x2E) << 8 | rtc.PeekCmos(0x2F));
            Assert.False(rtc.WriteNvram(0x0D, 1));
            Assert.False(rtc.WriteNvram(0x32, 1));
            Assert.True(rtc.WriteNvram(0x7F, 1));
            Assert.Equal(0xFF, rtc.PeekCmos(0x80));
        }

        [Fact]
        public void HostileTimeValues_AreClampedNotTrusted()
        {
            SetCmos(0x0B, 0x82);
            SetCmos(0x00, 0xFF);
            SetCmos(0x02, 0x9A);
            SetCmos(0x04, 0x77);
            SetCmos(0x07, 0x31);
            SetCmos(0x08, 0x00);
            SetCmos(0x09, 0xFF);
            SetCmos(0x32, 0xEE);
            Assert.Equal(0xFF, Cmos(0x00));                               // read back as written while SET
            SetCmos(0x0B, 0x02);
            Assert.Equal(0x59, Cmos(0x00));
            Assert.Equal(0x59, Cmos(0x02));
            Assert.Equal(0x23, Cmos(0x04));
            Assert.Equal(0x01, Cmos(0x08));
            Assert.Equal(0x99, Cmos(0x09));
            Assert.Equal(0x99, Cmos(0x32));
            var wide = new byte[4];
            _rtc.Write(0, new byte[] { 0x0B, 0x04, 0x77, 0x11 });
            _rtc.Read(1, wide.AsSpan(0, 1));
            Assert.Equal(0x04, Cmos(0x0B));
            SetCmos(0x0A, 0x00);                                         // oscillator off: clock stands still
            long t = _rtc.GuestSeconds;
            After(10 * Second);
            Assert.Equal(t, _rtc.GuestSeconds);
            Assert.Equal(Deadline.None, _rtc.NextDeadlineNs);
        }

        [Fact]
        public void CivilDate_AgreesWithTheBcl()
        {
            var rng = new Random(7);
            long min = new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
            long max = new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero).ToUnixTimeSeconds();
            for (int i = 0; i < 20000; i++)
            {
                long s = min + (long)(rng.NextDouble() * (max - min));
                var expected = DateTimeOffset.FromUnixTimeSeconds(s);
                CivilTime t = CivilDate.FromSeconds(s);
                Assert.Equal((expected.Year, expected.Month, expected.Day, expected.Hour, expected.Minute, expected.Second, (int)expected.DayOfWeek + 1),
                             (t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, t.DayOfWeek));
                Assert.Equal(s, CivilDate.ToSeconds(t));
            }
        }

        [Fact]
        public void RegisterAccesses_AllocateNothing()
        {
            var irqs = new SilentIrqLines();
            var rtc = new Mc146818Rtc(_clock, irqs, _wall);
            var one = new byte[1];
            var idx = new byte[1];
            Out8(rtc, 0, 0x0B);
            Out8(rtc, 1, 0x72);                                          // PIE, AIE, UIE
            Run(rtc, one, idx, 50);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Run(rtc, one, idx, 3000);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.True(irqs.Rises > 100);
        }

        private void Run(Mc146818Rtc rtc, byte[] one, byte[] idx, int rounds)
        {
            for (int i = 0; i < rounds; i++)
            {
                _clock.Now += 700 * Us;
                idx[0] = (byte)(i % 14);
                rtc.Write(0, idx);
                rtc.Read(1, one);
                idx[0] = 0x0C;
                rtc.Write(0, idx);
                rtc.Read(1, one);
                rtc.Advance(_clock.Now);
                _ = rtc.NextDeadlineNs;
            }
        }
    }
}
