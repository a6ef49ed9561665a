using Xunit;

namespace Hv.Tests.Unit.Devices.Pic
{
    /// <summary>Requests, priorities, INTA, EOI and the special modes of the 8259A pair (8259A datasheet).</summary>
    public class PicInterruptTests
    {
        [Fact]
        public void EdgeIrq_AcknowledgeAndEoi()
        {
            var h = new PicHarness().InitLikeLinux();
            h.Pulse(0);
            Assert.True(h.Pair.HasInterrupt);
            Assert.Equal(0x30, h.Pair.Acknowledge());
            Assert.False(h.Pair.HasInterrupt);
            Assert.Equal(0x01, h.MasterIsr());
            h.Out(0x20, 0x20);                                               // non-specific EOI
            Assert.Equal(0x00, h.MasterIsr());
            Assert.False(h.Pair.HasInterrupt);                               // one edge, one interrupt
            Assert.Equal(new[] { true, false }, h.Changes.ToArray());
        }

        [Fact]
        public void FullyNested_HigherPriorityInterruptsLower()
        {
            var h = new PicHarness().InitLikeLinux();
            h.Pulse(3);
            h.Pulse(1);
            Assert.Equal(0x31, h.Pair.Acknowledge());
            Assert.False(h.Pair.HasInterrupt);                               // IRQ3 waits behind IRQ1
            h.Pulse(0);
            Assert.Equal(0x30, h.Pair.Acknowledge());                        // IRQ0 nests
            Assert.Equal(0x03, h.MasterIsr());
            h.Out(0x20, 0x20);                                               // ends IRQ0 (highest in service)
            Assert.False(h.Pair.HasInterrupt);
            h.Out(0x20, 0x20);                                               // ends IRQ1
            Assert.Equal(0x33, h.Pair.Acknowledge());
        }

        [Fact]
        public void SlaveIrq_CascadesThroughIr2()
        {
            var h = new PicHarness().InitLikeLinux();
            h.Pulse(12);
            Assert.True(h.Pair.HasInterrupt);
            Assert.Equal(0x3C, h.Pair.Acknowledge());
            Assert.Equal(0x04, h.MasterIsr());
            Assert.Equal(0x10, h.SlaveIsr());
            h.Out(0xA0, 0x64);                                               // Linux: specific EOI on both chips
            h.Out(0x20, 0x62);
            Assert.Equal(0x00, h.MasterIsr());
            Assert.Equal(0x00, h.SlaveIsr());
        }

        [Fact]
        public void MaskedSlaveOrCascade_BlocksIt()
        {
            var h = new PicHarness().InitLikeLinux(masterMask: 0x04);
            h.Pulse(9);
            Assert.False(h.Pair.HasInterrupt);
            h.Out(0x21, 0x00);
            Assert.Equal(0x39, h.Pair.Acknowledge());
        }

        [Fact]
        public void NothingPending_AtInta_IsSpuriousIrq7()
        {
            var h = new PicHarness().InitLikeLinux();
            Assert.Equal(0x37, h.Pair.Acknowledge());
            Assert.Equal(0x00, h.MasterIsr());                               // no ISR bit for a spurious interrupt
        }

        [Fact]
        public void MaskedEdge_StaysLatched_UntilUnmasked()
        {
            var h = new PicHarness().InitLikeLinux(masterMask: 0x10);
            h.Pulse(4);
            Assert.False(h.Pair.HasInterrupt);
            h.Out(0x21, 0x00);
            Assert.Equal(0x34, h.Pair.Acknowledge());
        }

        [Fact]
        public void LevelIrq_PerElcr_RequestsWhileHigh()
        {
            var h = new PicHarness().InitLikeLinux();
            h.Out(0x4D1, 0x04);                                              // IRQ10 level
            h.Pair.SetIrq(10, true);
            Assert.Equal(0x3A, h.Pair.Acknowledge());
            h.Out(0xA0, 0x20);
            h.Out(0x20, 0x20);
            Assert.True(h.Pair.HasInterrupt);                                // still high: again
            Assert.Equal(0x3A, h.Pair.Acknowledge());
            h.Pair.SetIrq(10, false);
            h.Out(0xA0, 0x20);
            h.Out(0x20, 0x20);
            Assert.False(h.Pair.HasInterrupt);
            h.Out(0xA0, 0x0A);
            Assert.Equal(0x00, h.In(0xA0));                                  // IRR follows the line
        }

        [Fact]
        public void LevelLine_DroppedBeforeInta_GivesSpurious()
        {
            var h = new PicHarness().InitLikeLinux();
            h.Out(0x4D0, 0x20);                                              // IRQ5 level
            h.Pair.SetIrq(5, true);
            Assert.True(h.Pair.HasInterrupt);
            h.Pair.SetIrq(5, false);
            Assert.False(h.Pair.HasInterrupt);
            Assert.Equal(0x37, h.Pair.Acknowledge());
        }

