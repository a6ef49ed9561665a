using System;
using Hv.Devices;
using Hv.Devices.Pit;
using Hv.Devices.Platform;
using Hv.Tests.Unit.Devices.Fakes;
using Xunit;
using static Hv.Tests.Unit.Devices.Fakes.Port;

namespace Hv.Tests.Unit.Devices.PitModel
{
    /// <summary>The 8254 PIT through its ports 0x40-0x43 and 0x61, with a hand-moved clock.</summary>
    public class PitTests
    {
        private const int Ch0 = 0, Ch2 = 2, Control = 3;
        private readonly ManualClock _clock = new ManualClock(1_000_000);
        private readonly IrqLineLog _irqs = new IrqLineLog();
        private readonly Pit8254 _pit;

        public PitTests() { _pit = new Pit8254(_clock, _irqs); }

        /// <summary>Nanoseconds from the PIT's creation to the start of tick t.</summary>
        private static ulong NsOfTick(ulong t) => TickMath.ScaleUp(t, Pit8254.IntervalNs, Pit8254.TicksPerInterval);

        private void At(ulong tick) => _clock.Now = 1_000_000 + NsOfTick(tick);

        private void Program(int counter, int mode, int count, int access = 3)
        {
            Out8(_pit, Control, counter << 6 | access << 4 | mode << 1);
            if (access != 2)
                Out8(_pit, (ulong)counter, count & 0xFF);
            if (access != 1)
                Out8(_pit, (ulong)counter, count >> 8);
        }

        private ushort ReadCount(int counter) => (ushort)(In8(_pit, (ulong)counter) | In8(_pit, (ulong)counter) << 8);

        private byte ReadStatus(int counter)
        {
            Out8(_pit, Control, 0xC0 | 0x20 | 2 << counter);     // read-back: status only
            return In8(_pit, (ulong)counter);
        }

        [Fact]
        public void TickMath_IsExactAndOverflowSafe()
        {
            Assert.Equal(1193181ul, TickMath.ScaleDown(1_000_000_000, Pit8254.TicksPerInterval, Pit8254.IntervalNs));
            Assert.Equal(3579545ul, TickMath.ScaleDown(3_000_000_000, Pit8254.TicksPerInterval, Pit8254.IntervalNs));
            // A year of uptime in ns times 3.6e6 is far past 2^64; the split keeps it exact.
            ulong year = 365ul * 24 * 3600 * 1_000_000_000;
            Assert.Equal(365ul * 24 * 3600 / 3 * 3579545, TickMath.ScaleDown(year, Pit8254.TicksPerInterval, Pit8254.IntervalNs));
            Assert.Equal(ulong.MaxValue, TickMath.ScaleDown(ulong.MaxValue, ulong.MaxValue / 2, 3));
            for (ulong t = 0; t < 3000; t += 7)
            {
                ulong ns = TickMath.ScaleUp(t, Pit8254.IntervalNs, Pit8254.TicksPerInterval);
                Assert.Equal(t, TickMath.ScaleDown(ns, Pit8254.TicksPerInterval, Pit8254.IntervalNs));
                if (ns > 0)
                    Assert.Equal(t - 1, TickMath.ScaleDown(ns - 1, Pit8254.TicksPerInterval, Pit8254.IntervalNs));
            }
        }

        [Fact]
        public void Mode0_RaisesIrq0Once_AtTerminalCount()
        {
            Program(Ch0, 0, 1000);
            Assert.Equal(NsOfTick(1000) + 1_000_000, _pit.NextDeadlineNs);
            Assert.Equal(0, ReadStatus(Ch0) & 0x80);                      // OUT low while counting
            At(999);
            _pit.Advance(_clock.Now);
            Assert.Empty(_irqs.Changes);
            Assert.Equal(1, ReadCount(Ch0));
            At(1000);
            _pit.Advance(_clock.Now);
            Assert.Equal(new[] { (0, true), (0, false) }, _irqs.Changes);
            Assert.Equal(0x80, ReadStatus(Ch0) & 0x80);                   // OUT stays high
            Assert.Equal(Deadline.None, _pit.NextDeadlineNs);
            At(5000);
            _pit.Advance(_clock.Now);
            Assert.Equal(1, _irqs.Rises(0));
            Assert.Equal(unchecked((ushort)(1000 - 5000)), ReadCount(Ch0));   // keeps counting, wrapping
        }

