// Nested page tables for one VM (AMD APM Vol. 2 §15.25). They use the long-mode 4-level format
// (APM Vol. 2 §5.3): N_CR3 -> PML4 -> PDPT -> PD (2 MiB leaves, PS=1) -> PT (4 KiB leaves).
// Every entry is Present | Writable | User: a nested walk treats each guest access as a user
// access (§15.25.5), so U/S must be 1 at every level. PWT/PCD/PAT stay 0, which selects host PAT
// entry 0 = write-back; combined with the guest's own type per §15.25.8. Guest-physical addresses
// outside every region stay not present, so a guest access there is a nested page fault (MMIO).
// Table pages come from the caller's allocator as host-physical addresses, identity mapped.
namespace Hv.Virt.Svm
{
    public static unsafe class NestedPageTables
    {
        public const ulong Present = 1, Writable = 2, User = 4, LargePage = 0x80;
        public const ulong EntryFlags = Present | Writable | User;
        public const ulong AddressMask = 0x000F_FFFF_FFFF_F000;
        public const ulong Size4K = 0x1000, Size2M = 0x20_0000;
        /// <summary>Four levels translate 48 bits of guest-physical address.</summary>
        public const ulong GuestPhysicalLimit = 1ul << 48;
        private const ulong HostPhysicalLimit = 1ul << 52;

        /// <summary>
        /// Builds the tables for <paramref name="regions"/>; returns null and the PML4's address in
        /// <paramref name="root"/>, or an error (region not 4 KiB aligned, empty, overflowing,
        /// overlapping another, beyond 48 bits; or the allocator returned 0).
        /// </summary>
        public static string Build(GuestRegion[] regions, delegate*<ulong> allocZeroedPage, out ulong root)
        {
            root = 0;
            if (regions == null || regions.Length == 0) return "the VM has no memory regions";
            for (int i = 0; i < regions.Length; i++)
            {
                string problem = CheckRegion(regions, i);
                if (problem != null) return problem;
            }
            ulong pml4 = allocZeroedPage();
            if (pml4 == 0) return "out of memory for nested page tables";
            for (int i = 0; i < regions.Length; i++)
                if (!MapRegion(pml4, regions[i], allocZeroedPage)) return "out of memory for nested page tables";
            root = pml4;
            return null;
        }

        private static string CheckRegion(GuestRegion[] regions, int i)
        {
            GuestRegion r = regions[i];
            string name = "memory region " + i.ToString();
            if (r.Size == 0) return name + " is empty";
            if (((r.GuestPhysical | r.HostPhysical | r.Size) & (Size4K - 1)) != 0) return name + " is not 4 KiB aligned";
            if (r.Size > GuestPhysicalLimit || r.GuestPhysical > GuestPhysicalLimit - r.Size) return name + " reaches past guest-physical 2^48";
            if (r.Size > HostPhysicalLimit || r.HostPhysical > HostPhysicalLimit - r.Size) return name + " reaches past host-physical 2^52";
            for (int j = 0; j < i; j++)
            {
                GuestRegion o = regions[j];
                if (r.GuestPhysical < o.GuestPhysical + o.Size && o.GuestPhysical < r.GuestPhysical + r.Size)
                    return name + " overlaps memory region " + j.ToString();
            }
            return null;
        }

        /// <summary>2 MiB leaves where guest address, host address and the rest of the region allow; 4 KiB leaves elsewhere.</summary>
        private static bool MapRegion(ulong pml4, GuestRegion r, delegate*<ulong> alloc)
        {
            ulong offset = 0;
            while (offset < r.Size)
            {
                ulong gpa = r.GuestPhysical + offset, hpa = r.HostPhysical + offset;
                bool large = ((gpa | hpa) & (Size2M - 1)) == 0 && r.Size - offset >= Size2M;
                if (!MapPage(pml4, gpa, hpa, large, alloc)) return false;
                offset += large ? Size2M : Size4K;
            }
            return true;
        }

        private static bool MapPage(ulong pml4, ulong gpa, ulong hpa, bool large, delegate*<ulong> alloc)
        {
            ulong* pdpt = NextTable((ulong*)pml4, (int)(gpa >> 39) & 511, alloc);
            if (pdpt == null) return false;
            ulong* pd = NextTable(pdpt, (int)(gpa >> 30) & 511, alloc);
            if (pd == null) return false;
            if (large)
            {
                // SAFETY: pd is a table page this builder allocated (identity mapped, 512 entries).
                pd[(gpa >> 21) & 511] = (hpa & AddressMask) | EntryFlags | LargePage;
                return true;
            }
            ulong* pt = NextTable(pd, (int)(gpa >> 21) & 511, alloc);
            if (pt == null) return false;
            pt[(gpa >> 12) & 511] = (hpa & AddressMask) | EntryFlags;
            return true;
        }

        /// <summary>The table that <paramref name="table"/>[<paramref name="index"/>] points to, allocated when absent.</summary>
        private static ulong* NextTable(ulong* table, int index, delegate*<ulong> alloc)
        {
            // SAFETY: table is one of this builder's pages; regions do not overlap (checked), so a
            // slot that needs a table never holds a 2 MiB leaf.
            ulong e = table[index];
            if ((e & Present) != 0) return (ulong*)(e & AddressMask);
            ulong page = alloc();
            if (page == 0) return null;
            table[index] = page | EntryFlags;
            return (ulong*)page;
        }
    }
}
