using Hv.Memory;
using Xunit;

namespace Hv.Tests.Unit.Memory
{
    /// <summary>Aligned runs of frames: 2 MiB and 1 GiB pages for EPT/NPT, small aligned buffers.</summary>
    public class ContiguousAllocationTests
    {
        private static void AssertRunAllocated(PhysicalFrameAllocator a, HostPhysical start, ulong frames)
        {
            for (ulong i = 0; i < frames; i++)
                Assert.True(a.IsAllocated(new HostPhysical(start.Value + i * PageSize.Size4K)));
        }

        [Fact]
        public void Ovmf_First2MiBPage_Is2MiB()
        {
            PhysicalFrameAllocator a = Maps.Allocator(Maps.Ovmf());

            Assert.True(a.TryAllocateContiguous(PageSize.FramesPer2M, PageSize.Size2M, out HostPhysical run));

            Assert.Equal(0x20_0000ul, run.Value);
            AssertRunAllocated(a, run, PageSize.FramesPer2M);
            Assert.Equal(PageSize.FramesPer2M, a.AllocatedFrames);
            Assert.False(a.IsAllocated(new HostPhysical(0x1F_F000)));
            Assert.False(a.IsAllocated(new HostPhysical(0x40_0000)));
        }

        [Fact]
        public void Ovmf_1GiBPage_ComesFromAbove4GiB()
        {
            PhysicalFrameAllocator a = Maps.Allocator(Maps.Ovmf());

            Assert.True(a.TryAllocateContiguous(PageSize.FramesPer1G, PageSize.Size1G, out HostPhysical run));

            Assert.Equal(0x1_0000_0000ul, run.Value);
            Assert.False(a.TryAllocateContiguous(PageSize.FramesPer1G, PageSize.Size1G, out _));
            Assert.True(a.CheckConsistency());
        }

        [Fact]
        public void Every2MiBPage_IsAligned_AndInsideFreeMemory()
        {
            MemoryRange[] map = Maps.Ovmf();
            PhysicalFrameAllocator a = Maps.Allocator(map);
            int count = 0;
            while (a.TryAllocateContiguous(PageSize.FramesPer2M, PageSize.Size2M, out HostPhysical run))
            {
                Assert.True(run.IsAligned(PageSize.Size2M), run.ToString());
                for (ulong i = 0; i < PageSize.FramesPer2M; i++)
                    Assert.True(Maps.InsideUsable(map, new HostPhysical(run.Value + i * PageSize.Size4K)));
                count++;
            }

            // 2..8 MiB: 3, 10 MiB..1.75 GiB: 891, 0x7620_0000..0x7FA0_0000: 76, 0x7FC0_0000: 1, 4..5 GiB: 512.
            Assert.Equal(3 + 891 + 76 + 1 + 512, count);
            Assert.True(a.CheckConsistency());
        }

        [Fact]
        public void Run_MayCrossADescriptorBoundary_BetweenTouchingFreeRanges()
        {
            // 1..3 MiB conventional, 3..5 MiB boot services code: the 2..4 MiB page spans both.
            PhysicalFrameAllocator a = Maps.Allocator(Maps.Small());

            Assert.True(a.TryAllocateContiguous(PageSize.FramesPer2M, PageSize.Size2M, out HostPhysical run));

            Assert.Equal(0x20_0000ul, run.Value);
        }

        [Fact]
        public void Run_SkipsAllocatedFrames()
        {
            PhysicalFrameAllocator a = Maps.Allocator(Maps.Small());
            Assert.True(a.TryAllocate(out _));                  // 0x100000
            Assert.True(a.TryAllocate(out _));                  // 0x101000

            Assert.True(a.TryAllocateContiguous(3, 0x4000, out HostPhysical run));

            Assert.Equal(0x10_4000ul, run.Value);
            AssertRunAllocated(a, run, 3);
            Assert.True(a.TryAllocate(out HostPhysical next));
            Assert.Equal(0x10_2000ul, next.Value);              // the gap stays usable
        }

        [Theory]
        [InlineData(0ul, 0x1000ul)]
        [InlineData(1ul, 0ul)]
        [InlineData(1ul, 0x800ul)]      // below a frame
        [InlineData(1ul, 0x3000ul)]     // not a power of two
        [InlineData(0x1_0000_0000ul, 0x1000ul)]   // more than exists
        public void InvalidOrImpossibleRequests_ReturnFalse_AndChangeNothing(ulong frames, ulong alignment)
        {
            PhysicalFrameAllocator a = Maps.Allocator(Maps.Small());

            Assert.False(a.TryAllocateContiguous(frames, alignment, out HostPhysical run));

            Assert.Equal(0ul, run.Value);
            Assert.Equal(0ul, a.AllocatedFrames);
        }

        [Fact]
        public void RunLargerThanAnyRegion_Fails_EvenWhenTheTotalWouldFit()
        {
            PhysicalFrameAllocator a = Maps.Allocator(Maps.Small());   // regions of 0x400 and 0x200 frames

            Assert.False(a.TryAllocateContiguous(0x401, PageSize.Size4K, out _));
            Assert.True(a.TryAllocateContiguous(0x400, PageSize.Size4K, out HostPhysical run));
            Assert.Equal(0x10_0000ul, run.Value);
        }

        [Fact]
        public void FreeContiguous_IsAllOrNothing()
        {
            PhysicalFrameAllocator a = Maps.Allocator(Maps.Small());
            Assert.True(a.TryAllocateContiguous(16, PageSize.Size4K, out HostPhysical run));
            Assert.True(a.Free(new HostPhysical(run.Value + 5 * PageSize.Size4K)));
            FrameCounts before = a.Counts;

            Assert.False(a.FreeContiguous(run, 16));              // frame 5 is already free
            Assert.Equal(before.Free, a.Counts.Free);
            Assert.True(a.IsAllocated(run));

            Assert.True(a.FreeContiguous(run, 5));
            Assert.True(a.FreeContiguous(new HostPhysical(run.Value + 6 * PageSize.Size4K), 10));
            Assert.Equal(a.UsableFrames, a.FreeFrames);
            Assert.True(a.CheckConsistency());
        }

        [Fact]
        public void FreeContiguous_PastTheEndOfARegion_IsRefused()
        {
            PhysicalFrameAllocator a = Maps.Allocator(new[] { Maps.R(0x10_0000, 8, MemoryKind.ConventionalMemory) });
            Assert.True(a.TryAllocateContiguous(8, PageSize.Size4K, out HostPhysical run));

            Assert.False(a.FreeContiguous(run, 9));
            Assert.False(a.FreeContiguous(run, ulong.MaxValue));
            Assert.True(a.FreeContiguous(run, 8));
        }
    }
}
