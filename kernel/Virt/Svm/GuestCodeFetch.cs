// Reads the guest's code bytes at CS:RIP: the guest's own paging (APM Vol. 2 §5: 32-bit, PAE,
// 4-/5-level long mode) from linear to guest-physical, then the VM's regions to host-physical.
// Only translation, no permission checks: the bytes are compared with the instruction the CPU
// reported, never executed. Any failure (not present, outside RAM) ends the read early.
namespace Hv.Virt.Svm
{
    public static unsafe class GuestCodeFetch
    {
        private const ulong Present = 1, PageSize = 0x80;
        private const ulong AddressMask = 0x000F_FFFF_FFFF_F000;

        /// <summary>Copies up to <paramref name="count"/> code bytes at CS:RIP; returns how many were readable.</summary>
        public static int Read(Vmcb* v, GuestRegion[] memory, bool code64, byte* dest, int count)
        {
            VmcbStateSaveArea* s = &v->Save;
            ulong linear = code64 ? s->Rip : (s->Cs.Base + s->Rip) & 0xFFFF_FFFF;
            int done = 0;
            while (done < count)
            {
                if (!TranslateLinear(s, memory, linear, out ulong gpa) || !GuestRam.TryHostAddress(memory, gpa, out ulong hpa))
                    break;
                // Regions are 4 KiB aligned, so the rest of this page is backed too.
                int n = System.Math.Min((int)(0x1000 - (linear & 0xFFF)), count - done);
                // SAFETY: hpa..hpa+n lies in one page of the VM's RAM, identity mapped.
                for (int i = 0; i < n; i++) dest[done + i] = ((byte*)hpa)[i];
                done += n;
                linear += (ulong)n;
                if (!code64) linear &= 0xFFFF_FFFF;
            }
            return done;
        }

        public static bool TranslateLinear(VmcbStateSaveArea* s, GuestRegion[] memory, ulong linear, out ulong gpa)
        {
            if ((s->Cr0 & (ulong)GuestCr0.PG) == 0) { gpa = linear; return true; }
            if ((s->Efer & (ulong)GuestEfer.LMA) != 0)
                return Walk(memory, s->Cr3 & AddressMask, linear, (s->Cr4 & (ulong)GuestCr4.LA57) != 0 ? 5 : 4, out gpa);
            if ((s->Cr4 & (ulong)GuestCr4.PAE) != 0)
            {
                // PAE: CR3[31:5] points at four PDPTEs, selected by linear[31:30].
                gpa = 0;
                if (!ReadGuest64(memory, (s->Cr3 & 0xFFFF_FFE0) + ((linear >> 30) & 3) * 8, out ulong pdpte) || (pdpte & Present) == 0)
                    return false;
                return Walk(memory, pdpte & AddressMask, linear, 2, out gpa);
            }
            return Walk32(memory, s->Cr3, linear, (s->Cr4 & (ulong)GuestCr4.PSE) != 0, out gpa);
        }

        /// <summary>64-bit entries from <paramref name="topLevel"/> down: PS ends the walk at level 3 (1 GiB) or 2 (2 MiB).</summary>
        private static bool Walk(GuestRegion[] memory, ulong table, ulong linear, int topLevel, out ulong gpa)
        {
            gpa = 0;
            for (int level = topLevel; level >= 1; level--)
            {
                int shift = 12 + 9 * (level - 1);
                if (!ReadGuest64(memory, table + ((linear >> shift) & 511) * 8, out ulong e) || (e & Present) == 0)
                    return false;
                bool large = level > 1 && (e & PageSize) != 0;
                if (large && level > 3) return false; // PS is reserved there
                if (level == 1 || large)
                {
                    ulong offsetMask = (1ul << shift) - 1;
                    gpa = (e & AddressMask & ~offsetMask) | (linear & offsetMask);
                    return true;
                }
                table = e & AddressMask;
            }
            return false;
        }

        /// <summary>32-bit paging: PDE (4 MiB page with CR4.PSE and PS; PSE-36 bits 20:13 give address bits 39:32), then PTE.</summary>
        private static bool Walk32(GuestRegion[] memory, ulong cr3, ulong linear, bool pse, out ulong gpa)
        {
            gpa = 0;
            if (!ReadGuest32(memory, (cr3 & 0xFFFF_F000) + ((linear >> 22) & 0x3FF) * 4, out uint pde) || (pde & Present) == 0)
                return false;
            if (pse && (pde & PageSize) != 0)
            {
                gpa = (pde & 0xFFC0_0000ul) | ((ulong)((pde >> 13) & 0xFF) << 32) | (linear & 0x3F_FFFF);
                return true;
            }
            if (!ReadGuest32(memory, (pde & 0xFFFF_F000) + ((linear >> 12) & 0x3FF) * 4, out uint pte) || (pte & Present) == 0)
                return false;
            gpa = (pte & 0xFFFF_F000ul) | (linear & 0xFFF);
            return true;
        }

        private static bool ReadGuest64(GuestRegion[] memory, ulong gpa, out ulong value)
        {
            value = 0;
            if ((gpa & 7) != 0 || !GuestRam.TryHostAddress(memory, gpa, out ulong hpa)) return false;
            value = *(ulong*)hpa; // SAFETY: an aligned entry inside a page of the VM's RAM
            return true;
        }

        private static bool ReadGuest32(GuestRegion[] memory, ulong gpa, out uint value)
        {
            value = 0;
            if ((gpa & 3) != 0 || !GuestRam.TryHostAddress(memory, gpa, out ulong hpa)) return false;
            value = *(uint*)hpa; // SAFETY: as above
            return true;
        }
    }
}