        [Fact]
        public void Ltim_MakesEveryInputLevel()
        {
            var h = new PicHarness();
            h.Out(0x20, 0x19);                                               // ICW1 with LTIM
            h.Out(0x21, 0x20);
            h.Out(0x21, 0x04);
            h.Out(0x21, 0x01);
            h.Pair.SetIrq(6, true);
            Assert.Equal(0x26, h.Pair.Acknowledge());
            h.Out(0x20, 0x20);
            Assert.True(h.Pair.HasInterrupt);
        }

        [Fact]
        public void Ocw3_SelectsIrrOrIsr_AndTheSelectionSticks()
        {
            var h = new PicHarness().InitLikeLinux(masterMask: 0xFF);
            h.Pulse(5);
            h.Out(0x20, 0x0A);
            Assert.Equal(0x20, h.In(0x20));
            Assert.Equal(0x20, h.In(0x20));
            h.Out(0x20, 0x0B);
            Assert.Equal(0x00, h.In(0x20));
            h.Out(0x20, 0x08);                                               // RR = 0: no change
            Assert.Equal(0x00, h.In(0x20));
        }

        [Fact]
        public void PollCommand_AcknowledgesThroughARead()
        {
            var h = new PicHarness().InitLikeLinux();
            h.Out(0x20, 0x0C);
            Assert.Equal(0x00, h.In(0x20));                                  // nothing pending
            h.Pulse(6);
            h.Out(0x20, 0x0C);
            Assert.Equal(0x86, h.In(0x21));                                  // any port answers the poll
            Assert.Equal(0x40, h.MasterIsr());
            Assert.False(h.Pair.HasInterrupt);
        }

        [Fact]
        public void SpecificEoi_ClearsOnlyThatLevel()
        {
            var h = new PicHarness().InitLikeLinux();
            h.Pulse(5);
            h.Pair.Acknowledge();
            h.Pulse(1);
            h.Pair.Acknowledge();
            h.Out(0x20, 0x65);
            Assert.Equal(0x02, h.MasterIsr());
        }

        [Fact]
        public void SpecialMaskMode_LetsLowerLevelsThrough()
        {
            var h = new PicHarness().InitLikeLinux();
            h.Pulse(3);
            Assert.Equal(0x33, h.Pair.Acknowledge());
            h.Pulse(5);
            Assert.False(h.Pair.HasInterrupt);
            h.Out(0x21, 0x08);                                               // mask IR3 (in service)
            h.Out(0x20, 0x68);                                               // set special mask mode
            Assert.True(h.Pair.HasInterrupt);
            Assert.Equal(0x35, h.Pair.Acknowledge());
            h.Out(0x20, 0x48);                                               // reset special mask mode
            h.Pulse(6);
            Assert.False(h.Pair.HasInterrupt);
        }

        [Fact]
        public void Rotation_OnEoiAndSetPriority()
        {
            var h = new PicHarness().InitLikeLinux();
            h.Pulse(0);
            Assert.Equal(0x30, h.Pair.Acknowledge());
            h.Out(0x20, 0xA0);                                               // rotate on non-specific EOI: IR0 lowest
            h.Pulse(0);
            h.Pulse(1);
            Assert.Equal(0x31, h.Pair.Acknowledge());
            h.Out(0x20, 0xE1);                                               // rotate on specific EOI 1: IR1 lowest, IR2 highest
            h.Out(0x20, 0xC4);                                               // set priority: IR4 lowest, IR5 highest
            h.Pulse(5);
            Assert.Equal(0x35, h.Pair.Acknowledge());
            h.Out(0x20, 0x20);
            Assert.Equal(0x30, h.Pair.Acknowledge());                        // IR0 (pending all along)
        }

        [Fact]
        public void AutoEoi_LeavesNothingInService_AndMayRotate()
        {
            var h = new PicHarness().InitLikeLinux(masterIcw4: 0x03);
            h.Pulse(1);
            Assert.Equal(0x31, h.Pair.Acknowledge());
            Assert.Equal(0x00, h.MasterIsr());
            h.Out(0x20, 0x80);                                               // rotate in AEOI mode
            h.Pulse(1);
            h.Pair.Acknowledge();                                            // IR1 becomes lowest
            h.Pulse(1);
            h.Pulse(3);
            Assert.Equal(0x33, h.Pair.Acknowledge());
            h.Out(0x20, 0x00);                                               // clear rotate in AEOI
            Assert.Equal(0x31, h.Pair.Acknowledge());
        }

        [Fact]
        public void SpecialFullyNested_LetsAHigherSlaveIrqThrough()
        {
            var nested = new PicHarness().InitLikeLinux(masterIcw4: 0x11);
            nested.Pulse(12);
            Assert.Equal(0x3C, nested.Pair.Acknowledge());
            nested.Pulse(9);                                                 // higher on the slave
            Assert.True(nested.Pair.HasInterrupt);
            Assert.Equal(0x39, nested.Pair.Acknowledge());

            var plain = new PicHarness().InitLikeLinux();
            plain.Pulse(12);
            plain.Pair.Acknowledge();
            plain.Pulse(9);
            Assert.False(plain.Pair.HasInterrupt);                           // master's IR2 in service blocks it
        }
    }
}
