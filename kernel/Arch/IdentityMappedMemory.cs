using System;
using Hv.Acpi;

namespace Hv.Arch
{
    /// <summary>
    /// Physical memory as the kernel sees it: identity mapped by its own page tables
    /// (PageTables.BuildIdentityMap), so physical address == virtual address. Firmware tables
    /// hold addresses we do not control, so before copying, every 4 KiB page of the range is
    /// looked up in the live page tables (CR3): a read of an unmapped page (page 0, a hole, an
    /// address beyond the map) returns false instead of faulting. Addresses at or above 1 TiB are
    /// refused outright (the identity map stops at 512 GiB).
    /// </summary>
    public sealed unsafe class IdentityMappedMemory : IPhysicalMemory
    {
        private const ulong Limit = 1UL << 40;
        private const ulong Present = 1, LargePage = 0x80;
        private const ulong FrameMask = 0x000F_FFFF_FFFF_F000;

        public bool TryRead(ulong address, Span<byte> destination)
        {
            ulong length = (ulong)destination.Length;
            if (address >= Limit || length > Limit - address)
                return false;
            if (length == 0)
                return true;
            ulong pml4 = Cpu.hv_read_cr3() & FrameMask;
            for (ulong page = address & ~0xFFFUL; page < address + length; page += 4096)
                if (!Mapped(pml4, page))
                    return false;
            // SAFETY: every page of [address, address + length) is present in the active page
            // tables, which map it to the same physical address, so these reads cannot fault.
            byte* source = (byte*)address;
            for (int i = 0; i < destination.Length; i++)
                destination[i] = source[i];
            return true;
        }

        /// <summary>True when the 4-level walk (SDM Vol. 3 §4.5) for <paramref name="va"/> ends at a present entry.</summary>
        private static bool Mapped(ulong pml4, ulong va)
        {
            // SAFETY: the page-table pages themselves are identity mapped (they were allocated
            // below the map's limit by the boot stage), so reading them by physical address is sound.
            ulong e = ((ulong*)pml4)[(va >> 39) & 511];
            if ((e & Present) == 0) return false;
            e = ((ulong*)(e & FrameMask))[(va >> 30) & 511];
            if ((e & Present) == 0) return false;
            if ((e & LargePage) != 0) return true;
            e = ((ulong*)(e & FrameMask))[(va >> 21) & 511];
            if ((e & Present) == 0) return false;
            if ((e & LargePage) != 0) return true;
            e = ((ulong*)(e & FrameMask))[(va >> 12) & 511];
            return (e & Present) != 0;
        }
    }
}
