// The hypervisor image's own sections, read from its PE headers in memory (PE/COFF spec §3-4:
// DOS header e_lfanew at 0x3C, "PE\0\0", COFF header, optional header, section table), so the
// page tables can give code R-X, read-only data R--, data RW- (W^X).
namespace Hv.Arch.Paging
{
    public struct ImageSection
    {
        public ulong Start;     // virtual address (identity mapped)
        public ulong Size;      // rounded up to 4 KiB
        public bool Execute;    // IMAGE_SCN_MEM_EXECUTE 0x20000000 or IMAGE_SCN_CNT_CODE 0x20
        public bool Write;      // IMAGE_SCN_MEM_WRITE   0x80000000
        public uint NameLow;    // first 4 bytes of the name, for the log
    }

    public static unsafe class ImageSections
    {
        public static int Read(ulong imageBase, ImageSection[] into, out ulong imageSize)
        {
            imageSize = 0;
            byte* b = (byte*)imageBase;
            if (b == null || b[0] != (byte)'M' || b[1] != (byte)'Z') return 0;
            byte* pe = b + *(int*)(b + 0x3C);
            if (*(uint*)pe != 0x00004550) return 0;
            ushort sections = *(ushort*)(pe + 6);
            ushort optSize = *(ushort*)(pe + 20);
            byte* opt = pe + 24;
            imageSize = *(uint*)(opt + 56);                 // SizeOfImage (PE32+)
            byte* table = opt + optSize;
            int n = 0;
            for (int i = 0; i < sections && n < into.Length; i++)
            {
                byte* s = table + i * 40;
                uint vsize = *(uint*)(s + 8), rva = *(uint*)(s + 12), flags = *(uint*)(s + 36);
                if (vsize == 0) continue;
                into[n].Start = imageBase + rva;
                into[n].Size = (vsize + 4095UL) & ~4095UL;
                // ilc's .managedcode section is marked CNT_CODE without MEM_EXECUTE: either means code.
                into[n].Execute = (flags & 0x20000020) != 0;
                into[n].Write = (flags & 0x80000000) != 0;
                into[n].NameLow = *(uint*)s;
                n++;
            }
            return n;
        }
    }
}