        [Fact]
        public void Mode2_PulsesEveryPeriod_CoalescesMissedOnes()
        {
            Program(Ch0, 2, 1193);                                       // Linux periodic: 0x34, HZ=1000
            for (ulong k = 1; k <= 5; k++)
            {
                Assert.Equal(1_000_000 + NsOfTick(k * 1193), _pit.NextDeadlineNs);
                _clock.Now = _pit.NextDeadlineNs;
                _pit.Advance(_clock.Now);
                Assert.Equal((int)k, _irqs.Rises(0));
            }
            At(5 * 1193 + 100);
            Assert.Equal(1193 - 100, ReadCount(Ch0));
            At(50 * 1193 + 3);                                           // 45 periods missed: one pulse
            _pit.Advance(_clock.Now);
            Assert.Equal(6, _irqs.Rises(0));
            Assert.False(_irqs.Level[0]);
        }

        [Fact]
        public void Mode2_OutputLowForOneClock_AtCountOne()
        {
            Program(Ch0, 2, 10);
            At(8);
            Assert.Equal(0x80, ReadStatus(Ch0) & 0x80);
            At(9);
            Assert.Equal(0, ReadStatus(Ch0) & 0x80);
            Assert.Equal(1, ReadCount(Ch0));
            At(10);
            Assert.Equal(0x80, ReadStatus(Ch0) & 0x80);
            Assert.Equal(10, ReadCount(Ch0));
        }

        [Fact]
        public void Mode2_NewCountTakesEffectAtTheEndOfThePeriod()
        {
            Program(Ch0, 2, 1000);
            At(300);
            Out8(_pit, Ch0, 500 & 0xFF);
            Out8(_pit, Ch0, 500 >> 8);
            Assert.Equal(0x40, ReadStatus(Ch0) & 0x40);                  // null count until the reload
            At(400);
            Assert.Equal(600, ReadCount(Ch0));                           // current period unaffected
            At(1000);
            _pit.Advance(_clock.Now);
            Assert.Equal(1, _irqs.Rises(0));
            Assert.Equal(0, ReadStatus(Ch0) & 0x40);
            Assert.Equal(1_000_000 + NsOfTick(1500), _pit.NextDeadlineNs);
            At(1200);
            Assert.Equal(300, ReadCount(Ch0));
        }

        [Fact]
        public void Mode3_SquareWave_HalfHighHalfLow_CountsByTwo()
        {
            Program(Ch0, 3, 100);
            At(10);
            Assert.Equal(0x80, ReadStatus(Ch0) & 0x80);
            Assert.Equal(80, ReadCount(Ch0));
            At(50);
            Assert.Equal(0, ReadStatus(Ch0) & 0x80);
            Assert.Equal(100, ReadCount(Ch0));
            At(100);
            _pit.Advance(_clock.Now);
            Assert.Equal(0x80, ReadStatus(Ch0) & 0x80);
            Assert.Equal(1, _irqs.Rises(0));                             // one IRQ per period (rising edge)
            Assert.Equal(1_000_000 + NsOfTick(200), _pit.NextDeadlineNs);
        }

        [Fact]
        public void Mode4_LinuxOneShot_PulsesOnceAfterTheStrobe()
        {
            Program(Ch0, 4, 200);                                        // Linux i8253 oneshot: 0x38
            Assert.Equal(1_000_000 + NsOfTick(201), _pit.NextDeadlineNs);
            At(200);
            Assert.Equal(0, ReadStatus(Ch0) & 0x80);                     // the one-clock strobe
            _pit.Advance(_clock.Now);
            Assert.Equal(0, _irqs.Rises(0));
            At(201);
            _pit.Advance(_clock.Now);
            Assert.Equal(1, _irqs.Rises(0));
            Assert.Equal(Deadline.None, _pit.NextDeadlineNs);
            At(100_000);
            _pit.Advance(_clock.Now);
            Assert.Equal(1, _irqs.Rises(0));
        }

        [Fact]
        public void LinuxShutdown_Mode0CountZero_GivesOneLateEdge()
        {
            Program(Ch0, 2, 1193);
            At(10);
            Program(Ch0, 0, 0);                                          // clockevent_i8253_disable
            Assert.Equal(1_000_000 + NsOfTick(10 + 65536), _pit.NextDeadlineNs);
        }

        [Fact]
        public void CounterLatch_FreezesTheValue_UntilBothBytesAreRead()
        {
            Program(Ch0, 2, 5000);
            At(100);
            Out8(_pit, Control, 0x00);                                   // latch counter 0
            At(300);
            Out8(_pit, Control, 0x00);                                   // ignored: previous latch unread
            Assert.Equal(4900, ReadCount(Ch0));
            Assert.Equal(4700, ReadCount(Ch0));                          // latch released: live again
        }

