using System;
using Hv.Memory;
using Xunit;

namespace Hv.Tests.Unit.Memory
{
    /// <summary>Decoding GetMemoryMap's raw descriptors (UEFI 2.10 §7.2.3), good and hostile.</summary>
    public class MemoryMapParserTests
    {
        private static MemoryMapResult Parse(byte[] map, ulong descriptorSize, out MemoryRange[] ranges, out MemoryMapIssue[] issues, int capacity = -1)
        {
            ranges = new MemoryRange[capacity >= 0 ? capacity : MemoryMapParser.DescriptorCount(map.Length, descriptorSize)];
            issues = new MemoryMapIssue[16];
            return MemoryMapParser.Parse(map, descriptorSize, ranges, issues);
        }

        [Fact]
        public void DescriptorLayout_MatchesTheSpec()
        {
            Assert.Equal(0, MemoryMapParser.TypeOffset);
            Assert.Equal(8, MemoryMapParser.PhysicalStartOffset);
            Assert.Equal(16, MemoryMapParser.VirtualStartOffset);
            Assert.Equal(24, MemoryMapParser.NumberOfPagesOffset);
            Assert.Equal(32, MemoryMapParser.AttributeOffset);
            Assert.Equal(40, MemoryMapParser.MinDescriptorSize);
        }

        [Theory]
        [InlineData(40)]
        [InlineData(48)]    // what OVMF and most firmware use
        [InlineData(64)]
        public void OvmfMap_DecodesEveryDescriptor_WithTheDescriptorSizeAsStride(int descriptorSize)
        {
            MemoryRange[] source = Maps.Ovmf();

            MemoryMapResult result = Parse(Maps.Encode(source, descriptorSize), (ulong)descriptorSize, out MemoryRange[] ranges, out _);

            Assert.True(result.Readable);
            Assert.Equal(0, result.IssueCount);
            Assert.Equal(source.Length, result.RangeCount);
            for (int i = 0; i < source.Length; i++)
            {
                Assert.Equal(source[i].Start, ranges[i].Start);
                Assert.Equal(source[i].Pages, ranges[i].Pages);
                Assert.Equal(source[i].Kind, ranges[i].Kind);
                Assert.Equal(source[i].Attributes, ranges[i].Attributes);
            }
        }

        [Theory]
        [InlineData(0ul)]
        [InlineData(8ul)]
        [InlineData(39ul)]
        public void DescriptorSizeBelow40_MakesTheMapUnreadable(ulong descriptorSize)
        {
            byte[] map = Maps.Encode(Maps.Small());

            MemoryMapResult result = MemoryMapParser.Parse(map, descriptorSize, new MemoryRange[8], new MemoryMapIssue[4]);

            Assert.False(result.Readable);
            Assert.Equal(0, result.RangeCount);
            Assert.Equal(0, MemoryMapParser.DescriptorCount(map.Length, descriptorSize));
        }

        [Fact]
        public void DescriptorSizeBelow40_IsReportedWithTheSize()
        {
            MemoryMapIssue[] issues = new MemoryMapIssue[1];
            MemoryMapParser.Parse(new byte[96], 24, new MemoryRange[4], issues);

            Assert.Equal(MemoryMapIssueKind.DescriptorTooSmall, issues[0].Kind);
            Assert.Equal("memory map: descriptor size 24 is below the 40 bytes of EFI_MEMORY_DESCRIPTOR; map not readable", issues[0].ToString());
        }

        [Fact]
        public void MapSizeNotAMultiple_KeepsWholeDescriptors_AndReportsTheTail()
        {
            byte[] whole = Maps.Encode(Maps.Small());
            byte[] map = new byte[whole.Length + 20];
            whole.CopyTo(map, 0);

            MemoryMapResult result = Parse(map, 48, out _, out MemoryMapIssue[] issues);

            Assert.True(result.Readable);
            Assert.Equal(5, result.RangeCount);
            Assert.Equal(1, result.IssueCount);
            Assert.Equal(MemoryMapIssueKind.TrailingBytes, issues[0].Kind);
            Assert.Equal(20ul, issues[0].Value);
        }

        [Fact]
        public void HugeDescriptorSize_ReadsNothing_WithoutCrashing()
        {
            MemoryMapResult result = Parse(Maps.Encode(Maps.Small()), ulong.MaxValue, out _, out MemoryMapIssue[] issues);

            Assert.True(result.Readable);
            Assert.Equal(0, result.RangeCount);
            Assert.Equal(MemoryMapIssueKind.TrailingBytes, issues[0].Kind);
        }

        [Fact]
        public void EmptyMap_IsReadable_AndEmpty()
        {
            MemoryMapResult result = MemoryMapParser.Parse(ReadOnlySpan<byte>.Empty, 48, Span<MemoryRange>.Empty, Span<MemoryMapIssue>.Empty);

            Assert.True(result.Readable);
            Assert.Equal(0, result.RangeCount);
            Assert.Equal(0, result.IssueCount);
        }

