using System;
using Hv.Memory;
using Hv.Tests.Unit.Memory;
using Hv.Virt;
using Xunit;

namespace Hv.Tests.Unit.Virt
{
    /// <summary>Host chunks laid onto guest ranges, and the VM's RAM taken from the frame allocator.</summary>
    public class GuestRamLayoutTests
    {
        [Fact]
        public void TryBuild_SplitsChunksAcrossRanges_AndMergesContiguousPieces()
        {
            // Guest RAM: [0, 640 KiB) and [1 MiB, 3 MiB). Host: 2 MiB at 0x4000_0000, then 640 KiB at 0x4020_0000.
            var ram = new[] { new GuestRange(0, 0xA_0000), new GuestRange(0x10_0000, 0x20_0000) };
            var chunks = new[] { new HostChunk(0x4000_0000, 0x20_0000), new HostChunk(0x4020_0000, 0xA_0000) };
            Assert.True(GuestMemoryLayout.TryBuild(ram, chunks, new FakeHostRam(0, 1), out GuestMemory m, out string error), error);

            Assert.Equal(2, m.RegionCount);
            Assert.Equal(TestVm.Region(0, 0x4000_0000, 0xA_0000), m.Region(0));
            // The rest of chunk 0 and all of chunk 1 are host-contiguous: one region.
            Assert.Equal(TestVm.Region(0x10_0000, 0x400A_0000, 0x20_0000), m.Region(1));
            Assert.True(m.TryTranslate(0x2F_FFFF, 1, out ulong last));
            Assert.Equal(0x4029_FFFFul, last);
            Assert.False(m.IsRam(0xA_0000));                         // the hole stays a hole
        }

        [Fact]
        public void TryBuild_OneChunkForOneRange_GivesOneRegion()
        {
            var ram = new[] { new GuestRange(0, 0x400_0000) };
            var chunks = new[] { new HostChunk(0x8000_0000, 0x200_0000), new HostChunk(0x8200_0000, 0x200_0000) };
            Assert.True(GuestMemoryLayout.TryBuild(ram, chunks, new FakeHostRam(0, 1), out GuestMemory m, out _));
            Assert.Equal(1, m.RegionCount);
            Assert.Equal(0x400_0000ul, m.Region(0).Size);
        }

        [Fact]
        public void TryBuild_RefusesSizeMismatch_AndBadPieces()
        {
            var ram = new[] { new GuestRange(0, 0x2000) };
            Assert.False(GuestMemoryLayout.TryBuild(ram, new[] { new HostChunk(0x10_0000, 0x1000) }, new FakeHostRam(0, 1), out _, out string error));
            Assert.Contains("8192", error);
            var overlapping = new[] { new GuestRange(0, 0x2000), new GuestRange(0x1000, 0x1000) };
            Assert.False(GuestMemoryLayout.TryBuild(overlapping, new[] { new HostChunk(0x10_0000, 0x3000) }, new FakeHostRam(0, 1), out _, out error));
            Assert.Contains("overlaps", error);
        }

        [Fact]
        public void LoaderView_WritesThroughTheRegions_AndRefusesTheHole()
        {
            var host = new FakeHostRam(0x4000_0000, 0x20_0000);
            var ram = new[] { new GuestRange(0, 0xA_0000), new GuestRange(0x10_0000, 0x16_0000) };
            Assert.True(GuestMemoryLayout.TryBuild(ram, new[] { new HostChunk(0x4000_0000, 0x20_0000) }, host, out GuestMemory m, out _));
            var view = new GuestRamView(m);
            Assert.Equal(0x26_0000ul, view.Size);
            Assert.True(view.Write(0x10_0000, new byte[] { 0xAB }));
            Assert.Equal(0xAB, host.Bytes[0xA_0000]);                // guest 1 MiB follows guest 640 KiB on the host
            Assert.False(view.Write(0xB_0000, new byte[] { 1 }));     // the hole
            Assert.True(view.Zero(0x10_0000, 1));
            Assert.Equal(0, host.Bytes[0xA_0000]);
        }

