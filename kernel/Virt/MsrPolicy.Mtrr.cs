// MTRR and PAT MSRs (SDM Vol. 3A §12.11 "Memory Type Range Registers", §12.12 "PAT"). The guest's
// MTRRs are stored per vCPU and read back; they do not change how memory is cached: the backends map
// RAM write-back in EPT (ignoring guest PAT/MTRR where the SDM allows, §29.3.7) or NPT.
namespace Hv.Virt
{
    public static partial class MsrPolicy
    {
        /// <summary>MTRR memory types UC 0, WC 1, WT 4, WP 5, WB 6 (SDM Vol. 3A Table 12-8); 2, 3, 7+ are reserved.</summary>
        public static bool IsValidMtrrType(ulong type) => type == 0 || type == 1 || (type >= 4 && type <= 6);

        /// <summary>PAT entries may also hold UC- (7) (SDM Vol. 3A Table 12-10); 2 and 3 are reserved.</summary>
        public static bool IsValidPat(ulong pat)
        {
            for (int i = 0; i < 8; i++)
            {
                ulong type = (pat >> (i * 8)) & 0xFF;
                if (type == 2 || type == 3 || type > 7)
                    return false;
            }
            return true;
        }

        /// <summary>Index into MsrStore.MtrrFixed for a fixed-range MTRR, or -1.</summary>
        private static int FixedIndex(uint msr)
        {
            if (msr == (uint)Msr.MtrrFix64K00000) return 0;
            if (msr == (uint)Msr.MtrrFix16K80000) return 1;
            if (msr == (uint)Msr.MtrrFix16KA0000) return 2;
            if (msr >= (uint)Msr.MtrrFix4KC0000 && msr <= (uint)Msr.MtrrFix4KF8000) return 3 + (int)(msr - (uint)Msr.MtrrFix4KC0000);
            return -1;
        }

        // SAFETY (both methods): fixed buffers are not bounds-checked; every index below comes from a range
        // check against the MSR numbers (PHYSBASE0-PHYSMASK7: 0-15 of 16; FixedIndex: 0-10 of 11).
        private static unsafe MsrResult ReadMtrr(ref MsrStore store, uint msr, out ulong value)
        {
            value = 0;
            if (msr == (uint)Msr.MtrrDefType)
                value = store.MtrrDefType;
            else if (msr >= (uint)Msr.MtrrPhysBase0 && msr <= (uint)Msr.MtrrPhysMask7)
                value = store.MtrrVariable[msr - (uint)Msr.MtrrPhysBase0];
            else if (FixedIndex(msr) >= 0)
                value = store.MtrrFixed[FixedIndex(msr)];
            else
                return MsrResult.InjectGp;
            return MsrResult.Handled;
        }

        private static unsafe MsrResult WriteMtrr(ref MsrStore store, uint msr, ulong value, int physicalAddressBits)
        {
            ulong aboveMaxPhys = ~((1UL << physicalAddressBits) - 1);
            if (msr == (uint)Msr.MtrrDefType)
            {
                // [7:0] type, [10] FE, [11] E; bits 9:8 and 63:12 reserved.
                if ((value & ~0xCFFUL) != 0 || !IsValidMtrrType(value & 0xFF))
                    return MsrResult.InjectGp;
                store.MtrrDefType = value;
                return MsrResult.Handled;
            }
            if (msr >= (uint)Msr.MtrrPhysBase0 && msr <= (uint)Msr.MtrrPhysMask7)
            {
                uint slot = msr - (uint)Msr.MtrrPhysBase0;
                bool isMask = (slot & 1) != 0;
                // PHYSBASE: [7:0] type, [11:8] reserved. PHYSMASK: [10:0] reserved, [11] valid. Both: bits >= MAXPHYADDR reserved.
                ulong reserved = aboveMaxPhys | (isMask ? 0x7FFUL : 0xF00UL);
                if ((value & reserved) != 0 || (!isMask && !IsValidMtrrType(value & 0xFF)))
                    return MsrResult.InjectGp;
                store.MtrrVariable[slot] = value;
                return MsrResult.Handled;
            }
            int index = FixedIndex(msr);
            if (index < 0)
                return MsrResult.InjectGp;
            for (int i = 0; i < 8; i++)
                if (!IsValidMtrrType((value >> (i * 8)) & 0xFF))
                    return MsrResult.InjectGp;
            store.MtrrFixed[index] = value;
            return MsrResult.Handled;
        }
    }
}
