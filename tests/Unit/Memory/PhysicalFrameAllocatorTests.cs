using System.Collections.Generic;
using Hv.Memory;
using Xunit;

namespace Hv.Tests.Unit.Memory
{
    /// <summary>Single frames, exhaustion, free, the low frame and bad input to the allocator.</summary>
    public class PhysicalFrameAllocatorTests
    {
        [Fact]
        public void Ovmf_EveryFrameHandedOut_IsFreeMemoryAbove1MiB_AndUnique()
        {
            MemoryRange[] map = Maps.Ovmf();
            PhysicalFrameAllocator a = Maps.Allocator(map);
            HashSet<ulong> seen = new HashSet<ulong>();

            while (a.TryAllocate(out HostPhysical frame))
            {
                Assert.True(frame.IsPageAligned);
                Assert.True(frame.Value >= 0x10_0000, frame.ToString());
                Assert.True(Maps.InsideUsable(map, frame), frame.ToString() + " is not free memory");
                Assert.True(seen.Add(frame.Value), frame.ToString() + " handed out twice");
            }

            Assert.Equal(Maps.OvmfUsableFrames, (ulong)seen.Count);
            Assert.Equal(0ul, a.FreeFrames);
            Assert.Equal(a.UsableFrames, a.AllocatedFrames);
            Assert.True(a.CheckConsistency());
        }

        [Fact]
        public void Exhaustion_ReturnsFalse_UntilAFrameIsFreed()
        {
            PhysicalFrameAllocator a = Maps.Allocator(Maps.Small());
            HostPhysical some = default;
            for (ulong i = 0; i < a.UsableFrames; i++)
                Assert.True(a.TryAllocate(out some));

            Assert.False(a.TryAllocate(out HostPhysical none));
            Assert.Equal(0ul, none.Value);
            Assert.False(a.TryAllocateContiguous(1, PageSize.Size4K, out _));

            Assert.True(a.Free(some));
            Assert.True(a.TryAllocate(out HostPhysical again));
            Assert.Equal(some, again);
        }

        [Fact]
        public void SingleFrames_ComeInAddressOrder_AndAFreedFrameIsReusedFirst()
        {
            PhysicalFrameAllocator a = Maps.Allocator(Maps.Small());
            HostPhysical[] frames = new HostPhysical[10];
            for (int i = 0; i < frames.Length; i++)
                Assert.True(a.TryAllocate(out frames[i]));

            Assert.Equal(0x10_0000ul, frames[0].Value);
            Assert.Equal(0x10_9000ul, frames[9].Value);
            Assert.True(a.Free(frames[3]));
            Assert.True(a.TryAllocate(out HostPhysical reused));
            Assert.Equal(frames[3], reused);
        }

        [Fact]
        public void Free_RefusesDoubleFreesAndForeignFrames_WithoutChangingCounters()
        {
            PhysicalFrameAllocator a = Maps.Allocator(Maps.Small());
            Assert.True(a.TryAllocate(out HostPhysical frame));
            Assert.True(a.Free(frame));
            FrameCounts before = a.Counts;

            Assert.False(a.Free(frame));                                   // double free
            Assert.False(a.Free(new HostPhysical(0x50_0000)));             // loader data
            Assert.False(a.Free(new HostPhysical(0x1000)));                // below 1 MiB
            Assert.False(a.Free(new HostPhysical(0x10_0800)));             // not a frame address
            Assert.False(a.Free(new HostPhysical(0xFFFF_FFFF_FFFF_F000))); // outside every region
            Assert.False(a.FreeContiguous(frame, 0));

            Assert.Equal(before.Free, a.Counts.Free);
            Assert.Equal(before.Allocated, a.Counts.Allocated);
            Assert.True(a.CheckConsistency());
        }

        [Fact]
        public void LowFrame_IsHandedOutOnce_AndNeverByTryAllocate()
        {
            PhysicalFrameAllocator a = Maps.Allocator(Maps.Ovmf());

            Assert.True(a.TryAllocateLow(out HostPhysical low));
            Assert.Equal(0x1000ul, low.Value);
            Assert.False(a.TryAllocateLow(out _));
            Assert.False(a.IsAllocated(low));       // not a managed frame
            Assert.False(a.Free(low));
            Assert.Equal(Maps.OvmfUsableFrames, a.FreeFrames);
        }

