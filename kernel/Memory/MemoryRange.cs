namespace Hv.Memory
{
    /// <summary>One range of the firmware memory map, decoded from an EFI_MEMORY_DESCRIPTOR
    /// (UEFI 2.10 §7.2.3) or built by hand in tests.</summary>
    public readonly struct MemoryRange
    {
        public MemoryRange(HostPhysical start, ulong pages, MemoryKind kind, MemoryAttributes attributes)
        {
            Start = start;
            Pages = pages;
            Kind = kind;
            Attributes = attributes;
        }

        public HostPhysical Start { get; }
        /// <summary>Number of 4 KiB pages (the spec's NumberOfPages is always in 4 KiB units).</summary>
        public ulong Pages { get; }
        public MemoryKind Kind { get; }
        public MemoryAttributes Attributes { get; }

        public MemoryUse Use => MemoryKinds.Classify(Kind, Attributes);

        /// <summary>A 4 KiB-aligned start, at least one page, and a last byte that fits in 64 bits.</summary>
        public bool IsWellFormed => Start.IsPageAligned && TryGetLast(out _);

        /// <summary>The range's last byte (inclusive, so a range may end exactly at 2^64); false for
        /// 0 pages or when the range runs past 2^64.</summary>
        public bool TryGetLast(out HostPhysical last)
        {
            last = default;
            if (Pages == 0 || !AddressMath.TryPagesToBytes(Pages, out ulong bytes))
                return false;
            return Start.TryAdd(bytes - 1, out last);
        }

        /// <summary>True when both ranges are well formed and share at least one byte.</summary>
        public bool Overlaps(MemoryRange other)
        {
            if (!Start.IsPageAligned || !other.Start.IsPageAligned)
                return false;
            if (!TryGetLast(out HostPhysical last) || !other.TryGetLast(out HostPhysical otherLast))
                return false;
            return Start <= otherLast && other.Start <= last;
        }
    }
}
