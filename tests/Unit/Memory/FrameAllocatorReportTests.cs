using Hv.Memory;
using Xunit;

namespace Hv.Tests.Unit.Memory
{
    /// <summary>The boot log line, the size wording, and the spin lock seam.</summary>
    public class FrameAllocatorReportTests
    {
        [Fact]
        public void Ovmf_Report()
        {
            PhysicalFrameAllocator a = Maps.Allocator(Maps.Ovmf());
            Assert.True(a.TryAllocateContiguous(PageSize.FramesPer2M, PageSize.Size2M, out _));

            Assert.Equal("memory: 2971 MiB usable in 7 ranges, 2969 MiB free, first free frame 0x100000, AP frame 0x1000; "
                + "reserved: 1 MiB runtime services, 1 MiB ACPI, 4 MiB MMIO, 97 MiB loader (image, heap, guest files), "
                + "256 MiB other, 640 KiB below 1 MiB", FrameAllocatorReport.Format(a));
        }

        [Fact]
        public void Report_Exhausted_WithOverlaps_AndNoLowMemory()
        {
            PhysicalFrameAllocator a = Maps.Allocator(new[]
            {
                Maps.R(0x10_0000, 0x100, MemoryKind.ConventionalMemory),
                Maps.R(0x20_0000, 0x10, MemoryKind.ConventionalMemory),
                Maps.R(0x20_0000, 0x1, MemoryKind.AcpiReclaim),
            });
            while (a.TryAllocate(out _))
            {
            }

            Assert.Equal("memory: 1 MiB usable in 1 range, 0 MiB free, first free frame none, AP frame none; "
                + "reserved: 0 MiB runtime services, 4 KiB ACPI, 0 MiB MMIO, 0 MiB loader (image, heap, guest files), "
                + "0 MiB other, 0 MiB below 1 MiB, 64 KiB overlapping (map error)", FrameAllocatorReport.Format(a));
        }

        [Theory]
        [InlineData(0ul, "0 MiB")]
        [InlineData(1ul, "4 KiB")]
        [InlineData(255ul, "1020 KiB")]
        [InlineData(256ul, "1 MiB")]
        [InlineData(767ul, "2 MiB")]
        [InlineData(1ul << 40, "4294967296 MiB")]
        public void Sizes_AreMiB_OrKiBBelowOneMiB(ulong pages, string expected)
        {
            Assert.Equal(expected, new TextLine("").Pages(pages).ToString());
        }

        [Fact]
        public void SpinLock_IsExclusive()
        {
            SpinLock l = default;
            Assert.False(l.IsHeld);

            l.Enter();
            Assert.True(l.IsHeld);
            Assert.False(l.TryEnter());
            l.Exit();

            Assert.True(l.TryEnter());
            l.Exit();
            Assert.False(l.IsHeld);
        }
    }
}
