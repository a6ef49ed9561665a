namespace Hv.Memory
{
    public sealed unsafe partial class PhysicalFrameAllocator
    {
        /// <summary>One free 4 KiB frame (contents undefined). Scans from the next-free hint, so
        /// repeated allocations are O(1) amortised. False when every frame is allocated.</summary>
        public bool TryAllocate(out HostPhysical frame)
        {
            frame = default;
            bool irq = Lock();
            bool found = false;
            ulong words = Layout.BitmapWords;
            for (ulong k = 0; k < words && !found; k++)
            {
                ulong w = _hintWord + k;
                if (w >= words)
                    w -= words;
                ulong bits = _bitmap.Word(w);
                if (bits == ulong.MaxValue)
                    continue;
                int region = RegionOfWord(w);
                if (region < 0)
                    continue;
                int bit = FrameBitmap.TrailingZeroCount(~bits);
                _bitmap.SetWord(w, bits | (1UL << bit));
                FrameRegion r = _regions[region];
                frame = FrameAddress(r.BaseFrame + (w - r.FirstWord) * 64 + (ulong)bit);
                _hintWord = w;
                _free--;
                _allocated++;
                found = true;
            }
            Unlock(irq);
            return found;
        }

        /// <summary>
        /// <paramref name="frames"/> physically contiguous frames starting on a multiple of
        /// <paramref name="alignment"/> bytes (a power of two, at least 4 KiB): e.g. (512, PageSize.Size2M)
        /// for a 2 MiB page. Lowest address first. False when no such run is free or the request is invalid.
        /// </summary>
        public bool TryAllocateContiguous(ulong frames, ulong alignment, out HostPhysical start)
        {
            start = default;
            if (frames == 0 || alignment < PageSize.Size4K || !AddressMath.IsPowerOfTwo(alignment))
                return false;
            ulong alignFrames = alignment >> PageSize.Shift4K;
            bool irq = Lock();
            bool found = false;
            for (int i = 0; i < _regions.Length && !found; i++)
            {
                FrameRegion r = _regions[i];
                if (frames > r.Frames)
                    continue;
                ulong last = r.EndFrame - frames;   // last possible first frame of the run
                ulong candidate = r.BaseFrame;
                while (AddressMath.TryAlignUp(candidate, alignFrames, out candidate) && candidate <= last)
                {
                    ulong bit = r.FirstWord * 64 + (candidate - r.BaseFrame);
                    ulong used = _bitmap.FindFirst(bit, frames, true);
                    if (used == FrameBitmap.NotFound)
                    {
                        _bitmap.Fill(bit, frames, true);
                        _free -= frames;
                        _allocated += frames;
                        start = FrameAddress(candidate);
                        found = true;
                        break;
                    }
                    candidate += used + 1;   // the next run must start past the allocated frame
                }
            }
            Unlock(irq);
            return found;
        }

        /// <summary>Returns one frame. False (and nothing changes) when it is not a managed frame or
        /// is not allocated: a double free is reported, never absorbed.</summary>
        public bool Free(HostPhysical frame) => FreeContiguous(frame, 1);

        /// <summary>Returns a run of <paramref name="frames"/> frames, all or nothing: false (and nothing
        /// changes) when any of them is unmanaged or already free.</summary>
        public bool FreeContiguous(HostPhysical start, ulong frames)
        {
            if (frames == 0)
                return false;
            bool irq = Lock();
            bool ok = TryBit(start, out ulong bit);
            if (ok)
            {
                FrameRegion r = _regions[RegionOfFrame(start.PageNumber)];
                ok = frames <= r.EndFrame - start.PageNumber && _bitmap.FindFirst(bit, frames, false) == FrameBitmap.NotFound;
            }
            if (ok)
            {
                _bitmap.Fill(bit, frames, false);
                _free += frames;
                _allocated -= frames;
                if ((bit >> 6) < _hintWord)
                    _hintWord = bit >> 6;
            }
            Unlock(irq);
            return ok;
        }
    }
}
