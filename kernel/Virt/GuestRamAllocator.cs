// Backing for a VM's RAM from the frame allocator: as few host-contiguous runs as possible, each
// 2 MiB aligned while at least 2 MiB is left, so EPT/NPT can map 2 MiB pages (SDM Vol. 3C §29.3.2,
// APM Vol. 2 §15.25.3). A run that cannot be found is halved until it fits; the tail below 2 MiB
// comes in 4 KiB-aligned runs. Start-up / configuration time only.
using System;
using Hv.Memory;

namespace Hv.Virt
{
    public static class GuestRamAllocator
    {
        /// <summary>
        /// Allocates <paramref name="bytes"/> (a non-zero multiple of 4 KiB) into <paramref name="chunks"/>,
        /// lowest-address-first within each run. All or nothing: on failure every frame taken is
        /// returned and <paramref name="count"/> is 0. The contents of the frames are undefined
        /// (zero them before a guest sees them: GuestMemory.Zero).
        /// </summary>
        public static bool TryAllocate(PhysicalFrameAllocator frames, ulong bytes, Span<HostChunk> chunks, out int count, out string error)
        {
            count = 0;
            error = null;
            if (bytes == 0 || bytes % PageSize.Size4K != 0) { error = "guest RAM size must be a non-zero multiple of 4 KiB"; return false; }
            ulong remaining = bytes;
            ulong want = FirstTry(remaining);
            while (remaining != 0)
            {
                if (want > remaining)
                    want = FirstTry(remaining);
                ulong align = want >= PageSize.Size2M ? PageSize.Size2M : PageSize.Size4K;
                if (frames.TryAllocateContiguous(want / PageSize.Size4K, align, out HostPhysical start))
                {
                    if (count > 0 && chunks[count - 1].HostPhysical + chunks[count - 1].Size == start.Value)
                        chunks[count - 1].Size += want;
                    else if (count < chunks.Length)
                        chunks[count++] = new HostChunk(start.Value, want);
                    else
                    {
                        frames.FreeContiguous(start, want / PageSize.Size4K);
                        error = "guest RAM needs more than " + chunks.Length.ToString() + " host runs (memory too fragmented)";
                        return Undo(frames, chunks, ref count);
                    }
                    remaining -= want;
                    continue;
                }
                if (want == PageSize.Size4K)
                {
                    error = "out of host memory: " + (remaining / PageSize.Size4K).ToString() + " of " + (bytes / PageSize.Size4K).ToString() + " frames missing";
                    return Undo(frames, chunks, ref count);
                }
                want = Shrink(want);
            }
            return true;
        }

        /// <summary>Returns every chunk's frames to the allocator (VM teardown, or undoing a failed allocation).</summary>
        public static void Free(PhysicalFrameAllocator frames, ReadOnlySpan<HostChunk> chunks)
        {
            for (int i = 0; i < chunks.Length; i++)
                frames.FreeContiguous(new HostPhysical(chunks[i].HostPhysical), chunks[i].Size / PageSize.Size4K);
        }

        private static bool Undo(PhysicalFrameAllocator frames, Span<HostChunk> chunks, ref int count)
        {
            Free(frames, chunks.Slice(0, count));
            count = 0;
            return false;
        }

        /// <summary>All that is left, rounded down to 2 MiB when at least 2 MiB is left.</summary>
        private static ulong FirstTry(ulong remaining) =>
            remaining >= PageSize.Size2M ? remaining & ~(PageSize.Size2M - 1) : remaining;

        /// <summary>Half, kept a multiple of 2 MiB above 2 MiB and of 4 KiB below.</summary>
        private static ulong Shrink(ulong want)
        {
            ulong half = want / 2;
            if (want > PageSize.Size2M)
                return half < PageSize.Size2M ? PageSize.Size2M : half & ~(PageSize.Size2M - 1);
            half &= ~(PageSize.Size4K - 1);
            return half < PageSize.Size4K ? PageSize.Size4K : half;
        }
    }
}
