// The physical frame allocator over the final UEFI memory map (kernel/Memory), and the page
// sources that switch to it: page-table pages and kernel stacks come from frames, objects from
// the kernel heap.
using System;
using Hv.Arch;
using Hv.Arch.Paging;
using Hv.Diagnostics;
using Hv.Memory;
using Internal.Runtime.Kernel;

namespace Hv
{
    public static unsafe partial class Kernel
    {
        public static PhysicalFrameAllocator Frames;

        private sealed class InterruptMask : IInterruptMask
        {
            public bool DisableInterrupts() => SchedPlatform.InterruptsOff();
            public void RestoreInterrupts(bool enabled) { if (enabled) Cpu.hv_sti(); }
        }

        private static void InitializeFrames(HandOff h)
        {
            var raw = new ReadOnlySpan<byte>(h.MemoryMap, (int)h.MemoryMapSize);
            var ranges = new MemoryRange[MemoryMapParser.DescriptorCount(raw.Length, h.DescriptorSize)];
            var issues = new MemoryMapIssue[16];
            MemoryMapResult r = MemoryMapParser.Parse(raw, h.DescriptorSize, ranges, issues);
            for (int i = 0; i < r.IssueCount && i < issues.Length; i++) Log.Warn("memory map: " + issues[i].ToString());
            if (!r.Readable) Panic.Fail("the UEFI memory map is unreadable (descriptor size)", h.DescriptorSize, "bytes");
            FrameLayout layout = FrameLayout.FromMap(new ReadOnlySpan<MemoryRange>(ranges, 0, r.RangeCount));
            ulong[] bits = new ulong[(int)layout.BitmapWords];
            // SAFETY: no GC, so the array never moves; it lives in the heap, which is loader data
            // and so never handed out as a frame.
            fixed (ulong* p = bits)
                if (!PhysicalFrameAllocator.TryCreate(layout, p, (ulong)bits.Length, new InterruptMask(), out Frames))
                    Panic.Fail("cannot build the frame allocator");
            Log.Info(FrameAllocatorReport.Format(Frames));
            Stacks.PageSource = &AllocatePages;
        }

        /// <summary>Contiguous zeroed frames (identity mapped); panics when memory is exhausted.</summary>
        private static ulong AllocatePages(ulong pages)
        {
            if (!Frames.TryAllocateContiguous(pages, PageSize.Size4K, out HostPhysical start))
                Panic.Fail("out of physical memory", pages, "pages requested");
            byte* p = (byte*)start.Value;
            for (ulong i = 0; i < pages * 4096; i++) p[i] = 0;
            return start.Value;
        }

        /// <summary>A zeroed page for page tables: a frame once the allocator exists, else from the heap.</summary>
        private static ulong AllocTablePage()
        {
            if (Frames != null) return AllocatePages(1);
            ulong raw = (ulong)KernelHeap.Alloc(2 * 4096);
            return (raw + 4095) & ~4095UL;
        }
    }
}