        [Fact]
        public void ReadBack_StatusThenCount()
        {
            Out8(_pit.PortB, 0, 0x01);
            Program(Ch2, 0, 0x1234);
            At(0x34);
            Out8(_pit, Control, 0xC8);                                   // read-back count+status, counter 2
            byte status = In8(_pit, Ch2);
            Assert.Equal(0x30, status & 0x3F);                           // lo/hi, mode 0, binary
            Assert.Equal(0, status & 0x40);                              // count loaded
            Assert.Equal(0x1200, ReadCount(Ch2));
            Out8(_pit, Control, 0xB0);                                   // new control word
            Assert.Equal(0x40, ReadStatus(Ch2) & 0x40);                  // null count until written
        }

        [Fact]
        public void QuickPitCalibrate_MsbStepsEvery256Ticks()
        {
            // arch/x86/kernel/tsc.c quick_pit_calibrate: gate on, speaker off, 0xB0, count 0xFFFF.
            IIoDevice portB = _pit.PortB;
            Out8(portB, 0, (In8(portB, 0) & ~0x02) | 0x01);
            Out8(_pit, Control, 0xB0);
            Out8(_pit, Ch2, 0xFF);
            Out8(_pit, Ch2, 0xFF);
            for (int i = 0; i < 200; i++)
            {
                ulong tick = (ulong)(i * 256 + 7);
                At(tick);
                In8(_pit, Ch2);                                           // pit_verify_msb: LSB discarded
                Assert.Equal(0xFF - i, In8(_pit, Ch2));                   // then the MSB
            }
            Assert.Equal(0, In8(portB, 0) & 0x20);                        // OUT2 low until terminal count
        }

        [Fact]
        public void PitCalibrateTsc_Out2RisesAfterTheLatchCount()
        {
            // pit_calibrate_tsc(latch = 11931, 10 ms): mode 0 on counter 2, poll port 0x61 bit 5.
            IIoDevice portB = _pit.PortB;
            Out8(portB, 0, 0x01);
            Program(Ch2, 0, 11931);
            At(11930);
            Assert.Equal(0, In8(portB, 0) & 0x20);
            At(11931);
            Assert.Equal(0x20, In8(portB, 0) & 0x20);
            Assert.Empty(_irqs.Changes);                                   // counter 2 drives no IRQ
        }

        [Fact]
        public void Gate2Low_SuspendsMode0_AndOutputReflectsIt()
        {
            IIoDevice portB = _pit.PortB;
            Out8(portB, 0, 0x01);
            Program(Ch2, 0, 1000);
            At(400);
            Out8(portB, 0, 0x00);                                         // gate low: counting suspended
            At(5000);
            Assert.Equal(600, ReadCount(Ch2));
            Assert.Equal(0, In8(portB, 0) & 0x20);
            Out8(portB, 0, 0x01);
            At(5599);
            Assert.Equal(1, ReadCount(Ch2));
            At(5600);
            Assert.Equal(0x20, In8(portB, 0) & 0x20);
        }

        [Fact]
        public void Gate2_Mode2StopsAndReloads_Mode1Triggers()
        {
            IIoDevice portB = _pit.PortB;
            Program(Ch2, 2, 100);                                         // gate low: waits
            At(50);
            Assert.Equal(100, ReadCount(Ch2));
            Out8(portB, 0, 0x01);
            At(80);
            Assert.Equal(70, ReadCount(Ch2));
            Out8(portB, 0, 0x00);
            Out8(portB, 0, 0x01);                                         // rising edge reloads
            Assert.Equal(100, ReadCount(Ch2));

            Program(Ch2, 1, 300);                                         // mode 1: waits for a trigger
            Assert.Equal(0x20, In8(portB, 0) & 0x20);
            Out8(portB, 0, 0x00);
            Out8(portB, 0, 0x01);
            At(81);
            Assert.Equal(0, In8(portB, 0) & 0x20);                        // low until terminal count
            Assert.Equal(299, ReadCount(Ch2));
            At(80 + 300);
            Assert.Equal(0x20, In8(portB, 0) & 0x20);
        }

        [Fact]
        public void PortB_StoresLowBits_RefreshToggles()
        {
            IIoDevice portB = _pit.PortB;
            Out8(portB, 0, 0xFF);
            Assert.Equal(0x0F, In8(portB, 0) & 0xCF);
            Assert.Equal(PortBBits.Writable, _pit.PortB.Latch);
            At(0);
            int first = In8(portB, 0) & 0x10;
            At(SystemControlPortB.RefreshTicks);
            Assert.NotEqual(first, In8(portB, 0) & 0x10);
            At(2 * SystemControlPortB.RefreshTicks);
            Assert.Equal(first, In8(portB, 0) & 0x10);
            var wide = new byte[3];
            portB.Read(0, wide);
            Assert.Equal(0xFF, wide[2]);
        }

