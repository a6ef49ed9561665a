// Per-vCPU values of the MSRs the policy emulates itself (state that lives in neither the VMCS nor
// the VMCB). A fixed-size struct inside Vcpu: reading or writing an MSR never allocates.
namespace Hv.Virt
{
    // unsafe only for the fixed buffers; their indexes are checked by MsrPolicy.Mtrr (see the SAFETY note there).
    public unsafe struct MsrStore
    {
        /// <summary>Variable-range MTRR pairs exposed (IA32_MTRRCAP.VCNT), SDM Vol. 3A §12.11.2.3.</summary>
        public const int VariableMtrrs = 8;
        /// <summary>Fixed-range MTRRs: one 64K, two 16K, eight 4K registers (SDM Vol. 3A §12.11.2.2).</summary>
        public const int FixedMtrrs = 11;

        /// <summary>xAPIC base the guest sees (SDM Vol. 3A §11.4.4): the architectural default, enabled.</summary>
        public const ulong DefaultApicBase = 0xFEE0_0000;
        public const ulong ApicGlobalEnable = 1UL << 11;
        public const ulong ApicX2Mode = 1UL << 10;
        public const ulong ApicBsp = 1UL << 8;

        /// <summary>
        /// MTRR default type as firmware leaves it for an OS: MTRRs enabled (E, bit 11), fixed ranges
        /// off, default type write-back (6). Guests here boot without firmware, so this is their reset value.
        /// </summary>
        public const ulong DefaultMtrrDefType = (1UL << 11) | 6;

        /// <summary>IA32_MISC_ENABLE: fast strings (0), BTS unavailable (11), PEBS unavailable (12) (SDM Vol. 4 Table 2-2).</summary>
        public const ulong DefaultMiscEnable = (1UL << 0) | (1UL << 11) | (1UL << 12);

        public ulong ApicBase;
        public ulong MiscEnable;
        public ulong MtrrDefType;
        public ulong DebugCtl;
        /// <summary>PHYSBASE0, PHYSMASK0, PHYSBASE1, ... in MSR order.</summary>
        public fixed ulong MtrrVariable[VariableMtrrs * 2];
        /// <summary>FIX64K_00000, FIX16K_80000, FIX16K_A0000, FIX4K_C0000 ... FIX4K_F8000.</summary>
        public fixed ulong MtrrFixed[FixedMtrrs];

        /// <summary>Reset values for vCPU <paramref name="index"/> (vCPU 0 is the bootstrap processor).</summary>
        public void Reset(int index)
        {
            ApicBase = DefaultApicBase | ApicGlobalEnable | (index == 0 ? ApicBsp : 0);
            MiscEnable = DefaultMiscEnable;
            MtrrDefType = DefaultMtrrDefType;
            DebugCtl = 0;
            for (int i = 0; i < VariableMtrrs * 2; i++)
                MtrrVariable[i] = 0;
            for (int i = 0; i < FixedMtrrs; i++)
                MtrrFixed[i] = 0;
        }
    }
}
