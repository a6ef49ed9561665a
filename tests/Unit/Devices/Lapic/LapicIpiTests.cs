using Hv.Devices.Lapic;
using Hv.Devices.Platform;
using Xunit;

namespace Hv.Tests.Unit.Devices.Lapic
{
    /// <summary>The ICR and SELF IPI (SDM Vol. 3A §11.6, §11.12.9, §11.12.11).</summary>
    public class LapicIpiTests
    {
        [Fact]
        public void XApicIcr_HighThenLow_SendsTheMessage()
        {
            var h = new ApicHarness(index: 2).Enable();
            h.Write(ApicRegister.IcrHigh, 0x0500_0000);
            Assert.Empty(h.Bus.Sent);                                        // the high half does not send
            h.Write(ApicRegister.IcrLow, 0x0000_C8A5);                      // level, assert, logical, fixed
            ApicMessage m = Assert.Single(h.Bus.Sent);
            Assert.Equal(0xA5, m.Vector);
            Assert.Equal(ApicDeliveryMode.Fixed, m.Mode);
            Assert.True(m.LogicalDestination);
            Assert.Equal(5u, m.Destination);
            Assert.True(m.LevelTriggered);
            Assert.True(m.Assert);
            Assert.Equal(ApicShorthand.None, m.Shorthand);
            Assert.Equal(2u, m.SourceApicId);
            Assert.Equal(0x0000_C8A5u, h.Read(ApicRegister.IcrLow));         // delivery status idle
        }

        [Fact]
        public void InitAndStartUp_ReachAnotherApic()
        {
            var bus = new RecordingApicBus();
            var bsp = new ApicHarness(index: 0, bsp: true, bus: bus).Enable();
            var ap = new ApicHarness(index: 1, bsp: false, bus: bus);
            bsp.Write(ApicRegister.IcrHigh, 1u << 24);
            bsp.Write(ApicRegister.IcrLow, 0x0000_C500);                      // INIT, level, assert
            bsp.Write(ApicRegister.IcrLow, 0x0000_8500);                      // INIT de-assert: ignored
            bsp.Write(ApicRegister.IcrLow, 0x0000_0608);                      // SIPI, vector 8
            bsp.Write(ApicRegister.IcrLow, 0x0000_0609);                      // second SIPI: ignored
            Assert.Equal(4, bus.Sent.Count);
            Assert.True(ap.Apic.TakeInit());
            Assert.False(ap.Apic.TakeInit());
            Assert.True(ap.Apic.IsWaitingForSipi);
            Assert.True(ap.Apic.TakeSipi(out byte vector));
            Assert.Equal(8, vector);
            Assert.False(ap.Apic.IsWaitingForSipi);
            Assert.False(bsp.Apic.InitPending);
        }

        [Fact]
        public void FixedIpiWithIllegalVector_IsNotSent()
        {
            var h = new ApicHarness().Enable();
            h.Write(ApicRegister.IcrLow, 0x0000_400F);
            Assert.Empty(h.Bus.Sent);
            Assert.Equal((uint)ApicErrors.SendIllegalVector, h.ReadEsr());
            h.Write(ApicRegister.IcrLow, 0x0000_4400);                        // NMI: the vector does not matter
            Assert.Single(h.Bus.Sent);
        }

        [Fact]
        public void ReservedDeliveryModes_SendNothing()
        {
            var h = new ApicHarness().Enable();
            h.Write(ApicRegister.IcrLow, 0x0000_4340);                        // 011b
            h.Write(ApicRegister.IcrLow, 0x0000_4740);                        // ExtINT
            Assert.Empty(h.Bus.Sent);
        }

        [Fact]
        public void SelfShorthand_IsAcceptedLocally()
        {
            var h = new ApicHarness().Enable();
            h.Write(ApicRegister.IcrLow, 0x0004_4050);                        // self, fixed, 0x50
            Assert.Empty(h.Bus.Sent);
            Assert.Equal(0x50, h.Take());
            h.Write(ApicRegister.IcrLow, 0x0004_4400);                        // self + NMI is not a valid combination
            Assert.False(h.Apic.NmiPending);
        }

        [Fact]
        public void Broadcasts_ReachTheOthers()
        {
            var bus = new RecordingApicBus();
            var a = new ApicHarness(index: 0, bus: bus).Enable();
            var b = new ApicHarness(index: 1, bsp: false, bus: bus).Enable();
            a.Write(ApicRegister.IcrLow, 0x000C_4061);                        // all excluding self
            Assert.Equal(-1, a.Take());
            Assert.Equal(0x61, b.Take());
            b.Write(ApicRegister.Eoi, 0);
            a.Write(ApicRegister.IcrLow, 0x0008_4062);                        // all including self
            Assert.Equal(0x62, a.Take());
            Assert.Equal(0x62, b.Take());
        }

        [Fact]
        public void X2ApicIcr_Is64Bits_WithA32BitDestination()
        {
            var h = new ApicHarness(index: 1).Enable();
            h.EnterX2Apic();
            h.WriteMsr(0x830, 0x0000_1234_0000_40EEUL);
            ApicMessage m = Assert.Single(h.Bus.Sent);
            Assert.Equal(0x1234u, m.Destination);
            Assert.Equal(0xEE, m.Vector);
            Assert.Equal(1u, m.SourceApicId);
            Assert.Equal(0x0000_1234_0000_40EEUL, h.Msr(0x830));
            Assert.False(h.Apic.TryWriteMsr(0x830, 0x0000_0000_0001_40EEUL));   // bit 16 reserved
            Assert.False(h.Apic.TryWriteMsr(0x830, 0x0000_0000_0000_60EEUL));   // bit 13 reserved
            Assert.False(h.Apic.TryWriteMsr(0x830, 0x0000_0000_8000_40EEUL));   // bit 31 reserved
            Assert.Single(h.Bus.Sent);
            Assert.True(h.Apic.TryWriteMsr(0x830, 0x0000_0002_0000_50EEUL));    // delivery status tolerated
            Assert.Equal(2, h.Bus.Sent.Count);
        }

        [Fact]
        public void SelfIpiMsr_PostsLocally_ReservedBitsFault()
        {
            var h = new ApicHarness().Enable();
            h.EnterX2Apic();
            h.WriteMsr(0x83F, 0x45);
            Assert.Equal(0x45, h.Take());
            Assert.False(h.Apic.TryWriteMsr(0x83F, 0x145));
            Assert.False(h.Apic.TryReadMsr(0x83F, out _));                   // write-only
            h.WriteMsr(0x83F, 0x05);                                          // illegal vector: a receive error
            Assert.Equal(-1, h.Take());
            h.WriteMsr(0x828, 0);
            Assert.Equal((ulong)ApicErrors.ReceivedIllegalVector, h.Msr(0x828));
            Assert.Empty(h.Bus.Sent);
        }
    }
}
