// Changes to the kernel's identity map (PageTables.BuildIdentityMap) after boot: W^X for the
// image, not-present guard pages under stacks. A 2 MiB page is split into 512 4 KiB pages the
// first time part of it needs different rights (SDM Vol. 3 §4.5, Table 4-15/4-19).
// Everything outside the image is data: no-execute. TLBs: changes are made on the boot CPU
// before the APs start, or for new stacks whose pages no other CPU has touched.
using System.Runtime.InteropServices;

namespace Hv.Arch.Paging
{
    public static unsafe class KernelAddressSpace
    {
        private const ulong Present = 1, Writable = 2, LargePage = 0x80, NoExecute = 1UL << 63;
        private const ulong AddressMask = 0x000FFFFFFFFFF000UL;
        private const uint EferMsr = 0xC0000080, EferNxe = 1u << 11;

        [DllImport("hvasm"), SuppressGCTransition] private static extern void hv_invlpg(ulong address);

        private static ulong s_pml4;
        private static delegate*<ulong> s_allocTable;
        public static int GuardPages { get; private set; }

        public static void Initialize(ulong pml4, delegate*<ulong> allocZeroedPage)
        {
            s_pml4 = pml4;
            s_allocTable = allocZeroedPage;
        }

        /// <summary>
        /// Gives the image's sections their rights (code R-X, read-only data R--, data RW-), then
        /// makes everything else no-execute. In that order, so the code running this never loses
        /// its execute right. Needs EFER.NXE (set here on the boot CPU; the AP trampoline sets it).
        /// </summary>
        public static void ApplyWxorX(ImageSection[] sections, int count, ulong trampolinePage)
        {
            Cpu.hv_wrmsr(EferMsr, Cpu.hv_rdmsr(EferMsr) | EferNxe);
            for (int i = 0; i < count; i++)
                for (ulong p = sections[i].Start; p < sections[i].Start + sections[i].Size; p += 4096)
                    Set4K(p, Present | (sections[i].Write ? Writable : 0) | (sections[i].Execute ? 0 : NoExecute));
            // The AP start-up code runs from its low page (and the APs patch its data): RWX, one page.
            if (trampolinePage != 0) Set4K(trampolinePage, Present | Writable);

            ulong* pml4 = (ulong*)s_pml4;
            ulong* pdpt = (ulong*)(pml4[0] & AddressMask);
            for (ulong g = 0; g < 512; g++)
            {
                if ((pdpt[g] & Present) == 0) continue;
                ulong* pd = (ulong*)(pdpt[g] & AddressMask);
                for (ulong m = 0; m < 512; m++)
                {
                    if ((pd[m] & Present) == 0) continue;
                    // NX on a directory entry would cover all 512 pages below it: a split 2 MiB page
                    // gets NX on each 4 KiB entry that is not code instead.
                    if ((pd[m] & LargePage) != 0) { pd[m] |= NoExecute; continue; }
                    ulong* pt = (ulong*)(pd[m] & AddressMask);
                    ulong base2m = (g << 30) | (m << 21);
                    for (ulong k = 0; k < 512; k++)
                    {
                        ulong va = base2m + (k << 12);
                        if ((pt[k] & Present) != 0 && !IsCode(va, sections, count) && va != trampolinePage) pt[k] |= NoExecute;
                    }
                }
            }
            Cpu.hv_write_cr3(s_pml4); // flush everything
        }

        private static bool IsCode(ulong va, ImageSection[] sections, int count)
        {
            for (int i = 0; i < count; i++)
                if (sections[i].Execute && va >= sections[i].Start && va < sections[i].Start + sections[i].Size) return true;
            return false;
        }

        /// <summary>Makes the page at <paramref name="address"/> not present: a stack overflow into it faults.</summary>
        public static void MakeGuardPage(ulong address)
        {
            Set4K(address & ~4095UL, 0);
            GuardPages++;
        }

        private static void Set4K(ulong va, ulong flags)
        {
            ulong* pt = PageTableFor(va);
            pt[(va >> 12) & 511] = flags == 0 ? 0 : (va & AddressMask) | flags;
            hv_invlpg(va);
        }

        /// <summary>The 4 KiB page table covering <paramref name="va"/>, splitting its 2 MiB page if needed.</summary>
        private static ulong* PageTableFor(ulong va)
        {
            ulong* pdpt = (ulong*)(((ulong*)s_pml4)[(va >> 39) & 511] & AddressMask);
            ulong* pd = (ulong*)(pdpt[(va >> 30) & 511] & AddressMask);
            ref ulong pde = ref pd[(va >> 21) & 511];
            if ((pde & LargePage) != 0)
            {
                ulong* pt = (ulong*)s_allocTable();
                ulong base2m = pde & 0x000FFFFFFFE00000UL;
                ulong attrs = pde & (Writable | NoExecute);
                for (ulong k = 0; k < 512; k++) pt[k] = (base2m + k * 4096) | Present | attrs;
                pde = (ulong)pt | Present | Writable; // rights are decided at the 4 KiB level
            }
            return (ulong*)(pde & AddressMask);
        }
    }
}
