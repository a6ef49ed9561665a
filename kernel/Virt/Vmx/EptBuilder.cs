namespace Hv.Virt.Vmx
{
    /// <summary>
    /// Builds a VM's 4-level EPT from its RAM regions: 2 MiB leaves wherever guest- and
    /// host-physical addresses are both 2 MiB aligned and the region covers the whole page, 4 KiB
    /// leaves elsewhere. Everything not mapped is MMIO: an access to it is an EPT violation
    /// (exit <see cref="VmExitKind.MmioAccess"/>). Regions must not overlap.
    /// </summary>
    public sealed class EptBuilder
    {
        private readonly IPageMemory _mem;
        private readonly bool _large;

        public ulong Pml4 { get; private set; }
        public int TablePages { get; private set; }
        public int LargeLeaves { get; private set; }
        public int SmallLeaves { get; private set; }

        /// <param name="use2MbPages">the CPU supports 2 MiB EPT pages (IA32_VMX_EPT_VPID_CAP bit 16).</param>
        public EptBuilder(IPageMemory mem, bool use2MbPages)
        {
            _mem = mem;
            _large = use2MbPages;
        }

        public bool TryMapAll(GuestRegion[] regions, out string error)
        {
            error = null;
            if (Pml4 == 0 && !NewTable(out ulong root, out error)) return false;
            if (regions == null) return true;
            for (int i = 0; i < regions.Length; i++)
                if (!TryMap(regions[i], out error)) return false;
            return true;
        }

        public bool TryMap(GuestRegion r, out string error)
        {
            error = null;
            if (Pml4 == 0 && !NewTable(out ulong root, out error)) return false;
            if (r.Size == 0 || ((r.GuestPhysical | r.HostPhysical | r.Size) & (Ept.Page4K - 1)) != 0)
            { error = "EPT: region not 4 KiB aligned or empty"; return false; }
            if (r.GuestPhysical > Ept.GuestPhysicalLimit - r.Size || r.HostPhysical > Ept.AddressMask - r.Size + 1)
            { error = "EPT: region beyond the 48-bit guest-physical or 52-bit physical space"; return false; }

            ulong gpa = r.GuestPhysical, hpa = r.HostPhysical, left = r.Size;
            while (left != 0)
            {
                bool large = _large && ((gpa | hpa) & (Ept.Page2M - 1)) == 0 && left >= Ept.Page2M;
                if (!MapPage(gpa, hpa, large, out error)) return false;
                ulong step = large ? Ept.Page2M : Ept.Page4K;
                gpa += step; hpa += step; left -= step;
            }
            return true;
        }

        private bool MapPage(ulong gpa, ulong hpa, bool large, out string error)
        {
            ulong table = Pml4;
            int leafLevel = large ? 2 : 1;
            for (int level = 4; level > leafLevel; level--)
            {
                int i = Ept.Index(gpa, level);
                ulong e = _mem.ReadWord(table, i);
                if (!Ept.Present(e))
                {
                    if (!NewTable(out ulong next, out error)) return false;
                    e = Ept.Table(next);
                    _mem.WriteWord(table, i, e);
                }
                else if ((e & Ept.LargePage) != 0)
                {
                    error = "EPT: guest regions overlap (large page)";
                    return false;
                }
                table = e & Ept.AddressMask;
            }
            int li = Ept.Index(gpa, leafLevel);
            if (Ept.Present(_mem.ReadWord(table, li))) { error = "EPT: guest regions overlap"; return false; }
            _mem.WriteWord(table, li, Ept.Leaf(hpa, large));
            if (large) LargeLeaves++; else SmallLeaves++;
            error = null;
            return true;
        }

        private bool NewTable(out ulong page, out string error)
        {
            page = _mem.AllocateZeroedPage();
            if (page == 0) { error = "EPT: out of memory for page tables"; return false; }
            if (Pml4 == 0) Pml4 = page;
            TablePages++;
            error = null;
            return true;
        }
    }
}
