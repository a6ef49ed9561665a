// The VMRUN consistency checks (AMD APM Vol. 2 §15.5.1 "Canonicalization and Consistency
// Checks"): an illegal combination makes VMRUN exit at once with VMEXIT_INVALID. Host tests run
// them on every VMCB the setup code builds; the backend runs them after a VMEXIT_INVALID to say
// which rule failed (the hardware does not say).
namespace Hv.Virt.Svm
{
    /// <summary>What the checks need to know about the CPU.</summary>
    public struct SvmCheckLimits
    {
        /// <summary>MAXPHYADDR (CPUID Fn8000_0008_EAX[7:0]).</summary>
        public int PhysicalAddressBits;
        public bool LongMode;
        public bool NestedPaging;
        /// <summary>CR4 bits the CPU implements; the rest are MBZ.</summary>
        public ulong Cr4Implemented;

        /// <summary>VME..LA57, FSGSBASE, PCIDE, OSXSAVE, SMEP, SMAP, PKE, CET: an AMD64 CPU of today.</summary>
        public const ulong TypicalCr4 = 0x1FFF | (1ul << 16) | (1ul << 17) | (1ul << 18) | (0xFul << 20);

        public static SvmCheckLimits Typical(int physicalAddressBits)
            => new SvmCheckLimits { PhysicalAddressBits = physicalAddressBits, LongMode = true, NestedPaging = true, Cr4Implemented = TypicalCr4 };
    }

    public static unsafe class VmcbChecks
    {
        /// <summary>EFER bits that exist (SCE, LME, LMA, NXE, SVME, LMSLE, FFXSR, TCE); the others are MBZ.</summary>
        public const ulong EferDefined = (ulong)(GuestEfer.SCE | GuestEfer.LME | GuestEfer.LMA | GuestEfer.NXE
            | GuestEfer.SVME | GuestEfer.LMSLE | GuestEfer.FFXSR | GuestEfer.TCE);

        /// <summary>Null when VMRUN would accept the VMCB; otherwise the first rule it breaks.</summary>
        public static string FirstFailure(Vmcb* v, SvmCheckLimits limits)
        {
            VmcbStateSaveArea* s = &v->Save;
            VmcbControlArea* c = &v->Control;
            ulong efer = s->Efer, cr0 = s->Cr0, cr4 = s->Cr4;
            bool lme = (efer & (ulong)GuestEfer.LME) != 0, pg = (cr0 & (ulong)GuestCr0.PG) != 0;
            bool pae = (cr4 & (ulong)GuestCr4.PAE) != 0;

            if ((efer & (ulong)GuestEfer.SVME) == 0) return "EFER.SVME is zero";
            if ((cr0 & (ulong)GuestCr0.CD) == 0 && (cr0 & (ulong)GuestCr0.NW) != 0) return "CR0.CD is zero and CR0.NW is set";
            if ((cr0 >> 32) != 0) return "CR0[63:32] are not zero";
            if ((s->Cr3 & Cr3MustBeZero(lme && pg, limits.PhysicalAddressBits)) != 0) return "a MBZ bit of CR3 is set";
            if ((cr4 & ~limits.Cr4Implemented) != 0) return "a MBZ bit of CR4 is set";
            if ((s->Dr6 >> 32) != 0) return "DR6[63:32] are not zero";
            if ((s->Dr7 >> 32) != 0) return "DR7[63:32] are not zero";
            if ((efer & ~EferDefined) != 0) return "a MBZ bit of EFER is set";
            if ((efer & (ulong)(GuestEfer.LMA | GuestEfer.LME)) != 0 && !limits.LongMode) return "EFER.LMA or EFER.LME is set without long mode";
            if (lme && pg && !pae) return "EFER.LME and CR0.PG are set and CR4.PAE is zero";
            if (lme && pg && (cr0 & (ulong)GuestCr0.PE) == 0) return "EFER.LME and CR0.PG are set and CR0.PE is zero";
            if (lme && pg && pae && (s->Cs.Attributes & SegmentAttributes.Long) != 0 && (s->Cs.Attributes & SegmentAttributes.DefaultBig) != 0)
                return "EFER.LME, CR0.PG, CR4.PAE, CS.L and CS.D are all set";
            if ((c->Intercept2 & SvmIntercept2.Vmrun) == 0) return "the VMRUN intercept bit is clear";
            if (Beyond(c->MsrpmBase, SvmPermissionMaps.MsrpmBytes, limits.PhysicalAddressBits)) return "the MSR permission map extends past MAXPHYADDR";
            if (Beyond(c->IopmBase, SvmPermissionMaps.IopmBytes, limits.PhysicalAddressBits)) return "the I/O permission map extends past MAXPHYADDR";
            if (!new SvmEvent(c->EventInjection).IsInjectable) return "illegal event injection (EVENTINJ)";
            if (c->GuestAsid == 0) return "the guest ASID is zero";
            return NestedPagingFailure(v, limits);
        }

        /// <summary>With NP_ENABLE: nested paging must exist, N_CR3 must be inside MAXPHYADDR and G_PAT must hold valid types (§15.25.4, §15.25.8).</summary>
        private static string NestedPagingFailure(Vmcb* v, SvmCheckLimits limits)
        {
            if ((v->Control.NestedControl & SvmNestedControl.NestedPaging) == 0) return null;
            if (!limits.NestedPaging) return "NP_ENABLE is set without nested paging";
            if ((v->Control.NestedCr3 >> limits.PhysicalAddressBits) != 0) return "N_CR3 is past MAXPHYADDR";
            ulong pat = v->Save.GuestPat;
            for (int i = 0; i < 8; i++)
            {
                ulong type = (pat >> (8 * i)) & 0xFF;
                if (type == 2 || type == 3 || type > 7) return "G_PAT holds an invalid memory type";
            }
            return null;
        }

        /// <summary>Long mode: bits 63:52 and those above MAXPHYADDR; otherwise CR3 is 32 bits.</summary>
        private static ulong Cr3MustBeZero(bool longMode, int physicalAddressBits)
            => longMode ? ~0ul << physicalAddressBits : ~0ul << 32;

        /// <summary>True when [base, base + bytes) reaches MAXPHYADDR (the map's page-aligned base is what VMRUN uses).</summary>
        private static bool Beyond(ulong baseAddress, int bytes, int physicalAddressBits)
        {
            ulong limit = 1ul << physicalAddressBits;
            ulong start = baseAddress & ~0xFFFul;
            return start >= limit || limit - start < (ulong)bytes;
        }
    }
}
