using System;
using Hv.Virt;
using Xunit;

namespace Hv.Tests.Unit.Virt
{
    /// <summary>Guest-physical regions: validation, checked translation, copies across regions.</summary>
    public class GuestMemoryTests
    {
        // Guest [0, 64 KiB) -> host 0x1_0000_0000; guest [64 KiB, 128 KiB) -> host 0x1_0002_0000 (not
        // host-contiguous); guest [1 MiB, 1 MiB + 8 KiB) -> host 0x1_0004_0000.
        private static GuestMemory TwoPlusOne(out FakeHostRam host)
        {
            host = new FakeHostRam(0x1_0000_0000, 0x5_0000);
            var regions = new[]
            {
                TestVm.Region(0x10_0000, 0x1_0004_0000, 0x2000),
                TestVm.Region(0x0, 0x1_0000_0000, 0x1_0000),
                TestVm.Region(0x1_0000, 0x1_0002_0000, 0x1_0000),
            };
            Assert.True(GuestMemory.TryCreate(regions, host, out GuestMemory m, out string error), error);
            return m;
        }

        [Fact]
        public void Regions_AreSorted_AndCounted()
        {
            GuestMemory m = TwoPlusOne(out _);
            Assert.Equal(3, m.RegionCount);
            Assert.Equal(0ul, m.Region(0).GuestPhysical);
            Assert.Equal(0x10_0000ul, m.Region(2).GuestPhysical);
            Assert.Equal(0x2_2000ul, m.TotalSize);
            Assert.Equal(0x10_2000ul, m.End);
        }

        [Theory]
        [InlineData(0x0ul, 1ul, true, 0x1_0000_0000ul)]
        [InlineData(0xFFFFul, 1ul, true, 0x1_0000_FFFFul)]         // last byte of the first region
        [InlineData(0xFFF8ul, 8ul, true, 0x1_0000_FFF8ul)]         // ends exactly at the region end
        [InlineData(0xFFF8ul, 9ul, false, 0ul)]                    // crosses into the next region: refused
        [InlineData(0x1_0000ul, 0x1_0000ul, true, 0x1_0002_0000ul)]
        [InlineData(0x2_0000ul, 1ul, false, 0ul)]                  // hole
        [InlineData(0x10_1FFFul, 1ul, true, 0x1_0004_1FFFul)]
        [InlineData(0x10_2000ul, 1ul, false, 0ul)]                 // one past the end
        [InlineData(0x100ul, 0ul, false, 0ul)]                     // length 0 is refused
        [InlineData(0x100ul, ulong.MaxValue, false, 0ul)]          // would wrap past 2^64
        [InlineData(ulong.MaxValue, 1ul, false, 0ul)]
        [InlineData(ulong.MaxValue, ulong.MaxValue, false, 0ul)]
        public void TryTranslate_Edges(ulong gpa, ulong length, bool ok, ulong hpa)
        {
            GuestMemory m = TwoPlusOne(out _);
            Assert.Equal(ok, m.TryTranslate(gpa, length, out ulong got));
            Assert.Equal(hpa, got);
        }

        [Fact]
        public void IsRam_AndOverlaps()
        {
            GuestMemory m = TwoPlusOne(out _);
            Assert.True(m.IsRam(0));
            Assert.True(m.IsRam(0x1_FFFF));
            Assert.False(m.IsRam(0x2_0000));
            Assert.False(m.IsRam(ulong.MaxValue));
            Assert.True(m.Overlaps(0xF_F000, 0x2000));
            Assert.False(m.Overlaps(0x2_0000, 0xE_0000));
            Assert.False(m.Overlaps(0x100, 0));
            Assert.True(m.Overlaps(0x10_0000, ulong.MaxValue));       // clipped at 2^64, still covers RAM
            Assert.False(m.Overlaps(0xFEE0_0000, 0x1000));
        }

