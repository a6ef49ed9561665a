using Hv.Devices.Lapic;
using Hv.Devices.Platform;
using Xunit;

namespace Hv.Tests.Unit.Devices.Lapic
{
    /// <summary>The LAPIC timer with a fake clock (SDM Vol. 3A §11.5.4; bus clock 1 GHz = 1 count per ns before the divider).</summary>
    public class LapicTimerTests
    {
        private const uint OneShot = 0, Periodic = 1u << 17, TscDeadline = 2u << 17;

        private static ApicHarness Timer(uint mode, byte vector = 0x40)
        {
            var h = new ApicHarness().Enable();
            h.Write(ApicRegister.LvtTimer, mode | vector);
            return h;
        }

        [Fact]
        public void OneShot_CountsDownFiresOnceAndStops()
        {
            var h = Timer(OneShot);                                          // divide config 0: by 2
            ulong start = h.Clock.Now;
            h.Write(ApicRegister.TimerInitialCount, 1000);
            Assert.Equal(start + 2000, h.Apic.NextDeadlineNs);
            h.Clock.Now = start + 500;
            Assert.Equal(750u, h.Read(ApicRegister.TimerCurrentCount));
            h.Apic.Advance(start + 1999);
            Assert.Equal(-1, h.Take());
            h.Apic.Advance(start + 2000);
            Assert.Equal(0x40, h.Take());
            Assert.Equal(Deadline.None, h.Apic.NextDeadlineNs);
            h.Clock.Now = start + 3000;
            Assert.Equal(0u, h.Read(ApicRegister.TimerCurrentCount));
            Assert.Equal(1000u, h.Read(ApicRegister.TimerInitialCount));
            h.Apic.Advance(start + 10_000);
            h.Write(ApicRegister.Eoi, 0);
            Assert.Equal(-1, h.Take());
        }

        [Fact]
        public void CurrentCount_ReadsZeroAfterExpiry_EvenBeforeAdvance()
        {
            var h = Timer(OneShot);
            h.Write(ApicRegister.TimerInitialCount, 10);
            h.Clock.Now += 25;
            Assert.Equal(0u, h.Read(ApicRegister.TimerCurrentCount));
        }

        [Fact]
        public void Periodic_FiresOnItsGrid_WithoutDrift()
        {
            var h = Timer(Periodic);
            h.Write(ApicRegister.TimerDivide, 0xB);                          // by 1
            ulong start = h.Clock.Now;
            h.Write(ApicRegister.TimerInitialCount, 100);
            h.Apic.Advance(start + 100);
            Assert.Equal(0x40, h.Take());
            h.Write(ApicRegister.Eoi, 0);
            Assert.Equal(start + 200, h.Apic.NextDeadlineNs);
            h.Apic.Advance(start + 250);                                     // late: the grid stays
            Assert.Equal(0x40, h.Take());
            h.Write(ApicRegister.Eoi, 0);
            Assert.Equal(start + 300, h.Apic.NextDeadlineNs);
            h.Apic.Advance(start + 1050);                                    // many periods missed: one interrupt
            Assert.Equal(0x40, h.Take());
            Assert.Equal(-1, h.Take());
            Assert.Equal(start + 1100, h.Apic.NextDeadlineNs);
            h.Clock.Now = start + 1075;
            Assert.Equal(25u, h.Read(ApicRegister.TimerCurrentCount));
            h.Clock.Now = start + 5010;                                      // nobody advanced: still consistent
            Assert.Equal(90u, h.Read(ApicRegister.TimerCurrentCount));
        }

        [Theory]
        [InlineData(0x0u, 2u)] [InlineData(0x1u, 4u)] [InlineData(0x2u, 8u)] [InlineData(0x3u, 16u)]
        [InlineData(0x8u, 32u)] [InlineData(0x9u, 64u)] [InlineData(0xAu, 128u)] [InlineData(0xBu, 1u)]
        [InlineData(0x4u, 2u)] [InlineData(0xFu, 1u)]
        public void DivideConfiguration_SelectsTheDivider(uint config, uint divider)
        {
            var h = Timer(OneShot);
            h.Write(ApicRegister.TimerDivide, config);
            Assert.Equal(divider, h.Apic.TimerDivider);
            ulong start = h.Clock.Now;
            h.Write(ApicRegister.TimerInitialCount, 10);
            Assert.Equal(start + 10 * divider, h.Apic.NextDeadlineNs);
        }

