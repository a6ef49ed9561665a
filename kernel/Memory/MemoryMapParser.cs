// Decodes the raw memory map GetMemoryMap returns (UEFI 2.10 §7.2.3): an array of
// EFI_MEMORY_DESCRIPTORs DescriptorSize bytes apart (DescriptorSize may exceed the structure's
// size, so it is the stride and newer fields are skipped). The map comes from firmware and is
// treated as hostile: nothing here trusts a length or an address, and nothing panics.
using System;

namespace Hv.Memory
{
    /// <summary>The outcome of <see cref="MemoryMapParser.Parse"/>.</summary>
    public readonly struct MemoryMapResult
    {
        public MemoryMapResult(bool readable, int rangeCount, int issueCount)
        {
            Readable = readable;
            RangeCount = rangeCount;
            IssueCount = issueCount;
        }

        /// <summary>False when the descriptor size makes the map unreadable; the kernel cannot go on.</summary>
        public bool Readable { get; }
        /// <summary>Ranges written to the caller's buffer.</summary>
        public int RangeCount { get; }
        /// <summary>Issues found; may exceed the caller's issue buffer (only the first ones are stored).</summary>
        public int IssueCount { get; }
    }

    public static class MemoryMapParser
    {
        // EFI_MEMORY_DESCRIPTOR: UINT32 Type; (4 bytes padding) EFI_PHYSICAL_ADDRESS PhysicalStart;
        // EFI_VIRTUAL_ADDRESS VirtualStart; UINT64 NumberOfPages; UINT64 Attribute.
        public const int TypeOffset = 0;
        public const int PhysicalStartOffset = 8;
        public const int VirtualStartOffset = 16;
        public const int NumberOfPagesOffset = 24;
        public const int AttributeOffset = 32;
        public const int MinDescriptorSize = 40;

        /// <summary>Whole descriptors in a map of <paramref name="mapLength"/> bytes (0 when the size is unusable):
        /// the size of the range buffer to pass to <see cref="Parse"/>.</summary>
        public static int DescriptorCount(int mapLength, ulong descriptorSize)
        {
            if (descriptorSize < MinDescriptorSize || mapLength <= 0)
                return 0;
            return (int)((ulong)mapLength / descriptorSize);
        }

        /// <summary>
        /// Decodes every well-formed descriptor into <paramref name="ranges"/> (in map order) and records
        /// what is wrong in <paramref name="issues"/>. Ill-formed descriptors are dropped; overlapping ones
        /// are kept (a reserved range must stay visible) and reported. Never throws.
        /// </summary>
        public static MemoryMapResult Parse(ReadOnlySpan<byte> map, ulong descriptorSize, Span<MemoryRange> ranges, Span<MemoryMapIssue> issues)
        {
            int issueCount = 0;
            if (descriptorSize < MinDescriptorSize)
            {
                Report(issues, ref issueCount, new MemoryMapIssue(MemoryMapIssueKind.DescriptorTooSmall, -1, -1, descriptorSize));
                return new MemoryMapResult(false, 0, issueCount);
            }
            int count = DescriptorCount(map.Length, descriptorSize);
            ulong trailing = (ulong)map.Length - (ulong)count * descriptorSize;
            if (trailing != 0)
                Report(issues, ref issueCount, new MemoryMapIssue(MemoryMapIssueKind.TrailingBytes, -1, -1, trailing));

            int rangeCount = 0;
            for (int i = 0; i < count; i++)
            {
                MemoryRange r = Decode(map, descriptorSize, i);
                MemoryMapIssueKind problem;
                if (!Check(r, out problem))
                {
                    Report(issues, ref issueCount, new MemoryMapIssue(problem, i, -1, r.Start.Value));
                    continue;
                }
                for (int j = 0; j < i; j++)
                {
                    MemoryRange earlier = Decode(map, descriptorSize, j);
                    if (earlier.Overlaps(r))
                    {
                        HostPhysical at = earlier.Start > r.Start ? earlier.Start : r.Start;
                        Report(issues, ref issueCount, new MemoryMapIssue(MemoryMapIssueKind.Overlap, i, j, at.Value));
                    }
                }
                if (rangeCount == ranges.Length)
                {
                    Report(issues, ref issueCount, new MemoryMapIssue(MemoryMapIssueKind.TooManyDescriptors, i, -1, (ulong)ranges.Length));
                    break;
                }
                ranges[rangeCount++] = r;
            }
            return new MemoryMapResult(true, rangeCount, issueCount);
        }

        /// <summary>Descriptor <paramref name="index"/>, as is (no validation); the caller checked it lies inside the map.</summary>
        private static MemoryRange Decode(ReadOnlySpan<byte> map, ulong descriptorSize, int index)
        {
            int at = (int)((ulong)index * descriptorSize);
            return new MemoryRange(
                new HostPhysical(ReadU64(map, at + PhysicalStartOffset)),
                ReadU64(map, at + NumberOfPagesOffset),
                (MemoryKind)(uint)ReadU64(map, at + TypeOffset),
                (MemoryAttributes)ReadU64(map, at + AttributeOffset));
        }

        private static bool Check(MemoryRange r, out MemoryMapIssueKind problem)
        {
            problem = MemoryMapIssueKind.ZeroPages;
            if (r.Pages == 0)
                return false;
            problem = MemoryMapIssueKind.UnalignedStart;
            if (!r.Start.IsPageAligned)
                return false;
            problem = MemoryMapIssueKind.Wraps;
            return r.TryGetLast(out _);
        }

        private static void Report(Span<MemoryMapIssue> issues, ref int count, MemoryMapIssue issue)
        {
            if (count < issues.Length)
                issues[count] = issue;
            count++;
        }

        /// <summary>Little-endian (UEFI is little-endian on x86-64, UEFI 2.10 §2.3.4).</summary>
        private static ulong ReadU64(ReadOnlySpan<byte> bytes, int offset)
        {
            ulong v = 0;
            for (int i = 7; i >= 0; i--)
                v = (v << 8) | bytes[offset + i];
            return v;
        }
    }
}
