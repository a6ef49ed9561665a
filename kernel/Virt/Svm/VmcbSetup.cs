// Fills a fresh (zeroed) VMCB: the intercepts and controls every vCPU gets, and the guest state
// of each StartMode. AMD APM Vol. 2: intercepts §15.8-§15.14, V_INTR_MASKING §15.21.1, nested
// paging §15.25.3, initial processor state §14.1.3 (Table 14-1).
namespace Hv.Virt.Svm
{
    public static unsafe class VmcbSetup
    {
        /// <summary>
        /// What always exits. INTR/NMI/SMI/INIT: host events end guest mode (the host handles them
        /// after STGI). CPUID, HLT, I/O (IOPM: every port), MSRs (MSRPM: all but the pass-through
        /// list): the neutral core emulates them. SHUTDOWN: a guest triple fault must not shut the
        /// host down (§15.14.3). INVD: would drop the host's dirty cache lines; skipped as a no-op.
        /// INVLPGA: names any ASID; the guest gets #UD.
        /// </summary>
        public const SvmIntercept1 Intercepts1 =
            SvmIntercept1.Intr | SvmIntercept1.Nmi | SvmIntercept1.Smi | SvmIntercept1.Init | SvmIntercept1.Cpuid
            | SvmIntercept1.Invd | SvmIntercept1.Hlt | SvmIntercept1.Invlpga | SvmIntercept1.IoioProt
            | SvmIntercept1.MsrProt | SvmIntercept1.Shutdown;

        /// <summary>
        /// VMRUN must be intercepted (§15.5.1 consistency check). The guest's EFER.SVME is 1 (VMRUN
        /// requires it), so the other SVM instructions would run in the guest: they exit and the
        /// guest gets #UD, as with EFER.SVME = 0. VMMCALL is the hypercall. MONITOR/MWAIT exit (#UD:
        /// CPUID hides them) so a guest cannot park a physical CPU. RDTSCP exits: TSC_AUX is virtual.
        /// XSETBV: the core checks the new XCR0.
        /// </summary>
        public const SvmIntercept2 Intercepts2 =
            SvmIntercept2.Vmrun | SvmIntercept2.Vmmcall | SvmIntercept2.Vmload | SvmIntercept2.Vmsave
            | SvmIntercept2.Stgi | SvmIntercept2.Clgi | SvmIntercept2.Skinit | SvmIntercept2.Rdtscp
            | SvmIntercept2.Monitor | SvmIntercept2.MwaitUnconditional | SvmIntercept2.Xsetbv;

        /// <summary>
        /// #AC only: an #AC raised while delivering #AC loops inside the CPU without an exit and
        /// hangs the host (the known "benign exception" loop); intercepting it lets the backend
        /// reflect each one with an exit in between. #DB has the same loop but reflecting it needs
        /// DR6 handling: not done yet (the guest can still hang its own vCPU's CPU via #DB).
        /// </summary>
        public const uint InterceptedExceptions = 1u << 17;

        /// <summary>PAT after reset: WB, WT, UC-, UC repeated (APM Vol. 2 §7.8.1).</summary>
        public const ulong ResetPat = 0x0007_0406_0007_0406;
        public const ulong ResetDr6 = 0xFFFF_0FF0, ResetDr7 = 0x400;
        public const ulong ResetCr0 = (ulong)(GuestCr0.CD | GuestCr0.NW | GuestCr0.ET);

        /// <summary>Controls shared by every mode; the TLB is flushed on the first VMRUN.</summary>
        public static void InitializeControls(Vmcb* v, uint asid, ulong iopm, ulong msrpm, ulong nestedCr3, SvmTlbControl firstFlush)
        {
            VmcbControlArea* c = &v->Control;
            c->Intercept1 = Intercepts1;
            c->Intercept2 = Intercepts2;
            c->InterceptExceptions = InterceptedExceptions;
            c->IopmBase = iopm;
            c->MsrpmBase = msrpm;
            c->TscOffset = 0;
            c->GuestAsid = asid;
            c->TlbControl = firstFlush;
            c->VirtualInterrupt = SvmVirtualInterrupt.Masking;
            c->NestedControl = SvmNestedControl.NestedPaging;
            c->NestedCr3 = nestedCr3;
            c->CleanBits = 0;
            c->EventInjection = 0;
        }

        /// <summary>Guest state for <paramref name="mode"/>; WaitForSipi gets the INIT state (it does not run until a SIPI).</summary>
        public static void LoadState(Vmcb* v, StartMode mode, ulong rip, ulong rax) => LoadState(v, mode, rip, rax, default);

        public static void LoadState(Vmcb* v, StartMode mode, ulong rip, ulong rax, in LongModeStart start)
        {
            if (mode == StartMode.ProtectedFlat32) LoadProtectedFlat32(v, rip);
            else if (mode == StartMode.Long64) LoadLong64(v, rip, start);
            else LoadResetState(v);
            v->Save.Rax = rax;
        }