        [Fact]
        public void DividerChange_KeepsTheRunningCount()
        {
            var h = Timer(OneShot);
            h.Write(ApicRegister.TimerDivide, 0xB);
            h.Write(ApicRegister.TimerInitialCount, 1000);
            h.Clock.Now += 300;
            Assert.Equal(700u, h.Read(ApicRegister.TimerCurrentCount));
            h.Write(ApicRegister.TimerDivide, 0x1);                          // by 4
            Assert.Equal(700u, h.Read(ApicRegister.TimerCurrentCount));
            h.Clock.Now += 400;
            Assert.Equal(600u, h.Read(ApicRegister.TimerCurrentCount));
            Assert.Equal(h.Clock.Now + 600 * 4, h.Apic.NextDeadlineNs);
        }

        [Fact]
        public void ApicTimer_DividerChangeAfterAnUnseenExpiry_StillFiresOnce()
        {
            var t = new ApicTimer();
            t.WriteDivide(0xB, 0);
            t.WriteInitialCount(10, 1000);
            t.WriteDivide(0xA, 1_000_000_000_000);                           // long after the expiry, nobody advanced
            Assert.Equal(0u, t.CurrentCount(1_000_000_000_000));
            Assert.True(t.Advance(1_000_000_000_000));
            Assert.False(t.Advance(2_000_000_000_000));
        }

        [Fact]
        public void InitialCountZero_StopsTheTimer()
        {
            var h = Timer(Periodic);
            h.Write(ApicRegister.TimerInitialCount, 100);
            h.Write(ApicRegister.TimerInitialCount, 0);
            Assert.Equal(Deadline.None, h.Apic.NextDeadlineNs);
            h.Apic.Advance(h.Clock.Now + 1_000_000);
            Assert.Equal(-1, h.Take());
            Assert.Equal(0u, h.Read(ApicRegister.TimerCurrentCount));
        }

        [Fact]
        public void MaskedTimer_ExpiresSilently_AndUnmaskingLaterDeliversNothing()
        {
            var h = Timer(OneShot | 0x1_0000);
            h.Write(ApicRegister.TimerInitialCount, 10);
            Assert.Equal(Deadline.None, h.Apic.NextDeadlineNs);              // nothing to wake up for
            h.Clock.Now += 100;
            h.Write(ApicRegister.LvtTimer, OneShot | 0x40);                  // unmask after the expiry
            h.Apic.Advance(h.Clock.Now);
            Assert.Equal(-1, h.Take());
        }

        [Fact]
        public void SoftwareDisable_MasksTheTimer()
        {
            var h = Timer(Periodic);
            h.Write(ApicRegister.TimerInitialCount, 10);
            h.Write(ApicRegister.Svr, 0xFF);
            h.Apic.Advance(h.Clock.Now + 100);
            Assert.Equal(-1, h.Take());
            Assert.Equal(Deadline.None, h.Apic.NextDeadlineNs);
        }

        [Fact]
        public void OneShotToPeriodic_KeepsCounting()
        {
            var h = Timer(OneShot);
            h.Write(ApicRegister.TimerDivide, 0xB);
            ulong start = h.Clock.Now;
            h.Write(ApicRegister.TimerInitialCount, 100);
            h.Clock.Now = start + 40;
            h.Write(ApicRegister.LvtTimer, Periodic | 0x40);
            Assert.Equal(60u, h.Read(ApicRegister.TimerCurrentCount));
            h.Apic.Advance(start + 100);
            h.Apic.Advance(start + 200);
            Assert.Equal(start + 300, h.Apic.NextDeadlineNs);
        }

        [Fact]
        public void TscDeadline_ArmsFiresAndClears()
        {
            var h = Timer(TscDeadline, 0x50);
            ulong start = h.Clock.Now;
            h.WriteMsr(0x6E0, h.Tsc.Ticks + 2000);                           // 2 GHz TSC: 1000 ns
            Assert.Equal(h.Tsc.Ticks + 2000, h.Msr(0x6E0));
            Assert.Equal(start + 1000, h.Apic.NextDeadlineNs);
            h.Apic.Advance(start + 999);
            Assert.Equal(-1, h.Take());
            h.Apic.Advance(start + 1000);
            Assert.Equal(0x50, h.Take());
            Assert.Equal(0ul, h.Msr(0x6E0));                                 // §11.5.4.1: cleared on expiry
            Assert.Equal(Deadline.None, h.Apic.NextDeadlineNs);
        }

