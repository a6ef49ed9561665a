namespace Hv.Memory
{
    /// <summary>What is wrong with a firmware memory map. Only DescriptorTooSmall makes the map
    /// unreadable; every other issue drops or fences off one descriptor and parsing goes on.</summary>
    public enum MemoryMapIssueKind : byte
    {
        DescriptorTooSmall,     // DescriptorSize < sizeof(EFI_MEMORY_DESCRIPTOR): nothing can be read
        TrailingBytes,          // map size is not a multiple of DescriptorSize: the tail is ignored
        ZeroPages,              // NumberOfPages == 0: ignored
        UnalignedStart,         // PhysicalStart not 4 KiB aligned (the spec requires it): ignored
        Wraps,                  // PhysicalStart + NumberOfPages * 4 KiB runs past 2^64: ignored
        Overlap,                // two descriptors share memory: kept, but free memory in them is never handed out
        TooManyDescriptors,     // the caller's range buffer is full: the rest is ignored
    }

    /// <summary>One issue: the descriptor it concerns (index in the raw map), the other descriptor
    /// of an overlap, and a value (the descriptor size, a start address, a byte count).</summary>
    public readonly struct MemoryMapIssue
    {
        public MemoryMapIssue(MemoryMapIssueKind kind, int descriptor, int other, ulong value)
        {
            Kind = kind;
            Descriptor = descriptor;
            Other = other;
            Value = value;
        }

        public MemoryMapIssueKind Kind { get; }
        public int Descriptor { get; }
        public int Other { get; }
        public ulong Value { get; }

        /// <summary>A log line, e.g. "memory map: descriptors 3 and 7 overlap; free memory in them is not used".</summary>
        public override string ToString()
        {
            TextLine t = new TextLine("memory map: ");
            switch (Kind)
            {
                case MemoryMapIssueKind.DescriptorTooSmall:
                    return t.Append("descriptor size ").Decimal(Value)
                        .Append(" is below the 40 bytes of EFI_MEMORY_DESCRIPTOR; map not readable").ToString();
                case MemoryMapIssueKind.TrailingBytes:
                    return t.Decimal(Value).Append(" bytes after the last whole descriptor ignored").ToString();
                case MemoryMapIssueKind.ZeroPages:
                    return NameDescriptor(t).Append(" has 0 pages; ignored").ToString();
                case MemoryMapIssueKind.UnalignedStart:
                    return NameDescriptor(t).Append(" starts at ").Hex(Value).Append(", not 4 KiB aligned; ignored").ToString();
                case MemoryMapIssueKind.Wraps:
                    return NameDescriptor(t).Append(" at ").Hex(Value).Append(" runs past 2^64; ignored").ToString();
                case MemoryMapIssueKind.Overlap:
                    return t.Append("descriptors ").Decimal((ulong)Other).Append(" and ").Decimal((ulong)Descriptor)
                        .Append(" overlap at ").Hex(Value).Append("; free memory in them is not used").ToString();
                default:
                    return t.Append("more than ").Decimal(Value).Append(" descriptors; the rest ignored").ToString();
            }
        }

        private TextLine NameDescriptor(TextLine t) => t.Append("descriptor ").Decimal((ulong)Descriptor);
    }
}
