using System;
using Hv.Devices.Ioapic;
using Hv.Devices.Lapic;
using Hv.Devices.Platform;
using Hv.Tests.Unit.Devices.Lapic;
using Xunit;
using static Hv.Tests.Unit.Devices.Ioapic.IoApicTests;

namespace Hv.Tests.Unit.Devices.Ioapic
{
    /// <summary>Pins, edge/level semantics, Remote IRR and EOI (82093AA datasheet).</summary>
    public class IoApicPinTests
    {
        private const uint Level = 1u << 15, ActiveLow = 1u << 13, Masked = 1u << 16, Logical = 1u << 11;

        private static (IoApic, RecordingApicBus) Make()
        {
            var bus = new RecordingApicBus();
            return (new IoApic(bus, 0), bus);
        }

        private static void Program(IoApic io, int pin, uint low, byte destination = 0)
        {
            WriteReg(io, (uint)(0x11 + 2 * pin), (uint)destination << 24);
            WriteReg(io, (uint)(0x10 + 2 * pin), low);
        }

        [Fact]
        public void Edge_OneMessagePerRisingEdge()
        {
            var (io, bus) = Make();
            Program(io, 4, 0x0000_0934 | Logical, destination: 0x03);    // lowest priority, logical
            io.SetPin(4, true);
            io.SetPin(4, true);
            Assert.Single(bus.Sent);
            ApicMessage m = bus.Sent[0];
            Assert.Equal(0x34, m.Vector);
            Assert.Equal(ApicDeliveryMode.LowestPriority, m.Mode);
            Assert.True(m.LogicalDestination);
            Assert.Equal(3u, m.Destination);
            Assert.False(m.LevelTriggered);
            Assert.True(m.Assert);
            Assert.Equal(uint.MaxValue, m.SourceApicId);
            Assert.Equal(ApicShorthand.None, m.Shorthand);
            io.SetPin(4, false);
            io.SetPin(4, true);
            Assert.Equal(2, bus.Sent.Count);
            Assert.False(io.GetEntry(4).RemoteIrr);
        }

        [Fact]
        public void Edge_MaskedEdgesAreLost()
        {
            var (io, bus) = Make();
            Program(io, 1, 0x31 | Masked);
            io.SetPin(1, true);
            io.SetPin(1, false);
            Program(io, 1, 0x31);
            Assert.Empty(bus.Sent);
            io.SetPin(1, true);
            Assert.Single(bus.Sent);
        }

        [Fact]
        public void ActiveLow_InvertsTheLine()
        {
            var (io, bus) = Make();
            io.SetPin(9, true);                                            // idle high
            Program(io, 9, 0x49 | ActiveLow);
            Assert.Empty(bus.Sent);
            io.SetPin(9, false);                                           // active
            Assert.Single(bus.Sent);
            io.SetPin(9, true);
            Assert.Single(bus.Sent);
        }

        [Fact]
        public void Level_RemoteIrrHoldsUntilEoi_ThenResendsIfStillActive()
        {
            var (io, bus) = Make();
            Program(io, 10, 0x5A | Level);
            io.SetPin(10, true);
            Assert.Single(bus.Sent);
            Assert.True(bus.Sent[0].LevelTriggered);
            Assert.True(io.GetEntry(10).RemoteIrr);
            Assert.Equal(0x1_C05Au & ~Masked, ReadReg(io, 0x10 + 20));    // Remote IRR visible (bit 14)
            io.SetPin(10, false);
            io.SetPin(10, true);
            Assert.Single(bus.Sent);                                       // Remote IRR blocks
            io.Eoi(0x5B);                                                   // another vector: nothing
            Assert.True(io.GetEntry(10).RemoteIrr);
            io.Eoi(0x5A);
            Assert.Equal(2, bus.Sent.Count);                                // still active: again
            io.SetPin(10, false);
            io.Eoi(0x5A);
            Assert.False(io.GetEntry(10).RemoteIrr);
            Assert.Equal(2, bus.Sent.Count);
        }