        [Fact]
        public void ReadWrite_SpanAdjacentRegions_WithDifferentHostBacking()
        {
            GuestMemory m = TwoPlusOne(out FakeHostRam host);
            byte[] data = { 1, 2, 3, 4, 5, 6, 7, 8 };
            Assert.True(m.Write(0xFFFC, data));
            Assert.Equal(new byte[] { 1, 2, 3, 4 }, new ReadOnlySpan<byte>(host.Bytes, 0xFFFC, 4).ToArray());
            Assert.Equal(new byte[] { 5, 6, 7, 8 }, new ReadOnlySpan<byte>(host.Bytes, 0x2_0000, 4).ToArray());
            byte[] back = new byte[8];
            Assert.True(m.Read(0xFFFC, back));
            Assert.Equal(data, back);
            Assert.True(m.ReadUInt64(0xFFFC, 8, out ulong v));
            Assert.Equal(0x0807_0605_0403_0201ul, v);
        }

        [Fact]
        public void ReadWrite_LeavingRam_FailWithoutTouchingAnything()
        {
            GuestMemory m = TwoPlusOne(out FakeHostRam host);
            byte[] data = { 9, 9, 9, 9 };
            Assert.False(m.Write(0x1_FFFE, data));                        // last 2 bytes would fall in the hole
            Assert.Equal(0, host.Writes);
            byte[] back = { 7, 7, 7, 7 };
            Assert.False(m.Read(0x1_FFFE, back));
            Assert.Equal(new byte[] { 7, 7, 7, 7 }, back);
            Assert.False(m.Write(ulong.MaxValue - 1, data));
            Assert.False(m.Zero(0x10_1000, 0x1001));
            Assert.True(m.Write(0x100, ReadOnlySpan<byte>.Empty));
        }

        [Fact]
        public void Zero_ClearsAcrossRegions()
        {
            GuestMemory m = TwoPlusOne(out FakeHostRam host);
            host.Bytes.AsSpan().Fill(0xAA);
            Assert.True(m.Zero(0xFF00, 0x300));
            Assert.Equal(0, host.Bytes[0xFF00]);
            Assert.Equal(0, host.Bytes[0x2_01FF]);
            Assert.Equal(0xAA, host.Bytes[0x2_0200]);
            Assert.Equal(0xAA, host.Bytes[0xFEFF]);
        }

        public static TheoryData<ulong, ulong, ulong, ulong, ulong, ulong, string> BadLayouts => new TheoryData<ulong, ulong, ulong, ulong, ulong, ulong, string>
        {
            // guest A, host A, size A, guest B, host B, size B, expected words
            { 0x0, 0x10_0000, 0x2000, 0x1000, 0x20_0000, 0x2000, "overlaps" },
            { 0x0, 0x10_0000, 0x1000, 0x1000, 0x10_0000, 0x1000, "backs two" },      // one host page, two guest pages
            { 0x0, 0x10_0000, 0x2000, 0x8000, 0x10_1000, 0x1000, "backs two" },      // host ranges overlap partly
            { 0x800, 0x10_0000, 0x1000, 0x8000, 0x20_0000, 0x1000, "4 KiB" },
            { 0x0, 0x10_0000, 0x0, 0x8000, 0x20_0000, 0x1000, "empty" },
            { 0xFFFF_FFFF_F000, 0x10_0000, 0x2000, 0x0, 0x20_0000, 0x1000, "2^48" },
            { 0xFFFF_FFFF_FFFF_F000, 0x10_0000, 0x1000, 0x0, 0x20_0000, 0x1000, "2^48" },
        };

        [Theory]
        [MemberData(nameof(BadLayouts))]
        public void TryCreate_RefusesBadLayouts(ulong guestA, ulong hostA, ulong sizeA, ulong guestB, ulong hostB, ulong sizeB, string why)
        {
            var regions = new[] { TestVm.Region(guestA, hostA, sizeA), TestVm.Region(guestB, hostB, sizeB) };
            Assert.False(GuestMemory.TryCreate(regions, new FakeHostRam(0, 1), out GuestMemory m, out string error));
            Assert.Null(m);
            Assert.Contains(why, error);
        }

        [Fact]
        public void TryCreate_RefusesHostRangePast2To52()
        {
            var regions = new[] { TestVm.Region(0, (1UL << 52) - 0x1000, 0x2000) };
            Assert.False(GuestMemory.TryCreate(regions, new FakeHostRam(0, 1), out _, out string error));
            Assert.Contains("2^52", error);
        }
    }
}
