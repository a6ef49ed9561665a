// What the memory map means for the frame allocator: the free memory it may hand out, as sorted,
// merged runs of 4 KiB frames, and how much memory is kept back and why. Computed once at boot
// (it allocates a few small arrays; nothing after construction does).
using System;

namespace Hv.Memory
{
    /// <summary>A run of usable frames and where its bits start in the allocator's bitmap.</summary>
    internal readonly struct FrameRegion
    {
        public FrameRegion(ulong baseFrame, ulong frames, ulong firstWord)
        {
            BaseFrame = baseFrame;
            Frames = frames;
            FirstWord = firstWord;
        }

        public ulong BaseFrame { get; }
        public ulong Frames { get; }
        /// <summary>Each region starts on a 64-bit word of the bitmap.</summary>
        public ulong FirstWord { get; }
        public ulong Words => (Frames + 63) / 64;
        public ulong EndFrame => BaseFrame + Frames;
    }

    public sealed class FrameLayout
    {
        /// <summary>Frames below 1 MiB are never handed out by the general allocator (real-mode memory,
        /// legacy BIOS areas, the AP start-up trampoline).</summary>
        public const ulong LowMemoryFrames = 0x10_0000 / PageSize.Size4K;
        /// <summary>First frame above the architectural physical address limit (2^52 bytes).</summary>
        public const ulong MaxFrame = 1UL << (AddressMath.MaxPhysicalAddressBits - PageSize.Shift4K);

        private readonly ulong[] _pagesByUse = new ulong[MemoryKinds.UseCount];

        private FrameLayout() { }

        internal FrameRegion[] Regions { get; private set; }
        public int RegionCount => Regions.Length;
        /// <summary>Frames the allocator manages (the sum over regions).</summary>
        public ulong UsableFrames { get; private set; }
        /// <summary>64-bit words of bitmap storage the allocator needs (one bit per usable frame).</summary>
        public ulong BitmapWords { get; private set; }
        /// <summary>A free frame below 1 MiB kept for the AP trampoline (PhysicalFrameAllocator.TryAllocateLow); valid when HasLowFrame.</summary>
        public HostPhysical LowFrame { get; private set; }
        public bool HasLowFrame { get; private set; }
        /// <summary>Descriptors ignored because they are ill formed (0 pages, unaligned, wrapping).</summary>
        public int IllFormedRanges { get; private set; }

        /// <summary>Pages of well-formed ranges by what they are used for; Usable equals UsableFrames.</summary>
        public ulong PagesOf(MemoryUse use) => _pagesByUse[(int)use];

        public static FrameLayout FromMap(ReadOnlySpan<MemoryRange> map)
        {
            FrameLayout layout = new FrameLayout();
            int n = map.Length;
            bool[] overlapping = new bool[n];
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++)
                    if (map[i].Overlaps(map[j]))
                        overlapping[i] = overlapping[j] = true;

            // Usable pieces, clipped to [1 MiB, 2^52), before sorting and merging.
            ulong[] bases = new ulong[n];
            ulong[] ends = new ulong[n];
            int pieces = 0;
            ulong lowFrame = ulong.MaxValue;
            for (int i = 0; i < n; i++)
            {
                MemoryRange r = map[i];
                if (!r.IsWellFormed)
                {
                    layout.IllFormedRanges++;
                    continue;
                }
                MemoryUse use = r.Use;
                if (use == MemoryUse.Usable && overlapping[i])
                    use = MemoryUse.Overlapping;
                if (use != MemoryUse.Usable)
                {
                    layout._pagesByUse[(int)use] += r.Pages;
                    continue;
                }
                // Well formed: frame numbers below 2^52 and start + pages <= 2^52 cannot overflow.
                ulong start = r.Start.PageNumber, end = start + r.Pages;
                ulong low = Clip(start, end, 0, LowMemoryFrames);
                ulong high = Clip(start, end, MaxFrame, ulong.MaxValue);
                layout._pagesByUse[(int)MemoryUse.BelowOneMiB] += low;
                layout._pagesByUse[(int)MemoryUse.Other] += high;
                // Frame 0 holds the real-mode IVT and BIOS data area: never the trampoline.
                ulong lowCandidate = start == 0 ? 1 : start;
                if (low != 0 && lowCandidate < LowMemoryFrames && lowCandidate < end && lowCandidate < lowFrame)
                    lowFrame = lowCandidate;
                ulong from = Math.Max(start, LowMemoryFrames), to = Math.Min(end, MaxFrame);
                if (from < to)
                {
                    bases[pieces] = from;
                    ends[pieces] = to;
                    pieces++;
                }
            }
            if (lowFrame != ulong.MaxValue)
            {
                layout.HasLowFrame = true;
                layout.LowFrame = new HostPhysical(lowFrame << PageSize.Shift4K);
            }
            layout.BuildRegions(bases, ends, pieces);
            return layout;
        }

        /// <summary>Frames of [start, end) that lie inside [lo, hi).</summary>
        private static ulong Clip(ulong start, ulong end, ulong lo, ulong hi)
        {
            ulong from = Math.Max(start, lo), to = Math.Min(end, hi);
            return from < to ? to - from : 0;
        }

        /// <summary>Sorts the pieces by start (insertion sort: maps have a few hundred entries at most)
        /// and merges touching ones, so a run may cross descriptor boundaries.</summary>
        private void BuildRegions(ulong[] bases, ulong[] ends, int pieces)
        {
            for (int i = 1; i < pieces; i++)
            {
                ulong b = bases[i], e = ends[i];
                int j = i - 1;
                for (; j >= 0 && bases[j] > b; j--)
                {
                    bases[j + 1] = bases[j];
                    ends[j + 1] = ends[j];
                }
                bases[j + 1] = b;
                ends[j + 1] = e;
            }
            int merged = 0;
            for (int i = 0; i < pieces; i++)
            {
                if (merged > 0 && ends[merged - 1] == bases[i])
                {
                    ends[merged - 1] = ends[i];
                    continue;
                }
                bases[merged] = bases[i];
                ends[merged] = ends[i];
                merged++;
            }
            Regions = new FrameRegion[merged];
            ulong word = 0;
            for (int i = 0; i < merged; i++)
            {
                FrameRegion region = new FrameRegion(bases[i], ends[i] - bases[i], word);
                Regions[i] = region;
                word += region.Words;
                UsableFrames += region.Frames;
            }
            BitmapWords = word;
            _pagesByUse[(int)MemoryUse.Usable] = UsableFrames;
        }
    }
}