        [Fact]
        public void EoiRegister_WorksLikeTheBroadcast()
        {
            var (io, bus) = Make();
            Program(io, 5, 0x65 | Level | ActiveLow);
            io.SetPin(5, false);
            Assert.Single(bus.Sent);
            io.Write(0x40, BitConverter.GetBytes(0x65u));
            Assert.Equal(2, bus.Sent.Count);
            io.SetPin(5, true);
            io.Write(0x40, new byte[] { 0x65 });
            Assert.False(io.GetEntry(5).RemoteIrr);
            Assert.Equal(2, bus.Sent.Count);
        }

        [Fact]
        public void UnmaskingAnActiveLevelPin_Delivers()
        {
            var (io, bus) = Make();
            Program(io, 11, 0x71 | Level | Masked);
            io.SetPin(11, true);
            Assert.Empty(bus.Sent);
            Program(io, 11, 0x71 | Level);
            Assert.Single(bus.Sent);
            Program(io, 11, 0x71 | Level);                                 // rewriting: Remote IRR blocks
            Assert.Single(bus.Sent);
        }

        [Fact]
        public void SwitchingToEdge_ClearsRemoteIrr()
        {
            var (io, bus) = Make();
            Program(io, 3, 0x33 | Level);
            io.SetPin(3, true);
            Assert.True(io.GetEntry(3).RemoteIrr);
            Program(io, 3, 0x33 | Masked);                                  // Linux's pre-0x20 EOI trick
            Assert.False(io.GetEntry(3).RemoteIrr);
            Program(io, 3, 0x33 | Level);
            Assert.Equal(2, bus.Sent.Count);                                // still active: delivered again
        }

        [Theory]
        [InlineData(3u)] [InlineData(6u)]
        public void ReservedDeliveryModes_SendNothing(uint mode)
        {
            var (io, bus) = Make();
            Program(io, 2, (mode << 8) | 0x40 | Level);
            io.SetPin(2, true);
            Assert.Empty(bus.Sent);
            Assert.False(io.GetEntry(2).RemoteIrr);
        }

        [Fact]
        public void PinsOutsideTheTable_AreIgnored()
        {
            var (io, bus) = Make();
            io.SetPin(-1, true);
            io.SetPin(24, true);
            io.SetPin(int.MaxValue, true);
            Assert.Empty(bus.Sent);
            Assert.False(io.GetPinLevel(24));
        }

        [Fact]
        public void NmiAndExtIntEntries_PassTheirModes()
        {
            var (io, bus) = Make();
            Program(io, 0, 0x700);
            Program(io, 1, 0x400);
            io.SetPin(0, true);
            io.SetPin(1, true);
            Assert.Equal(ApicDeliveryMode.ExtInt, bus.Sent[0].Mode);
            Assert.Equal(ApicDeliveryMode.Nmi, bus.Sent[1].Mode);
        }

        /// <summary>A bus that sends EOIs back to the IOAPIC, as the VM's does.</summary>
        private sealed class LoopBus : IApicBus
        {
            public IoApic IoApic;
            public LocalApic Apic;
            public int Sent;
            public void Send(in ApicMessage m) { Sent++; if (Apic.MatchesDestination(in m)) Apic.Accept(in m); }
            public void BroadcastEoi(byte vector) => IoApic.Eoi(vector);
        }

        [Fact]
        public void LevelInterrupt_ThroughTheLapic_AndBack()
        {
            var bus = new LoopBus();
            bus.IoApic = new IoApic(bus, 0);
            var h = new ApicHarness(index: 1);
            bus.Apic = new LocalApic(1, true, bus, h.Clock, null, true, 39);
            bus.Apic.Write(0xF0, BitConverter.GetBytes(0x1FFu));
            Program(bus.IoApic, 9, 0x39 | Level, destination: 1);
            bus.IoApic.SetPin(9, true);
            Assert.True(bus.Apic.TryGetInterrupt(out byte v));
            Assert.Equal(0x39, v);
            bus.Apic.AcknowledgeInterrupt(v);
            bus.IoApic.SetPin(9, false);                                    // the handler quiets the device
            bus.Apic.Write(0xB0, BitConverter.GetBytes(0u));                // EOI -> broadcast -> Remote IRR clear
            Assert.False(bus.IoApic.GetEntry(9).RemoteIrr);
            bus.IoApic.SetPin(9, true);
            Assert.Equal(2, bus.Sent);
            Assert.True(bus.Apic.TryGetInterrupt(out _));
        }
    }
}
