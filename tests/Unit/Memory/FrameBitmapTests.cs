using Hv.Memory;
using Xunit;

namespace Hv.Tests.Unit.Memory
{
    /// <summary>The bitmap primitives, across word boundaries and at the storage's edge.</summary>
    public unsafe class FrameBitmapTests
    {
        [Fact]
        public void TrailingZeroCount_EveryBit()
        {
            Assert.Equal(64, FrameBitmap.TrailingZeroCount(0));
            for (int i = 0; i < 64; i++)
            {
                Assert.Equal(i, FrameBitmap.TrailingZeroCount(1ul << i));
                Assert.Equal(i, FrameBitmap.TrailingZeroCount(ulong.MaxValue << i));
            }
        }

        [Fact]
        public void FillAndFindFirst_AcrossWords()
        {
            ulong* words = stackalloc ulong[4];
            FrameBitmap b = new FrameBitmap(words, 4);
            b.Fill(0, 256, false);

            b.Fill(60, 70, true);       // bits 60..129

            Assert.Equal(0x_F000_0000_0000_0000ul, words[0]);
            Assert.Equal(ulong.MaxValue, words[1]);
            Assert.Equal(0x3ul, words[2]);
            Assert.Equal(60ul, b.FindFirst(0, 256, true));
            Assert.Equal(130ul - 64, b.FindFirst(64, 192, false));
            Assert.Equal(FrameBitmap.NotFound, b.FindFirst(60, 70, false));
            Assert.Equal(FrameBitmap.NotFound, b.FindFirst(0, 60, true));
            Assert.Equal(256ul - 70, b.CountClear());
        }

        [Fact]
        public void OutsideTheStorage_ReadsAllocated_AndWritesNothing()
        {
            ulong* words = stackalloc ulong[3];
            words[2] = 0x1234;          // a neighbour the bitmap (2 words) must not touch
            FrameBitmap b = new FrameBitmap(words, 2);
            b.Fill(0, 128, false);

            b.Fill(100, 100, false);
            b.SetWord(2, 0);

            Assert.Equal(0x1234ul, words[2]);
            Assert.True(b.Test(128));
            Assert.Equal(ulong.MaxValue, b.Word(2));
            Assert.Equal(FrameBitmap.NotFound, b.FindFirst(128, 64, false));
        }

        [Fact]
        public void NullStorage_HasNoWords()
        {
            FrameBitmap b = new FrameBitmap(null, 100);

            Assert.Equal(0ul, b.WordCount);
            Assert.True(b.Test(0));
        }
    }
}