        /// <summary>
        /// RESET/INIT state (Table 14-1): real mode, CS F000h with base FFFF0000h, IP FFF0h,
        /// CR0 60000010h, other segments 0 with limit FFFFh, DR6/DR7 and PAT at their reset values.
        /// Real mode runs directly in SVM guest mode with nested paging (paging off, linear =
        /// guest physical). CS gets code type 9Bh and TR a busy TSS (8Bh) so the state is also a
        /// valid protected-mode state; SVM does not check segment types.
        /// </summary>
        public static void LoadResetState(Vmcb* v)
        {
            VmcbStateSaveArea* s = &v->Save;
            s->Cs = VmcbSegment.Make(0xF000, SegmentAttributes.Code16, 0xFFFF, 0xFFFF_0000);
            VmcbSegment data = VmcbSegment.Make(0, SegmentAttributes.Data16, 0xFFFF, 0);
            s->Ds = data; s->Es = data; s->Fs = data; s->Gs = data; s->Ss = data;
            s->Gdtr = VmcbSegment.Make(0, 0, 0xFFFF, 0);
            s->Idtr = VmcbSegment.Make(0, 0, 0xFFFF, 0);
            s->Ldtr = VmcbSegment.Make(0, SegmentAttributes.Ldt, 0xFFFF, 0);
            s->Tr = VmcbSegment.Make(0, SegmentAttributes.BusyTss32, 0xFFFF, 0);
            LoadCommon(s, ResetCr0, 0xFFF0);
        }

        /// <summary>
        /// Multiboot's machine state (Multiboot 0.6.96 §3.2): protected mode, paging off, CS a flat
        /// 4 GiB execute/read 32-bit segment, DS/ES/FS/GS/SS flat read/write, IF clear. Selectors
        /// 08h/10h as a typical GDT would have them; GDTR/IDTR are the guest's to set.
        /// </summary>
        public static void LoadProtectedFlat32(Vmcb* v, ulong rip)
        {
            VmcbStateSaveArea* s = &v->Save;
            s->Cs = VmcbSegment.Make(0x08, SegmentAttributes.Code32, 0xFFFF_FFFF, 0);
            VmcbSegment data = VmcbSegment.Make(0x10, SegmentAttributes.Data32, 0xFFFF_FFFF, 0);
            s->Ds = data; s->Es = data; s->Fs = data; s->Gs = data; s->Ss = data;
            s->Gdtr = VmcbSegment.Make(0, 0, 0xFFFF, 0);
            s->Idtr = VmcbSegment.Make(0, 0, 0xFFFF, 0);
            s->Ldtr = VmcbSegment.Make(0, SegmentAttributes.Ldt, 0xFFFF, 0);
            s->Tr = VmcbSegment.Make(0, SegmentAttributes.BusyTss32, 0xFFFF, 0);
            LoadCommon(s, (ulong)(GuestCr0.PE | GuestCr0.ET), rip & 0xFFFF_FFFF);
        }

        /// <summary>
        /// The Linux 64-bit boot protocol's state (Documentation/arch/x86/boot.rst): long mode, paging
        /// with the loader's identity map (CR3), its GDT, CS a 64-bit code segment (L = 1, D = 0: APM
        /// Vol. 2 §4.8.1), flat data segments, IF clear. EFER.LMA is set with LME, as the processor
        /// would have set it when paging was enabled (§14.6.1); SVME stays set (§15.5.1).
        /// </summary>
        public static void LoadLong64(Vmcb* v, ulong rip, in LongModeStart start)
        {
            VmcbStateSaveArea* s = &v->Save;
            s->Cs = VmcbSegment.Make(start.CodeSelector, SegmentAttributes.Code64, 0xFFFF_FFFF, 0);
            VmcbSegment data = VmcbSegment.Make(start.DataSelector, SegmentAttributes.Data32, 0xFFFF_FFFF, 0);
            s->Ds = data; s->Es = data; s->Fs = data; s->Gs = data; s->Ss = data;
            s->Gdtr = VmcbSegment.Make(0, 0, start.GdtLimit, start.GdtBase);
            s->Idtr = VmcbSegment.Make(0, 0, 0, 0);
            s->Ldtr = VmcbSegment.Make(0, SegmentAttributes.Ldt, 0xFFFF, 0);
            s->Tr = VmcbSegment.Make(0, SegmentAttributes.BusyTss32, 0xFFFF, 0);
            LoadCommon(s, (ulong)(GuestCr0.PE | GuestCr0.ET | GuestCr0.PG), rip);
            s->Cr3 = start.Cr3;
            s->Rsp = start.Rsp;
            s->Cr4 = (ulong)GuestCr4.PAE;
            s->Efer = (ulong)(GuestEfer.SVME | GuestEfer.LME | GuestEfer.LMA);
        }

        /// <summary>After INIT, a SIPI with <paramref name="vector"/> starts real mode at vector * 4096 (CS = vector * 256, IP = 0).</summary>
        public static void LoadSipiState(Vmcb* v, byte vector)
        {
            LoadResetState(v);
            v->Save.Cs = VmcbSegment.Make((ushort)(vector << 8), SegmentAttributes.Code16, 0xFFFF, (ulong)vector << 12);
            v->Save.Rip = 0;
        }

        private static void LoadCommon(VmcbStateSaveArea* s, ulong cr0, ulong rip)
        {
            s->Cpl = 0;
            // EFER.SVME must be 1 in the guest's EFER (§15.5.1); IVcpuState hides it from the guest.
            s->Efer = (ulong)GuestEfer.SVME;
            s->Cr0 = cr0;
            s->Cr2 = 0; s->Cr3 = 0; s->Cr4 = 0;
            s->Dr6 = ResetDr6;
            s->Dr7 = ResetDr7;
            s->Rflags = (ulong)GuestRflags.Reserved1;
            s->Rip = rip;
            s->Rsp = 0;
            s->GuestPat = ResetPat;
        }
    }
}
