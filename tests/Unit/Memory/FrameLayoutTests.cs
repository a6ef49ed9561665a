using System;
using Hv.Memory;
using Xunit;

namespace Hv.Tests.Unit.Memory
{
    /// <summary>What the frame allocator may hand out, and what it keeps back and why.</summary>
    public class FrameLayoutTests
    {
        /// <summary>Every page of every well-formed range is counted under exactly one use.</summary>
        internal static void AssertAccountsForEveryPage(MemoryRange[] map)
        {
            FrameLayout layout = FrameLayout.FromMap(map);
            ulong wellFormed = 0;
            int illFormed = 0;
            foreach (MemoryRange r in map)
            {
                if (r.IsWellFormed)
                    wellFormed += r.Pages;
                else
                    illFormed++;
            }
            ulong counted = 0;
            for (int use = 0; use < MemoryKinds.UseCount; use++)
                counted += layout.PagesOf((MemoryUse)use);
            Assert.Equal(wellFormed, counted);
            Assert.Equal(illFormed, layout.IllFormedRanges);
            Assert.Equal(layout.UsableFrames, layout.PagesOf(MemoryUse.Usable));
        }

        [Fact]
        public void Ovmf_UsableRegions_AreMergedAndCounted()
        {
            FrameLayout layout = FrameLayout.FromMap(Maps.Ovmf());

            // 1-8 MiB, the two islands between ACPI NVS pages, 9 MiB..1.75 GiB, boot services data+code
            // (merged), boot services data at the top, and the 1 GiB above 4 GiB.
            Assert.Equal(7, layout.RegionCount);
            Assert.Equal(Maps.OvmfUsableFrames, layout.UsableFrames);
            Assert.Equal(0x700ul / 64 + 1 + 1 + 0x6F700ul / 64 + 0x9A00ul / 64 + 0x300ul / 64 + 0x4_0000ul / 64, layout.BitmapWords);
            Assert.Equal(0x6100ul, layout.PagesOf(MemoryUse.Loader));
            Assert.Equal(0x1C0ul, layout.PagesOf(MemoryUse.RuntimeServices));
            Assert.Equal(0x118ul, layout.PagesOf(MemoryUse.Acpi));
            Assert.Equal(0x400ul, layout.PagesOf(MemoryUse.Mmio));
            Assert.Equal(0x1_0020ul, layout.PagesOf(MemoryUse.Other));
            Assert.Equal(0xA0ul, layout.PagesOf(MemoryUse.BelowOneMiB));
            Assert.Equal(0ul, layout.PagesOf(MemoryUse.Overlapping));
            AssertAccountsForEveryPage(Maps.Ovmf());
        }

        [Fact]
        public void LowFrame_IsTheLowestFreeFrameBelow1MiB_ButNeverFrame0()
        {
            FrameLayout ovmf = FrameLayout.FromMap(Maps.Ovmf());
            FrameLayout small = FrameLayout.FromMap(Maps.Small());   // conventional from frame 0

            Assert.True(ovmf.HasLowFrame);
            Assert.Equal(0x1000ul, ovmf.LowFrame.Value);
            Assert.Equal(0x1000ul, small.LowFrame.Value);
        }

        [Fact]
        public void LowFrame_IsAbsent_WithoutFreeMemoryBelow1MiB()
        {
            FrameLayout onlyFrame0 = FrameLayout.FromMap(new[] { Maps.R(0, 1, MemoryKind.ConventionalMemory), Maps.R(0x10_0000, 16, MemoryKind.ConventionalMemory) });
            FrameLayout reservedLow = FrameLayout.FromMap(new[] { Maps.R(0, 0xA0, MemoryKind.LoaderData), Maps.R(0x10_0000, 16, MemoryKind.ConventionalMemory) });

            Assert.False(onlyFrame0.HasLowFrame);
            Assert.False(reservedLow.HasLowFrame);
        }

