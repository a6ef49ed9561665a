// Guest linear -> guest-physical translation in software, the way the guest's own MMU would do it, for
// backends that must read instruction bytes or string-I/O operands themselves (SVM without decode
// assists, QEMU TCG). Modes (chosen from CR0, CR4, EFER.LMA as SDM Vol. 3A §4.1.1, Table 4-1):
//   CR0.PE = 0 (real mode)         linear = physical
//   CR0.PG = 0 (protected, flat)   linear = physical, 32-bit
//   32-bit paging (PAE = 0)        2 levels of 4-byte entries, 4 MiB pages with CR4.PSE (PSE-36)
//   PAE paging (LMA = 0)           PDPT of 4, then PD and PT; 2 MiB pages
//   4-level paging (LMA = 1)       PML4, PDPT (1 GiB pages), PD (2 MiB pages), PT; LA57 is refused
// Access rights follow §4.6 (U/S, R/W with CR0.WP, NX with EFER.NXE, SMEP, SMAP with RFLAGS.AC) and a
// fault yields the #PF error code of §4.7. Simplifications: accessed/dirty bits are not set (the
// guest's MMU set them when it ran the access that exited), PAE PDPTEs are read from memory rather
// than from the PDPTE registers loaded with CR3, and protection keys are not checked (PKU is hidden).
namespace Hv.Virt
{
    public enum LinearTranslation : byte
    {
        Ok,
        /// <summary>Inject #PF with CR2 = the linear address and the reported error code.</summary>
        PageFault,
        /// <summary>64-bit address not canonical: #GP(0) (or #SS for stack references).</summary>
        NonCanonical,
        /// <summary>A paging structure or the target lies outside guest RAM (MMIO or nothing).</summary>
        NotInRam,
        /// <summary>A paging mode guests are not offered (5-level paging).</summary>
        UnsupportedMode,
    }

    public readonly partial struct GuestPageWalker
    {
        private readonly GuestMemory _memory;
        private readonly IVcpuState _state;
        private readonly int _physicalAddressBits;

        /// <param name="physicalAddressBits">Guest MAXPHYADDR (CpuidProfile.PhysicalAddressBits): entry bits above it are reserved.</param>
        public GuestPageWalker(GuestMemory memory, IVcpuState state, int physicalAddressBits)
        {
            _memory = memory;
            _state = state;
            _physicalAddressBits = physicalAddressBits < 32 || physicalAddressBits > 52 ? 52 : physicalAddressBits;
        }

        /// <summary>True with the guest-physical address; false with the #PF error code (0 when the failure is not a page fault).</summary>
        public bool TryTranslateLinear(ulong linear, AccessKind access, out ulong gpa, out ulong faultErrorCode)
        {
            LinearTranslation r = Translate(linear, access, out gpa, out uint code);
            faultErrorCode = code;
            return r == LinearTranslation.Ok;
        }

        /// <summary>Translates <paramref name="linear"/> for an access of kind <paramref name="access"/> at the guest's current CPL.</summary>
        public LinearTranslation Translate(ulong linear, AccessKind access, out ulong gpa, out uint errorCode)
        {
            gpa = 0;
            errorCode = 0;
            ulong cr0 = _state.Get(GuestRegister.Cr0);
            if ((cr0 & (ulong)Cr0Bits.ProtectionEnable) == 0 || (cr0 & (ulong)Cr0Bits.Paging) == 0)
            {
                gpa = linear & 0xFFFF_FFFF;
                return LinearTranslation.Ok;
            }
            ulong cr3 = _state.Get(GuestRegister.Cr3);
            ulong cr4 = _state.Get(GuestRegister.Cr4);
            var w = new Walk { Writable = true, User = true };
            if (_state.LongMode)
            {
                if ((cr4 & (ulong)Cr4Bits.La57) != 0)
                    return LinearTranslation.UnsupportedMode;
                if (!MsrPolicy.IsCanonical(linear))
                    return LinearTranslation.NonCanonical;
                w.EntrySize = 8;
                w.Nxe = (_state.Get(GuestRegister.Efer) & (ulong)EferBits.NoExecuteEnable) != 0;
                LinearTranslation r = Levels(cr3 & AddressMask, linear, 39, ref w, out gpa);
                return r == LinearTranslation.Ok ? Check(ref w, access, cr0, cr4, out errorCode) : Fail(r, ref w, access, cr4, out errorCode);
            }
            linear &= 0xFFFF_FFFF;
            if ((cr4 & (ulong)Cr4Bits.PhysicalAddressExtension) != 0)
            {
                w.EntrySize = 8;
                w.Nxe = (_state.Get(GuestRegister.Efer) & (ulong)EferBits.NoExecuteEnable) != 0;
                LinearTranslation r = Pdpte(cr3, linear, ref w, out ulong pd);
                if (r == LinearTranslation.Ok)
                    r = Levels(pd, linear, 21, ref w, out gpa);
                return r == LinearTranslation.Ok ? Check(ref w, access, cr0, cr4, out errorCode) : Fail(r, ref w, access, cr4, out errorCode);
            }
            w.EntrySize = 4;
            w.Pse = (cr4 & (ulong)Cr4Bits.PageSizeExtensions) != 0;
            LinearTranslation r32 = Levels(cr3 & 0xFFFF_F000, linear, 22, ref w, out gpa);
            return r32 == LinearTranslation.Ok ? Check(ref w, access, cr0, cr4, out errorCode) : Fail(r32, ref w, access, cr4, out errorCode);
        }

        /// <summary>Rights gathered along a walk, and how the walk reads entries.</summary>
        private struct Walk
        {
            public int EntrySize;       // 8 (PAE, 4-level) or 4 (32-bit paging)
            public bool Nxe, Pse;
            public bool Writable, User, NoExecute;
            public bool NotPresent, Reserved;
        }

        /// <summary>Physical-address bits of an 8-byte entry: [MAXPHYADDR-1:12].</summary>
        private ulong AddressMask => ((1UL << _physicalAddressBits) - 1) & ~0xFFFUL;

        /// <summary>Entry bits [51:MAXPHYADDR], reserved in 8-byte entries (§4.4.2, §4.5.4).</summary>
        private ulong ReservedHigh => ((1UL << 52) - 1) & ~((1UL << _physicalAddressBits) - 1);

        /// <summary>
        /// PAE: the PDPTE for bits 31:30 (§4.4.1). Its reserved bits (2:1, 8:5, above MAXPHYADDR) are not
        /// checked here: the CPU checks them when MOV to CR3/CR0/CR4 loads the PDPTE registers (#GP then)
        /// and walks use those registers, so a walk never faults on them. The copy in memory may differ:
        /// QEMU TCG, for one, sets the accessed bit (5) in it.
        /// </summary>
        private LinearTranslation Pdpte(ulong cr3, ulong linear, ref Walk w, out ulong pd)
        {
            pd = 0;
            if (!_memory.ReadUInt64((cr3 & 0xFFFF_FFE0) + ((linear >> 30) & 3) * 8, 8, out ulong e))
                return LinearTranslation.NotInRam;
            if ((e & (ulong)PageEntryBits.Present) == 0) { w.NotPresent = true; return LinearTranslation.PageFault; }
            pd = e & AddressMask;
            return LinearTranslation.Ok;
        }
    }
}