        [Fact]
        public void Allocate_8MiB_IsOne2MiBAlignedRun()
        {
            PhysicalFrameAllocator frames = Maps.Allocator(Maps.Ovmf());
            var chunks = new HostChunk[8];
            Assert.True(GuestRamAllocator.TryAllocate(frames, 0x80_0000, chunks, out int count, out string error), error);
            Assert.Equal(1, count);
            Assert.Equal(0ul, chunks[0].HostPhysical % PageSize.Size2M);
            Assert.Equal(0x80_0000ul, chunks[0].Size);
            Assert.Equal(0x800ul, frames.AllocatedFrames);
        }

        [Fact]
        public void Allocate_OddSize_Uses2MiBRunsThenA4KiBTail()
        {
            PhysicalFrameAllocator frames = Maps.Allocator(Maps.Ovmf());
            var chunks = new HostChunk[8];
            Assert.True(GuestRamAllocator.TryAllocate(frames, 0x40_3000, chunks, out int count, out _));
            ulong total = 0;
            for (int i = 0; i < count; i++)
                total += chunks[i].Size;
            Assert.Equal(0x40_3000ul, total);
            Assert.Equal(0ul, chunks[0].HostPhysical % PageSize.Size2M);
            Assert.True(chunks[0].Size >= 0x40_0000);
            Assert.Equal(0x403ul, frames.AllocatedFrames);
            Assert.True(frames.CheckConsistency());
        }

        [Fact]
        public void Allocate_FragmentedMemory_FallsBackToSmallRuns()
        {
            // Maps.Small(): 1-3 MiB conventional + 3-5 MiB boot services (one run 1-5 MiB), and 6-8 MiB.
            PhysicalFrameAllocator frames = Maps.Allocator(Maps.Small());
            var chunks = new HostChunk[16];
            Assert.True(GuestRamAllocator.TryAllocate(frames, 0x60_0000, chunks, out int count, out string error), error);
            Assert.True(count >= 2);
            ulong total = 0;
            for (int i = 0; i < count; i++)
                total += chunks[i].Size;
            Assert.Equal(0x60_0000ul, total);
            Assert.Equal(0x600ul, frames.AllocatedFrames);
        }

        [Fact]
        public void Allocate_TooMuch_ReturnsEverything()
        {
            PhysicalFrameAllocator frames = Maps.Allocator(Maps.Small());
            ulong before = frames.FreeFrames;
            var chunks = new HostChunk[16];
            Assert.False(GuestRamAllocator.TryAllocate(frames, 0x100_0000, chunks, out int count, out string error));
            Assert.Equal(0, count);
            Assert.Contains("out of host memory", error);
            Assert.Equal(before, frames.FreeFrames);
            Assert.True(frames.CheckConsistency());
        }

        [Fact]
        public void Allocate_TooFewChunkSlots_ReturnsEverything()
        {
            PhysicalFrameAllocator frames = Maps.Allocator(Maps.Small());
            ulong before = frames.FreeFrames;
            var chunks = new HostChunk[1];
            Assert.False(GuestRamAllocator.TryAllocate(frames, 0x60_0000, chunks, out int count, out string error));
            Assert.Contains("fragmented", error);
            Assert.Equal(before, frames.FreeFrames);
        }

        [Fact]
        public void Allocate_RefusesUnalignedSize_AndFreeReturnsFrames()
        {
            PhysicalFrameAllocator frames = Maps.Allocator(Maps.Ovmf());
            var chunks = new HostChunk[4];
            Assert.False(GuestRamAllocator.TryAllocate(frames, 0x1234, chunks, out _, out _));
            Assert.False(GuestRamAllocator.TryAllocate(frames, 0, chunks, out _, out _));
            Assert.True(GuestRamAllocator.TryAllocate(frames, 0x20_0000, chunks, out int count, out _));
            GuestRamAllocator.Free(frames, new ReadOnlySpan<HostChunk>(chunks, 0, count));
            Assert.Equal(0ul, frames.AllocatedFrames);
        }
    }
}