        [Fact]
        public void LowFrame_Absent_ReturnsFalse()
        {
            PhysicalFrameAllocator a = Maps.Allocator(new[] { Maps.R(0x10_0000, 16, MemoryKind.ConventionalMemory) });

            Assert.False(a.TryAllocateLow(out HostPhysical low));
            Assert.Equal(0ul, low.Value);
        }

        [Fact]
        public void IsAllocated_FollowsAllocateAndFree()
        {
            PhysicalFrameAllocator a = Maps.Allocator(Maps.Small());
            Assert.True(a.TryAllocate(out HostPhysical frame));

            Assert.True(a.IsAllocated(frame));
            Assert.True(a.Free(frame));
            Assert.False(a.IsAllocated(frame));
            Assert.False(a.IsAllocated(new HostPhysical(0x50_0000)));
        }

        [Fact]
        public unsafe void TryCreate_RefusesTooLittleStorage()
        {
            FrameLayout layout = FrameLayout.FromMap(Maps.Small());
            ulong[] words = new ulong[layout.BitmapWords - 1];

            fixed (ulong* p = words)
                Assert.False(PhysicalFrameAllocator.TryCreate(layout, p, (ulong)words.Length, null, out PhysicalFrameAllocator none));
            Assert.False(PhysicalFrameAllocator.TryCreate(layout, null, layout.BitmapWords, null, out _));
            Assert.False(PhysicalFrameAllocator.TryCreate(null, null, 0, null, out _));
        }

        [Fact]
        public unsafe void NoFreeMemory_GivesAnEmptyAllocator()
        {
            FrameLayout layout = FrameLayout.FromMap(new[] { Maps.R(0x10_0000, 16, MemoryKind.LoaderData) });

            Assert.True(PhysicalFrameAllocator.TryCreate(layout, null, 0, null, out PhysicalFrameAllocator a));
            Assert.False(a.TryAllocate(out _));
            Assert.False(a.TryAllocateContiguous(1, PageSize.Size4K, out _));
            Assert.False(a.TryFindFirstFree(out _));
            Assert.Equal(0ul, a.UsableFrames);
        }

        [Fact]
        public void SpareStorageWords_AreNeverHandedOut()
        {
            PhysicalFrameAllocator a = Maps.Allocator(Maps.Small(), spareWords: 7);
            ulong count = 0;
            while (a.TryAllocate(out HostPhysical frame))
            {
                Assert.True(Maps.InsideUsable(Maps.Small(), frame));
                count++;
            }

            Assert.Equal(a.UsableFrames, count);
            Assert.True(a.CheckConsistency());
        }

        [Fact]
        public void TryFindFirstFree_IsTheLowestFreeFrame()
        {
            PhysicalFrameAllocator a = Maps.Allocator(Maps.Small());
            Assert.True(a.TryFindFirstFree(out HostPhysical first));
            Assert.Equal(0x10_0000ul, first.Value);

            Assert.True(a.TryAllocate(out _));
            Assert.True(a.TryFindFirstFree(out first));
            Assert.Equal(0x10_1000ul, first.Value);
        }

        /// <summary>Counts calls and checks every disable is undone with the state it returned.</summary>
        private sealed class FakeInterrupts : IInterruptMask
        {
            public bool Enabled = true;
            public int Disables;

            public bool DisableInterrupts()
            {
                bool was = Enabled;
                Enabled = false;
                Disables++;
                return was;
            }

            public void RestoreInterrupts(bool enabled)
            {
                Assert.False(Enabled);
                if (enabled)
                    Enabled = true;
            }
        }

        [Fact]
        public void EveryLockedOperation_MasksInterrupts_AndRestoresThem()
        {
            FakeInterrupts irq = new FakeInterrupts();
            PhysicalFrameAllocator a = Maps.Allocator(Maps.Small(), interrupts: irq);

            Assert.True(a.TryAllocate(out HostPhysical f));
            Assert.True(a.TryAllocateContiguous(2, PageSize.Size4K, out _));
            Assert.True(a.Free(f));
            Assert.True(a.TryAllocateLow(out _));
            Assert.False(a.IsAllocated(f));
            Assert.True(a.TryFindFirstFree(out _));
            Assert.True(a.CheckConsistency());
            Assert.Equal(2ul, a.Counts.Allocated);

            Assert.Equal(8, irq.Disables);
            Assert.True(irq.Enabled);

            irq.Enabled = false;            // called with interrupts already off: they stay off
            Assert.True(a.TryAllocate(out _));
            Assert.False(irq.Enabled);
        }
    }
}
