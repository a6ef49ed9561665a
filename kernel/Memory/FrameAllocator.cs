// The physical frame allocator: hands out the 4 KiB frames of FrameLayout's usable regions, one at
// a time or as aligned contiguous runs (2 MiB pages for EPT/NPT, DMA buffers). A bitmap over the
// regions (storage from the caller), a next-free hint, one spin lock for all CPUs. Exhaustion and
// bad frees return false; the caller decides whether that is a panic.
namespace Hv.Memory
{
    /// <summary>Counters read together under the lock: Free + Allocated == Usable always.</summary>
    public readonly struct FrameCounts
    {
        public FrameCounts(ulong usable, ulong free, ulong allocated)
        {
            Usable = usable;
            Free = free;
            Allocated = allocated;
        }

        public ulong Usable { get; }
        public ulong Free { get; }
        public ulong Allocated { get; }
    }

    public sealed unsafe partial class PhysicalFrameAllocator
    {
        private readonly FrameRegion[] _regions;
        private readonly FrameBitmap _bitmap;
        private readonly IInterruptMask _interrupts;
        private SpinLock _lock;
        private ulong _hintWord;
        private ulong _free;
        private ulong _allocated;
        private bool _lowTaken;

        private PhysicalFrameAllocator(FrameLayout layout, FrameBitmap bitmap, IInterruptMask interrupts)
        {
            Layout = layout;
            _interrupts = interrupts;
            _regions = layout.Regions;
            _bitmap = bitmap;
            // Everything allocated, then each region's frames free: tail bits and spare words stay set.
            for (ulong w = 0; w < bitmap.WordCount; w++)
                bitmap.SetWord(w, ulong.MaxValue);
            for (int i = 0; i < _regions.Length; i++)
                bitmap.Fill(_regions[i].FirstWord * 64, _regions[i].Frames, false);
            _free = layout.UsableFrames;
        }

        /// <summary>
        /// Builds the allocator over <paramref name="wordCount"/> 64-bit words at <paramref name="bitmap"/>,
        /// which must stay valid and unused by anything else for the allocator's lifetime and must not
        /// lie in memory the layout calls usable (take it from the kernel heap, which is loader data).
        /// <paramref name="interrupts"/> masks interrupts on this CPU while the lock is held (null: never,
        /// as on the host). False when the storage is smaller than <see cref="FrameLayout.BitmapWords"/>.
        /// </summary>
        public static bool TryCreate(FrameLayout layout, ulong* bitmap, ulong wordCount, IInterruptMask interrupts, out PhysicalFrameAllocator allocator)
        {
            allocator = null;
            if (layout == null || wordCount < layout.BitmapWords || (bitmap == null && layout.BitmapWords != 0))
                return false;
            allocator = new PhysicalFrameAllocator(layout, new FrameBitmap(bitmap, wordCount), interrupts);
            return true;
        }

        public FrameLayout Layout { get; }
        public ulong UsableFrames => Layout.UsableFrames;
        public ulong FreeFrames => _free;
        public ulong AllocatedFrames => _allocated;

        public FrameCounts Counts
        {
            get
            {
                bool irq = Lock();
                FrameCounts c = new FrameCounts(Layout.UsableFrames, _free, _allocated);
                Unlock(irq);
                return c;
            }
        }

        /// <summary>The frame below 1 MiB reserved for the AP start-up trampoline (the SIPI vector is
        /// its page number; SDM Vol. 3A §9.4.3: the AP starts at 000VV000H). Handed out once; false when taken or when the map has none.</summary>
        public bool TryAllocateLow(out HostPhysical frame)
        {
            frame = default;
            bool irq = Lock();
            bool ok = Layout.HasLowFrame && !_lowTaken;
            if (ok)
            {
                _lowTaken = true;
                frame = Layout.LowFrame;
            }
            Unlock(irq);
            return ok;
        }

        /// <summary>True when <paramref name="frame"/> is a managed frame that is currently allocated.</summary>
        public bool IsAllocated(HostPhysical frame)
        {
            bool irq = Lock();
            bool allocated = TryBit(frame, out ulong bit) && _bitmap.Test(bit);
            Unlock(irq);
            return allocated;
        }

        /// <summary>The lowest free frame (for the boot report); false when none is free.</summary>
        public bool TryFindFirstFree(out HostPhysical frame)
        {
            frame = default;
            bool irq = Lock();
            bool found = false;
            for (int i = 0; i < _regions.Length && !found; i++)
            {
                FrameRegion r = _regions[i];
                ulong at = _bitmap.FindFirst(r.FirstWord * 64, r.Frames, false);
                if (at != FrameBitmap.NotFound)
                {
                    frame = FrameAddress(r.BaseFrame + at);
                    found = true;
                }
            }
            Unlock(irq);
            return found;
        }

        /// <summary>Recounts the bitmap: true when the counters match it (a self-test hook; O(bitmap)).</summary>
        public bool CheckConsistency()
        {
            bool irq = Lock();
            bool ok = _free + _allocated == Layout.UsableFrames && _bitmap.CountClear() == _free;
            Unlock(irq);
            return ok;
        }

        // Interrupts go off before the lock is taken and come back after it is released: a thread
        // preempted while holding it would make every other allocation on its CPU spin for a slice.
        private bool Lock()
        {
            bool enabled = _interrupts != null && _interrupts.DisableInterrupts();
            _lock.Enter();
            return enabled;
        }

        private void Unlock(bool enabled)
        {
            _lock.Exit();
            if (_interrupts != null)
                _interrupts.RestoreInterrupts(enabled);
        }

        /// <summary>The global bitmap bit of a managed frame; false for unaligned or unmanaged addresses.</summary>
        private bool TryBit(HostPhysical frame, out ulong bit)
        {
            bit = 0;
            if (!frame.IsPageAligned)
                return false;
            int i = RegionOfFrame(frame.PageNumber);
            if (i < 0)
                return false;
            bit = _regions[i].FirstWord * 64 + (frame.PageNumber - _regions[i].BaseFrame);
            return true;
        }

        /// <summary>Binary search over the sorted regions; -1 when no region holds the frame.</summary>
        private int RegionOfFrame(ulong frameNumber)
        {
            int lo = 0, hi = _regions.Length - 1;
            while (lo <= hi)
            {
                int mid = lo + (hi - lo) / 2;
                FrameRegion r = _regions[mid];
                if (frameNumber < r.BaseFrame)
                    hi = mid - 1;
                else if (frameNumber >= r.EndFrame)
                    lo = mid + 1;
                else
                    return mid;
            }
            return -1;
        }

        /// <summary>The region whose bitmap words include <paramref name="word"/>; -1 for spare words.</summary>
        private int RegionOfWord(ulong word)
        {
            int lo = 0, hi = _regions.Length - 1;
            while (lo <= hi)
            {
                int mid = lo + (hi - lo) / 2;
                FrameRegion r = _regions[mid];
                if (word < r.FirstWord)
                    hi = mid - 1;
                else if (word >= r.FirstWord + r.Words)
                    lo = mid + 1;
                else
                    return mid;
            }
            return -1;
        }

        // Managed frames are below 2^40 (FrameLayout.MaxFrame), so the shift cannot overflow.
        private static HostPhysical FrameAddress(ulong frameNumber) => new HostPhysical(frameNumber << PageSize.Shift4K);
    }
}
