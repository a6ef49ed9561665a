using Hv.Devices.Lapic;
using Hv.Devices.Platform;
using Xunit;

namespace Hv.Tests.Unit.Devices.Lapic
{
    /// <summary>Message addressing (SDM Vol. 3A §11.6.2, §11.12.10).</summary>
    public class LapicDestinationTests
    {
        private static ApicMessage To(uint destination, bool logical = false, ApicShorthand shorthand = ApicShorthand.None, uint source = uint.MaxValue) =>
            new ApicMessage { Vector = 0x40, Destination = destination, LogicalDestination = logical, Shorthand = shorthand, SourceApicId = source, Assert = true };

        [Fact]
        public void Physical_MatchesTheIdAndBroadcast()
        {
            var a = new ApicHarness(index: 3).Apic;
            Assert.True(a.MatchesDestination(To(3)));
            Assert.False(a.MatchesDestination(To(2)));
            Assert.False(a.MatchesDestination(To(0x103)));
            Assert.True(a.MatchesDestination(To(0xFF)));
            Assert.True(a.MatchesDestination(To(0xFFFF_FFFF)));
        }

        [Fact]
        public void Shorthands_UseTheSourceId()
        {
            var a = new ApicHarness(index: 1).Apic;
            Assert.True(a.MatchesDestination(To(9, shorthand: ApicShorthand.Self, source: 1)));
            Assert.False(a.MatchesDestination(To(1, shorthand: ApicShorthand.Self, source: 0)));
            Assert.True(a.MatchesDestination(To(9, shorthand: ApicShorthand.AllIncludingSelf, source: 1)));
            Assert.False(a.MatchesDestination(To(9, shorthand: ApicShorthand.AllExcludingSelf, source: 1)));
            Assert.True(a.MatchesDestination(To(9, shorthand: ApicShorthand.AllExcludingSelf, source: 0)));
        }

        [Fact]
        public void LogicalFlat_MatchesAnyCommonBit()
        {
            var h = new ApicHarness(index: 0);
            Assert.False(h.Apic.MatchesDestination(To(0x01, logical: true)));   // LDR 0: nobody
            h.Write(ApicRegister.Ldr, 0x0400_0000);
            Assert.True(h.Apic.MatchesDestination(To(0x06, logical: true)));
            Assert.False(h.Apic.MatchesDestination(To(0x03, logical: true)));
            Assert.True(h.Apic.MatchesDestination(To(0xFF, logical: true)));
        }

        [Fact]
        public void LogicalCluster_MatchesClusterAndMemberBit()
        {
            var h = new ApicHarness(index: 0);
            h.Write(ApicRegister.Dfr, 0x0FFF_FFFF);
            h.Write(ApicRegister.Ldr, 0x3200_0000);                          // cluster 3, member bit 1
            Assert.True(h.Apic.MatchesDestination(To(0x33, logical: true)));
            Assert.False(h.Apic.MatchesDestination(To(0x31, logical: true)));
            Assert.False(h.Apic.MatchesDestination(To(0x22, logical: true)));
            Assert.True(h.Apic.MatchesDestination(To(0xFF, logical: true)));
        }

        [Fact]
        public void X2Apic_IdsAndDerivedLogicalIds()
        {
            var h = new ApicHarness(index: 0x13);
            h.EnterX2Apic();
            Assert.Equal(0x13ul, h.Msr(0x802));
            Assert.Equal(0x0001_0008ul, h.Msr(0x80D));                         // cluster 1, bit 3
            Assert.True(h.Apic.MatchesDestination(To(0x13)));
            Assert.False(h.Apic.MatchesDestination(To(0x13 << 24)));
            Assert.True(h.Apic.MatchesDestination(To(0x0001_000C, logical: true)));
            Assert.False(h.Apic.MatchesDestination(To(0x0000_000C, logical: true)));
            Assert.False(h.Apic.MatchesDestination(To(0x0001_0004, logical: true)));
            Assert.True(h.Apic.MatchesDestination(To(0xFFFF_FFFF)));
            Assert.True(h.Apic.MatchesDestination(To(0xFF)));                 // from the IOAPIC: xAPIC broadcast
            Assert.False(h.Apic.MatchesDestination(To(0xFF, source: 0)));     // from an x2APIC: ID 0xFF
        }

        [Fact]
        public void DisabledApic_IsNobodysDestination()
        {
            var h = new ApicHarness(index: 0);
            h.WriteMsr(0x1B, LocalApic.DefaultBase | ApicHarness.Bsp);
            Assert.False(h.Apic.MatchesDestination(To(0)));
            Assert.False(h.Apic.MatchesDestination(To(0, shorthand: ApicShorthand.AllIncludingSelf)));
        }
    }
}