        [Fact]
        public void LowOrHighByteAccess_AndBcd()
        {
            Program(Ch0, 2, 0x40, access: 1);                             // LSB only
            At(0x10);
            Assert.Equal(0x30, In8(_pit, Ch0));
            Assert.Equal(0x30, In8(_pit, Ch0));                           // no flip-flop in LSB mode
            Program(Ch0, 0, 0x0200, access: 2);                           // MSB only: count 0x200
            At(0x10 + 0x100);
            Assert.Equal(0x01, In8(_pit, Ch0));
            Out8(_pit, Control, 0x31);                                    // BCD, lo/hi, mode 0
            Out8(_pit, Ch0, 0x00);
            Out8(_pit, Ch0, 0x10);                                        // 1000 decimal
            At(0x110 + 1);
            Assert.Equal(0x0999, ReadCount(Ch0));
            At(0x110 + 1001);
            Assert.Equal(0x9999, ReadCount(Ch0));                         // BCD wraps through 9999
        }

        [Fact]
        public void Mode0_FirstByteOfANewCountStopsCounting()
        {
            Program(Ch0, 0, 100);
            At(10);
            Out8(_pit, Ch0, 0x50);                                        // LSB only: counting disabled
            At(200);
            _pit.Advance(_clock.Now);
            Assert.Empty(_irqs.Changes);                                  // no terminal count reached
            Out8(_pit, Ch0, 0x00);                                        // count 0x50 starts now
            At(200 + 0x50);
            _pit.Advance(_clock.Now);
            Assert.Equal(1, _irqs.Rises(0));
        }

        [Fact]
        public void TinyPeriod_DeadlineIsSpacedFromTheLastPulse()
        {
            Program(Ch0, 2, 2);
            At(2);
            _pit.Advance(_clock.Now);
            Assert.Equal(1, _irqs.Rises(0));
            Assert.Equal(_clock.Now + Pit8254.MinIrqSpacingNs, _pit.NextDeadlineNs);
        }

        [Fact]
        public void HostileAccesses_AreHarmless()
        {
            Assert.Equal(0xFF, In8(_pit, Control));                       // control port is write-only
            Assert.Equal(0xFFFFu, In16(_pit, 2) >> 8 | 0xFF00u);
            var b = new byte[8];
            _pit.Read(0, b);                                               // wider than the device: extra bytes 0xFF
            Assert.Equal(0xFF, b[7]);
            _pit.Write(0, new byte[8] { 1, 2, 3, 0xFE, 5, 6, 7, 8 });
            Out8(_pit, Control, 0xFE);                                    // read-back with every bit set
            Out8(_pit, Control, 0x3E);                                    // mode "7" = mode 3
            Out8(_pit, Ch0, 1);
            Out8(_pit, Ch0, 0);                                           // count 1 in mode 3
            At(1000);
            _pit.Advance(_clock.Now);
            Assert.Equal(0x36, ReadStatus(Ch0) & 0x3F);
            Out8(_pit, Control, 0x14);                                    // mode 2, LSB, count 1
            Out8(_pit, Ch0, 1);
            At(2000);
            _pit.Advance(_clock.Now);
            Assert.True(_pit.NextDeadlineNs == Deadline.None || _pit.NextDeadlineNs > _clock.Now);
        }

        [Fact]
        public void RegisterAccesses_AllocateNothing()
        {
            var irqs = new SilentIrqLines();
            var pit = new Pit8254(_clock, irqs);
            Out8(pit, Control, 0x34);
            Out8(pit, Ch0, 0xA9);
            Out8(pit, Ch0, 0x04);
            var one = new byte[1];
            var cw = new byte[] { 0x00 };
            Exercise(pit, one, cw, 100);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Exercise(pit, one, cw, 2000);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.True(irqs.Rises >= 40);                                // IRQ 0 fired once per 1 ms on the way
        }

        private void Exercise(Pit8254 pit, byte[] one, byte[] cw, int rounds)
        {
            for (int i = 0; i < rounds; i++)
            {
                _clock.Now += 20_000;
                pit.Write(Control, cw);
                pit.Read(Ch0, one);
                pit.Read(Ch0, one);
                pit.PortB.Read(0, one);
                pit.Advance(_clock.Now);
                _ = pit.NextDeadlineNs;
            }
        }
    }
}