        [Fact]
        public void RangeAcross1MiB_IsSplit()
        {
            FrameLayout layout = FrameLayout.FromMap(new[] { Maps.R(0x8_0000, 0x180, MemoryKind.ConventionalMemory) });

            Assert.Equal(0x80ul, layout.PagesOf(MemoryUse.BelowOneMiB));
            Assert.Equal(0x100ul, layout.UsableFrames);
            Assert.Equal(0x8_0000ul, layout.LowFrame.Value);
        }

        [Fact]
        public void UnsortedTouchingRanges_AreSortedAndMerged()
        {
            FrameLayout layout = FrameLayout.FromMap(new[]
            {
                Maps.R(0x30_0000, 0x100, MemoryKind.BootServicesData),
                Maps.R(0x10_0000, 0x100, MemoryKind.ConventionalMemory),
                Maps.R(0x20_0000, 0x100, MemoryKind.BootServicesCode),
                Maps.R(0x50_0000, 0x100, MemoryKind.ConventionalMemory),
            });

            Assert.Equal(2, layout.RegionCount);
            Assert.Equal(0x400ul, layout.UsableFrames);
            Assert.Equal(0x300ul / 64 + 0x100ul / 64, layout.BitmapWords);
        }

        [Fact]
        public void OverlappingFreeMemory_IsNeverUsable()
        {
            MemoryRange[] map =
            {
                Maps.R(0x10_0000, 0x100, MemoryKind.ConventionalMemory),
                Maps.R(0x18_0000, 0x10, MemoryKind.RuntimeServicesData),     // inside the first
                Maps.R(0x40_0000, 0x100, MemoryKind.ConventionalMemory),
                Maps.R(0x40_0000, 0x100, MemoryKind.BootServicesData),       // duplicate of the third
                Maps.R(0x80_0000, 0x100, MemoryKind.ConventionalMemory),
            };

            FrameLayout layout = FrameLayout.FromMap(map);

            Assert.Equal(0x100ul, layout.UsableFrames);                       // only the last range
            Assert.Equal(0x300ul, layout.PagesOf(MemoryUse.Overlapping));
            Assert.Equal(0x10ul, layout.PagesOf(MemoryUse.RuntimeServices));  // the reserved one stays counted
            AssertAccountsForEveryPage(map);
        }

        [Fact]
        public void FreeMemoryBeyond2To52_IsNotUsable()
        {
            MemoryRange[] map = { Maps.R((1ul << 52) - 0x1000, 2, MemoryKind.ConventionalMemory), Maps.R(1ul << 60, 4, MemoryKind.ConventionalMemory) };

            FrameLayout layout = FrameLayout.FromMap(map);

            Assert.Equal(1ul, layout.UsableFrames);
            Assert.Equal(5ul, layout.PagesOf(MemoryUse.Other));
            AssertAccountsForEveryPage(map);
        }

        [Fact]
        public void IllFormedRanges_AreIgnoredAndCounted()
        {
            MemoryRange[] map =
            {
                Maps.R(0x10_0000, 0, MemoryKind.ConventionalMemory),
                Maps.R(0x10_0800, 4, MemoryKind.ConventionalMemory),
                Maps.R(0xFFFF_FFFF_FFFF_F000, 2, MemoryKind.ConventionalMemory),
                Maps.R(0x20_0000, 64, MemoryKind.ConventionalMemory),
            };

            FrameLayout layout = FrameLayout.FromMap(map);

            Assert.Equal(3, layout.IllFormedRanges);
            Assert.Equal(64ul, layout.UsableFrames);
            AssertAccountsForEveryPage(map);
        }

        [Fact]
        public void EmptyMap_HasNothing()
        {
            FrameLayout layout = FrameLayout.FromMap(ReadOnlySpan<MemoryRange>.Empty);

            Assert.Equal(0, layout.RegionCount);
            Assert.Equal(0ul, layout.UsableFrames);
            Assert.Equal(0ul, layout.BitmapWords);
            Assert.False(layout.HasLowFrame);
        }
    }
}
