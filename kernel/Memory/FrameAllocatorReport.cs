namespace Hv.Memory
{
    /// <summary>The boot log line about physical memory once the allocator is built.</summary>
    public static class FrameAllocatorReport
    {
        /// <summary>
        /// "memory: 2005 MiB usable in 4 ranges, 2005 MiB free, first free frame 0x100000, AP frame 0x1000;
        /// reserved: 40 KiB runtime services, 1 MiB ACPI, 4 MiB MMIO, 104 MiB loader (image, heap, guest files),
        /// 256 MiB other, 636 KiB below 1 MiB" and ", N MiB overlapping (map error)" when the map overlaps.
        /// </summary>
        public static string Format(PhysicalFrameAllocator allocator)
        {
            FrameLayout layout = allocator.Layout;
            FrameCounts counts = allocator.Counts;
            TextLine t = new TextLine("memory: ").Pages(counts.Usable).Append(" usable in ")
                .Decimal((ulong)layout.RegionCount).Append(layout.RegionCount == 1 ? " range, " : " ranges, ")
                .Pages(counts.Free).Append(" free, first free frame ");
            if (allocator.TryFindFirstFree(out HostPhysical first))
                t.Hex(first.Value);
            else
                t.Append("none");
            t.Append(", AP frame ");
            if (layout.HasLowFrame)
                t.Hex(layout.LowFrame.Value);
            else
                t.Append("none");
            t.Append("; reserved: ").Pages(layout.PagesOf(MemoryUse.RuntimeServices)).Append(" runtime services, ")
                .Pages(layout.PagesOf(MemoryUse.Acpi)).Append(" ACPI, ")
                .Pages(layout.PagesOf(MemoryUse.Mmio)).Append(" MMIO, ")
                .Pages(layout.PagesOf(MemoryUse.Loader)).Append(" loader (image, heap, guest files), ")
                .Pages(layout.PagesOf(MemoryUse.Other)).Append(" other, ")
                .Pages(layout.PagesOf(MemoryUse.BelowOneMiB)).Append(" below 1 MiB");
            if (layout.PagesOf(MemoryUse.Overlapping) != 0)
                t.Append(", ").Pages(layout.PagesOf(MemoryUse.Overlapping)).Append(" overlapping (map error)");
            return t.ToString();
        }
    }
}