        [Fact]
        public void TscDeadline_PastValueFiresAtOnce_ZeroDisarms()
        {
            var h = Timer(TscDeadline, 0x50);
            h.WriteMsr(0x6E0, 1);
            h.Apic.Advance(h.Clock.Now);
            Assert.Equal(0x50, h.Take());
            h.WriteMsr(0x6E0, h.Tsc.Ticks + 10_000);
            h.WriteMsr(0x6E0, 0);
            Assert.Equal(Deadline.None, h.Apic.NextDeadlineNs);
            h.Apic.Advance(h.Clock.Now + 1_000_000_000);
            h.Write(ApicRegister.Eoi, 0);
            Assert.Equal(-1, h.Take());
        }

        [Fact]
        public void TscDeadline_CountRegistersAreInert_AndModeSwitchesDisarm()
        {
            var h = Timer(OneShot);
            h.WriteMsr(0x6E0, h.Tsc.Ticks + 100);                            // not in deadline mode: ignored
            Assert.Equal(0ul, h.Msr(0x6E0));
            h.Write(ApicRegister.TimerInitialCount, 500);
            h.Write(ApicRegister.LvtTimer, TscDeadline | 0x40);              // into deadline mode: count disarmed
            Assert.Equal(0u, h.Read(ApicRegister.TimerInitialCount));
            Assert.Equal(Deadline.None, h.Apic.NextDeadlineNs);
            h.Write(ApicRegister.TimerInitialCount, 500);                    // ignored in deadline mode
            Assert.Equal(0u, h.Read(ApicRegister.TimerInitialCount));
            Assert.Equal(0u, h.Read(ApicRegister.TimerCurrentCount));
            h.WriteMsr(0x6E0, h.Tsc.Ticks + 100);
            h.Write(ApicRegister.LvtTimer, OneShot | 0x40);                  // out of deadline mode: disarmed
            Assert.Equal(Deadline.None, h.Apic.NextDeadlineNs);
            h.Write(ApicRegister.LvtTimer, TscDeadline | 0x40);
            Assert.Equal(0ul, h.Msr(0x6E0));
        }

        [Fact]
        public void ReservedTimerMode_KeepsTheModeInXApic()
        {
            var h = Timer(Periodic);
            h.Write(ApicRegister.LvtTimer, (3u << 17) | 0x41);
            Assert.Equal(Periodic | 0x41, h.Read(ApicRegister.LvtTimer));
        }

        [Fact]
        public void WithoutTscDeadline_Bit18IsReserved_AndTheMsrFaults()
        {
            var h = new ApicHarness(tscDeadline: false).Enable();
            h.Write(ApicRegister.LvtTimer, TscDeadline | 0x40);
            Assert.Equal(0x40u, h.Read(ApicRegister.LvtTimer));
            Assert.False(h.Apic.TryReadMsr(0x6E0, out _));
            Assert.False(h.Apic.TryWriteMsr(0x6E0, 5));
            Assert.False(h.Apic.TscDeadlineSupported);
        }

        [Fact]
        public void StaleAdvanceTime_DoesNotFireEarly()
        {
            var h = Timer(OneShot);
            h.Write(ApicRegister.TimerInitialCount, 100);
            h.Apic.Advance(h.Clock.Now - 50);                               // a clock reading taken before the write
            Assert.Equal(-1, h.Take());
        }

        [Theory]
        [InlineData(2_000_000_000ul, 2_000_000_000ul, 1_000_000_000ul)]
        [InlineData(3ul, 3_000_000_000ul, 1ul)]
        [InlineData(ulong.MaxValue, 1_000_000ul, ulong.MaxValue)]
        [InlineData(5ul, 0ul, ulong.MaxValue)]
        [InlineData(1ul << 40, 1ul << 40, 1_000_000_000ul)]
        public void TicksToNs_IsExactOrSaturates(ulong ticks, ulong hz, ulong ns)
        {
            Assert.Equal(ns, TscTime.TicksToNs(ticks, hz));
        }
    }
}
