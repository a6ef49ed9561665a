// The kernel's own 4-level page tables (SDM Vol. 3 §4.5): an identity map of physical memory
// up to `limit` with 2 MiB pages, except the first 2 MiB, mapped with 4 KiB pages so that
// page 0 can stay not-present and a null dereference faults instead of reading firmware data.
// (W^X and guard pages come with the memory manager, issue #3.)
namespace Hv.Arch
{
    public static unsafe class PageTables
    {
        private const ulong Present = 1, Writable = 2, LargePage = 0x80;
        private const ulong OneGiB = 1UL << 30, TwoMiB = 1UL << 21;

        /// <summary>Builds the tables with pages from <paramref name="allocPage"/> (zeroed 4 KiB pages); returns the PML4 address.</summary>
        public static ulong BuildIdentityMap(ulong limit, delegate*<ulong> allocPage)
        {
            limit = (limit + OneGiB - 1) & ~(OneGiB - 1);
            if (limit > 512 * OneGiB) limit = 512 * OneGiB; // one PDPT; larger machines come with issue #3
            ulong* pml4 = (ulong*)allocPage();
            ulong* pdpt = (ulong*)allocPage();
            pml4[0] = (ulong)pdpt | Present | Writable;
            for (ulong g = 0; g < limit / OneGiB; g++)
            {
                ulong* pd = (ulong*)allocPage();
                pdpt[g] = (ulong)pd | Present | Writable;
                for (ulong m = 0; m < 512; m++)
                    pd[m] = (g * OneGiB + m * TwoMiB) | Present | Writable | LargePage;
            }
            ulong* pt = (ulong*)allocPage();
            for (ulong k = 1; k < 512; k++) pt[k] = (k * 4096) | Present | Writable;
            ulong* pd0 = (ulong*)(pdpt[0] & ~0xFFFUL);
            pd0[0] = (ulong)pt | Present | Writable;
            return (ulong)pml4;
        }
    }
}
