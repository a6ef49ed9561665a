namespace Hv.Virt.Vmx
{
    /// <summary>
    /// I/O and MSR bitmaps (SDM Vol. 3C "I/O-Bitmap Addresses", "MSR-Bitmap Address"). A 1 bit exits.
    /// <list type="bullet">
    /// <item>I/O: bitmap A covers ports 0000-7FFF, B 8000-FFFF; all ones, so every port exits and the
    /// devices in the core see every access.</item>
    /// <item>MSRs: one page of four 1 KiB bitmaps (read low 0-1FFF, read high C0000000-C0001FFF,
    /// write low, write high); MSRs outside both ranges always exit. Everything exits except the
    /// MSRs whose guest value the VMCS itself switches on entry and exit: IA32_FS_BASE, IA32_GS_BASE
    /// and IA32_SYSENTER_CS/ESP/EIP. The rest, KERNEL_GS_BASE, STAR/LSTAR/CSTAR/SFMASK, TSC_AUX, PAT
    /// and EFER included, go to the core's MSR policy, which sets accepted values through
    /// IVcpuState (VmxVcpuState.Msrs.cs loads the non-VMCS ones into the CPU).</item>
    /// </list>
    /// </summary>
    public static class VmxBitmaps
    {
        public static readonly uint[] PassThroughMsrs =
        {
            (uint)X86Msr.FsBase, (uint)X86Msr.GsBase,
            (uint)X86Msr.SysenterCs, (uint)X86Msr.SysenterEsp, (uint)X86Msr.SysenterEip,
        };

        private const int ReadLowBit = 0, ReadHighBit = 1024 * 8, WriteLowBit = 2048 * 8, WriteHighBit = 3072 * 8;

        /// <summary>Fills a page with ones.</summary>
        public static void FillAllOnes(IPageMemory mem, ulong page)
        {
            for (int i = 0; i < 512; i++) mem.WriteWord(page, i, ulong.MaxValue);
        }

        /// <summary>Builds the MSR bitmap: all ones, then the pass-through MSRs cleared for read and write.</summary>
        public static void BuildMsrBitmap(IPageMemory mem, ulong page)
        {
            FillAllOnes(mem, page);
            foreach (uint msr in PassThroughMsrs)
            {
                ClearBit(mem, page, ReadBit(msr));
                ClearBit(mem, page, WriteBit(msr));
            }
        }

        /// <summary>Whether RDMSR / WRMSR of <paramref name="msr"/> exits with this bitmap (the SDM rule, for tests and diagnostics).</summary>
        public static bool Exits(IPageMemory mem, ulong page, uint msr, bool write)
        {
            int bit = write ? WriteBit(msr) : ReadBit(msr);
            if (bit < 0) return true;
            return ((mem.ReadWord(page, bit >> 6) >> (bit & 63)) & 1) != 0;
        }

        /// <summary>Bit index in the page, or -1 when the MSR is outside both ranges.</summary>
        private static int ReadBit(uint msr) => Index(msr, ReadLowBit, ReadHighBit);
        private static int WriteBit(uint msr) => Index(msr, WriteLowBit, WriteHighBit);

        private static int Index(uint msr, int low, int high)
        {
            if (msr <= 0x1FFF) return low + (int)msr;
            if (msr >= 0xC000_0000 && msr <= 0xC000_1FFF) return high + (int)(msr - 0xC000_0000);
            return -1;
        }

        private static void ClearBit(IPageMemory mem, ulong page, int bit)
        {
            ulong w = mem.ReadWord(page, bit >> 6);
            mem.WriteWord(page, bit >> 6, w & ~(1ul << (bit & 63)));
        }
    }
}