        [Theory]
        [InlineData(0x10_0000ul, 0ul, MemoryMapIssueKind.ZeroPages)]
        [InlineData(0x10_0800ul, 1ul, MemoryMapIssueKind.UnalignedStart)]
        [InlineData(0xFFFF_FFFF_FFFF_F000ul, 2ul, MemoryMapIssueKind.Wraps)]
        [InlineData(0x1000ul, 0x10_0000_0000_0000ul, MemoryMapIssueKind.Wraps)]      // pages * 4 KiB > 2^64
        [InlineData(0x1000ul, ulong.MaxValue, MemoryMapIssueKind.Wraps)]
        public void IllFormedDescriptor_IsDroppedAndReported(ulong start, ulong pages, MemoryMapIssueKind expected)
        {
            byte[] map = Maps.Encode(Maps.Small());
            Maps.Write(map, 2 * 48, 48, (uint)MemoryKind.ConventionalMemory, start, pages, 0);

            MemoryMapResult result = Parse(map, 48, out MemoryRange[] ranges, out MemoryMapIssue[] issues);

            Assert.True(result.Readable);
            Assert.Equal(4, result.RangeCount);
            Assert.Equal(1, result.IssueCount);
            Assert.Equal(expected, issues[0].Kind);
            Assert.Equal(2, issues[0].Descriptor);
            for (int i = 0; i < result.RangeCount; i++)
                Assert.True(ranges[i].IsWellFormed);
        }

        [Fact]
        public void RangeEndingExactlyAt2To64_IsAccepted()
        {
            byte[] map = Maps.Encode(new[] { Maps.R(0xFFFF_FFFF_FFFF_0000, 0x10, MemoryKind.Reserved) });

            MemoryMapResult result = Parse(map, 48, out _, out _);

            Assert.Equal(1, result.RangeCount);
            Assert.Equal(0, result.IssueCount);
        }

        [Fact]
        public void OverlappingDescriptors_AreKept_AndReportedWithBothIndexes()
        {
            MemoryRange[] source = Maps.Small();
            source[4] = Maps.R(0x3F_0000, 0x20, MemoryKind.RuntimeServicesData);     // into descriptor 2

            MemoryMapResult result = Parse(Maps.Encode(source), 48, out _, out MemoryMapIssue[] issues);

            Assert.Equal(5, result.RangeCount);
            Assert.Equal(1, result.IssueCount);
            Assert.Equal(MemoryMapIssueKind.Overlap, issues[0].Kind);
            Assert.Equal(4, issues[0].Descriptor);
            Assert.Equal(2, issues[0].Other);
            Assert.Equal(0x3F_0000ul, issues[0].Value);
            Assert.Equal("memory map: descriptors 2 and 4 overlap at 0x3f0000; free memory in them is not used", issues[0].ToString());
        }

        [Fact]
        public void FullRangeBuffer_StopsWithAnIssue()
        {
            MemoryMapResult result = Parse(Maps.Encode(Maps.Ovmf()), 48, out _, out MemoryMapIssue[] issues, capacity: 3);

            Assert.Equal(3, result.RangeCount);
            Assert.Equal(MemoryMapIssueKind.TooManyDescriptors, issues[result.IssueCount - 1].Kind);
        }

        [Fact]
        public void FullIssueBuffer_StillCountsEveryIssue()
        {
            byte[] map = new byte[10 * 48];
            for (int i = 0; i < 10; i++)
                Maps.Write(map, i * 48, 48, 7, 0x10_0000, 0, 0);    // ten zero-page descriptors

            MemoryMapIssue[] issues = new MemoryMapIssue[3];
            MemoryMapResult result = MemoryMapParser.Parse(map, 48, new MemoryRange[10], issues);

            Assert.Equal(10, result.IssueCount);
            Assert.Equal(0, result.RangeCount);
            Assert.Equal(2, issues[2].Descriptor);
        }

        [Theory]
        [InlineData(MemoryMapIssueKind.DescriptorTooSmall)]
        [InlineData(MemoryMapIssueKind.TrailingBytes)]
        [InlineData(MemoryMapIssueKind.ZeroPages)]
        [InlineData(MemoryMapIssueKind.UnalignedStart)]
        [InlineData(MemoryMapIssueKind.Wraps)]
        [InlineData(MemoryMapIssueKind.Overlap)]
        [InlineData(MemoryMapIssueKind.TooManyDescriptors)]
        public void EveryIssue_HasALogLine(MemoryMapIssueKind kind)
        {
            string line = new MemoryMapIssue(kind, 3, 1, 0x1234).ToString();

            Assert.StartsWith("memory map: ", line);
            Assert.True(line.Length > 30, line);
        }

        [Fact]
        public void RandomBytes_NeverCrash_AndOnlyYieldWellFormedRanges()
        {
            Random random = new Random(20240603);
            for (int round = 0; round < 500; round++)
            {
                byte[] map = new byte[random.Next(0, 600)];
                random.NextBytes(map);
                // Sometimes keep pages small and starts aligned so that some descriptors survive.
                for (int at = 0; at + 40 <= map.Length && round % 2 == 0; at += 40)
                    Maps.Write(map, at, 40, (uint)random.Next(0, 16), (ulong)random.Next(0, 1 << 20) << 12, (ulong)random.Next(0, 4096), 8);
                ulong size = (ulong)random.Next(0, 100);

                MemoryMapResult result = Parse(map, size, out MemoryRange[] ranges, out _);

                Assert.Equal(size >= 40, result.Readable);
                for (int i = 0; i < result.RangeCount; i++)
                    Assert.True(ranges[i].IsWellFormed);
                FrameLayoutTests.AssertAccountsForEveryPage(ranges.AsSpan(0, result.RangeCount).ToArray());
            }
        }
    }
}
