using System;
using Hv.Devices.Pic;
using Xunit;

namespace Hv.Tests.Unit.Devices.Pic
{
    /// <summary>Initialisation, probing, registers and odd accesses of the 8259A pair.</summary>
    public class PicInitTests
    {
        [Fact]
        public void PowerOn_EverythingMasked_NothingReachesTheCpu()
        {
            var h = new PicHarness();
            Assert.Equal(0xFF, h.In(0x21));
            Assert.Equal(0xFF, h.In(0xA1));
            h.Pair.SetIrq(0, true);
            h.Pair.SetIrq(12, true);
            Assert.False(h.Pair.HasInterrupt);
            Assert.Empty(h.Changes);
        }

        [Fact]
        public void LinuxProbe_ReadsBackTheMask_ThenMaskedStaysQuiet()
        {
            var h = new PicHarness();
            h.Out(0xA1, 0xFF);
            h.Out(0x21, 0xFB);
            Assert.Equal(0xFB, h.In(0x21));
            h.Out(0x21, 0xFF);
            h.InitLikeLinux(0xFF, 0xFF);                                   // Linux masks it when the IOAPIC takes over
            h.Pulse(0);
            h.Pulse(1);
            h.Pair.SetIrq(9, true);
            Assert.False(h.Pair.HasInterrupt);
            Assert.Equal(0x03, h.In(0x20));                                 // IRR shows the latched edges all the same
        }

        [Fact]
        public void InitSequence_SetsVectorsAndClearsTheMask()
        {
            var h = new PicHarness();
            h.Out(0x20, 0x11);                                              // ICW1: IMR cleared
            Assert.Equal(0x00, h.In(0x21));
            h.Out(0x21, 0x37);                                              // ICW2: bits 2:0 ignored
            h.Out(0x21, 0x04);
            h.Out(0x21, 0x01);
            h.Out(0x21, 0xAA);                                              // now OCW1
            Assert.Equal(0x30, h.Pair.Master.VectorBase);
            Assert.Equal(0xAA, h.In(0x21));
        }

        [Fact]
        public void SingleModeWithoutIcw4_SkipsIcw3AndIcw4()
        {
            var h = new PicHarness();
            h.Out(0x20, 0x12);                                              // SNGL, no IC4
            h.Out(0x21, 0x40);                                              // ICW2
            h.Out(0x21, 0x55);                                              // already OCW1
            Assert.Equal(0x55, h.In(0x21));
            Assert.True(h.Pair.Master.SingleMode);
            Assert.False(h.Pair.Master.AutoEoi);
        }

        [Fact]
        public void Reinitialisation_ForgetsInServiceAndLatchedRequests()
        {
            var h = new PicHarness().InitLikeLinux();
            h.Pulse(3);
            h.Pulse(4);
            Assert.Equal(0x33, h.Pair.Acknowledge());
            Assert.Equal(0x08, h.MasterIsr());
            h.InitLikeLinux();
            Assert.Equal(0x00, h.MasterIsr());
            Assert.False(h.Pair.HasInterrupt);                              // IR4's edge was reset too
        }

        [Fact]
        public void Elcr_ReservedBitsReadZero()
        {
            var h = new PicHarness();
            h.Out(0x4D0, 0xFF);
            h.Out(0x4D1, 0xFF);
            Assert.Equal(0xF8, h.In(0x4D0));
            Assert.Equal(0xDE, h.In(0x4D1));
            h.Pair.Elcr.Write(0, new byte[] { 0x20, 0x02 });                // 16-bit access covers both
            var both = new byte[2];
            h.Pair.Elcr.Read(0, both);
            Assert.Equal(new byte[] { 0x20, 0x02 }, both);
        }

        [Fact]
        public void WideAccesses_SplitIntoPortCycles()
        {
            var h = new PicHarness().InitLikeLinux(0x5A);
            h.Pulse(1);
            var two = new byte[2];
            h.Pair.Master.Read(0, two);
            Assert.Equal(0x02, two[0]);                                     // IRR
            Assert.Equal(0x5A, two[1]);                                     // IMR
            h.Pair.Master.Write(1, ReadOnlySpan<byte>.Empty);
            Assert.Equal(0x5A, h.In(0x21));
        }

        [Fact]
        public void IrqsOutsideTheLines_AndTheCascade_AreIgnored()
        {
            var h = new PicHarness().InitLikeLinux();
            h.Pair.SetIrq(2, true);
            h.Pair.SetIrq(16, true);
            h.Pair.SetIrq(-3, true);
            Assert.False(h.Pair.HasInterrupt);
        }

        [Fact]
        public void Reset_ReturnsToPowerOn()
        {
            var h = new PicHarness().InitLikeLinux();
            h.Pair.SetIrq(1, true);
            Assert.True(h.Pair.HasInterrupt);
            h.Pair.Reset();
            Assert.False(h.Pair.HasInterrupt);
            Assert.Equal(0x08, h.Pair.Master.VectorBase);
            Assert.Equal(0x70, h.Pair.Slave.VectorBase);
            Assert.Equal(new[] { true, false }, h.Changes.ToArray());
        }
    }
}
