namespace Hv.Virt.Vmx
{
    /// <summary>
    /// EPT paging-structure entries and the EPT pointer: SDM Vol. 3C "The Extended Page Table
    /// Mechanism (EPT)" (§29.3; §28.2 before 2022), tables "Format of an EPT PML4 Entry" through
    /// "... EPT Page-Table Entry that Maps a 4-KByte Page" and "Format of Extended-Page-Table Pointer".
    /// </summary>
    public static class Ept
    {
        public const ulong Read = 1, Write = 2, Execute = 4, ReadWriteExecute = 7;
        /// <summary>Bits 5:3 of a leaf: EPT memory type (0 UC, 1 WC, 4 WT, 5 WP, 6 WB; 2, 3, 7 misconfigure).</summary>
        public const int MemoryTypeShift = 3;
        public const ulong IgnorePat = 1ul << 6;
        /// <summary>Bit 7 of a PDPTE / PDE: the entry maps a 1 GiB / 2 MiB page.</summary>
        public const ulong LargePage = 1ul << 7;
        public const ulong AddressMask = 0x000F_FFFF_FFFF_F000;
        public const uint MemoryTypeUncacheable = 0, MemoryTypeWriteBack = 6;
        public const ulong Page4K = 4096, Page2M = 2ul << 20;
        /// <summary>A 4-level walk translates 48-bit guest-physical addresses.</summary>
        public const ulong GuestPhysicalLimit = 1ul << 48;

        /// <summary>Leaf entry: read/write/execute, write-back, guest PAT honoured (IPAT = 0).</summary>
        public static ulong Leaf(ulong hostPhysical, bool large)
            => (hostPhysical & AddressMask) | ReadWriteExecute | ((ulong)MemoryTypeWriteBack << MemoryTypeShift) | (large ? LargePage : 0);

        /// <summary>Non-leaf entry: the next table, RWX (the leaf decides); bits 7:3 are reserved here.</summary>
        public static ulong Table(ulong next) => (next & AddressMask) | ReadWriteExecute;

        public static bool Present(ulong entry) => (entry & ReadWriteExecute) != 0;

        public static uint MemoryType(ulong leaf) => (uint)((leaf >> MemoryTypeShift) & 7);

        /// <summary>
        /// EPTP: bits 2:0 the paging structures' memory type, 5:3 walk length - 1 (3 = four levels),
        /// bit 6 enables accessed/dirty flags (left 0: nothing here reads them), 12+ the PML4 address.
        /// </summary>
        public static ulong Pointer(ulong pml4, uint memoryType, bool accessedDirty)
            => (pml4 & AddressMask) | memoryType | (3ul << 3) | (accessedDirty ? 1ul << 6 : 0);

        /// <summary>Index into the table at <paramref name="level"/> (4 = PML4 ... 1 = PT).</summary>
        public static int Index(ulong gpa, int level) => (int)((gpa >> (12 + 9 * (level - 1))) & 511);

        /// <summary>
        /// Walks the EPT like the processor (without permissions): the host-physical address,
        /// the size of the page that maps <paramref name="gpa"/> and its leaf entry; false when
        /// some level is not present.
        /// </summary>
        public static bool Translate(IPageMemory mem, ulong pml4, ulong gpa, out ulong hpa, out ulong pageSize, out ulong leaf)
        {
            hpa = 0; pageSize = 0; leaf = 0;
            if (gpa >= GuestPhysicalLimit) return false;
            ulong table = pml4;
            for (int level = 4; level >= 1; level--)
            {
                ulong e = mem.ReadWord(table, Index(gpa, level));
                if (!Present(e)) return false;
                bool isLeaf = level == 1 || ((level == 2 || level == 3) && (e & LargePage) != 0);
                if (isLeaf)
                {
                    pageSize = 1ul << (12 + 9 * (level - 1));
                    hpa = (e & AddressMask & ~(pageSize - 1)) | (gpa & (pageSize - 1));
                    leaf = e;
                    return true;
                }
                table = e & AddressMask;
            }
            return false;
        }
    }
}
