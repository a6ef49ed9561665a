namespace Hv.Virt.Vmx
{
    /// <summary>
    /// Guest-state area for each <see cref="StartMode"/> (SDM Vol. 3C "Guest-State Area"; the
    /// register values after RESET/INIT are in SDM Vol. 3A table "IA-32 and Intel 64 Processor
    /// States Following Power-up, Reset, or INIT"). Real and unpaged protected mode need the
    /// "unrestricted guest" control; the guest's own CR0/CR4 view lives in the read shadows.
    /// </summary>
    public static class VmcsGuestState
    {
        /// <summary>CR0 after RESET: CD | NW | ET.</summary>
        public const ulong ResetCr0 = (ulong)(Cr0.CD | Cr0.NW | Cr0.ET);
        public const ulong Flat32Cr0 = (ulong)(Cr0.PE | Cr0.ET);
        /// <summary>IA32_PAT after RESET: WB, WT, UC-, UC repeated.</summary>
        public const ulong ResetPat = 0x0007_0406_0007_0406;
        public const ulong ResetDr7 = 0x400;
        public const ushort Flat32Code = 0x08, Flat32Data = 0x10;

        /// <summary>Access rights (AccessRights.CodeData, spelled out so no class constructor runs): 16-bit
        /// execute/read and read/write accessed segments, DPL 0, present; then the 32-bit, 4 KiB-granular forms.</summary>
        public const uint RealCode = 0x9B, RealData = 0x93, FlatCode = 0xC09B, FlatData = 0xC093;
        /// <summary>64-bit code segment: L = 1, D = 0 (SDM Vol. 3A §3.4.5 "L" flag), G = 1, execute/read accessed.</summary>
        public const uint LongCode = 0xA09B;
        public const ulong Long64Cr0 = (ulong)(Cr0.PE | Cr0.ET | Cr0.PG);
        public const ulong Long64Cr4 = (ulong)Cr4.PAE;
        public const ulong Long64Efer = (ulong)(Efer.LME | Efer.LMA);

        public static void Write(IVmcs v, in VmxControlSet set, StartMode mode, ulong rip) => Write(v, set, mode, rip, default);

        public static void Write(IVmcs v, in VmxControlSet set, StartMode mode, ulong rip, in LongModeStart start)
        {
            WriteCommon(v, set);
            if (mode == StartMode.ProtectedFlat32) WriteFlat32(v, set, rip);
            else if (mode == StartMode.Long64) WriteLong64(v, set, rip, start);
            else WriteReset(v, set, mode == StartMode.WaitForSipi ? ActivityState.WaitForSipi : ActivityState.Active);
        }

        /// <summary>Real mode at F000:FFF0 (CS base FFFF0000), as after RESET; or the INIT state waiting for a SIPI.</summary>
        public static void WriteReset(IVmcs v, in VmxControlSet set, ActivityState activity)
        {
            WriteCr0(v, set, ResetCr0);
            WriteCr4(v, set, 0);
            v.Write(VmcsField.GuestCr3, 0);
            v.WriteSegment(GuestSegment.Cs, 0xF000, 0xFFFF_0000, 0xFFFF, RealCode);
            WriteDataSegments(v, 0, 0xFFFF, RealData);
            v.Write(VmcsField.GuestRip, 0xFFF0);
            v.Write(VmcsField.GuestRsp, 0);
            v.Write(VmcsField.GuestRflags, (ulong)Rflags.Reserved1);
            v.Write(VmcsField.GuestIa32Efer, 0);
            v.ClearBits(VmcsField.EntryControls, (uint)Caps.EntryControls.Ia32eModeGuest);
            v.Write(VmcsField.GuestActivityState, (uint)activity);
            v.Write(VmcsField.GuestInterruptibility, 0);
        }

        /// <summary>Multiboot §3.2 machine state: 32-bit flat CS/DS/ES/FS/GS/SS, paging off, IF = 0.</summary>
        public static void WriteFlat32(IVmcs v, in VmxControlSet set, ulong rip)
        {
            WriteCr0(v, set, Flat32Cr0);
            WriteCr4(v, set, 0);
            v.Write(VmcsField.GuestCr3, 0);
            v.WriteSegment(GuestSegment.Cs, Flat32Code, 0, 0xFFFF_FFFF, FlatCode);
            WriteDataSegments(v, Flat32Data, 0xFFFF_FFFF, FlatData);
            v.Write(VmcsField.GuestRip, rip);
            v.Write(VmcsField.GuestRsp, 0);
            v.Write(VmcsField.GuestRflags, (ulong)Rflags.Reserved1);
            v.Write(VmcsField.GuestIa32Efer, 0);
            v.ClearBits(VmcsField.EntryControls, (uint)Caps.EntryControls.Ia32eModeGuest);
            v.Write(VmcsField.GuestActivityState, (uint)ActivityState.Active);
            v.Write(VmcsField.GuestInterruptibility, 0);
        }

        /// <summary>
        /// The Linux 64-bit boot protocol's state: long mode with the loader's identity-mapping page tables
        /// (CR3) and GDT, CS/DS from that GDT, IF = 0. The "IA-32e mode guest" entry control must match
        /// EFER.LMA (SDM Vol. 3C §27.3.1.1), so it is set here.
        /// </summary>
        public static void WriteLong64(IVmcs v, in VmxControlSet set, ulong rip, in LongModeStart start)
        {
            WriteCr0(v, set, Long64Cr0);
            WriteCr4(v, set, Long64Cr4);
            v.Write(VmcsField.GuestCr3, start.Cr3);
            v.WriteSegment(GuestSegment.Cs, start.CodeSelector, 0, 0xFFFF_FFFF, LongCode);
            WriteDataSegments(v, start.DataSelector, 0xFFFF_FFFF, FlatData);
            v.Write(VmcsField.GuestGdtrBase, start.GdtBase);
            v.Write(VmcsField.GuestGdtrLimit, start.GdtLimit);
            v.Write(VmcsField.GuestRip, rip);
            v.Write(VmcsField.GuestRsp, start.Rsp);
            v.Write(VmcsField.GuestRflags, (ulong)Rflags.Reserved1);
            v.Write(VmcsField.GuestIa32Efer, Long64Efer);
            v.SetBits(VmcsField.EntryControls, (uint)Caps.EntryControls.Ia32eModeGuest);
            v.Write(VmcsField.GuestActivityState, (uint)ActivityState.Active);
            v.Write(VmcsField.GuestInterruptibility, 0);
        }

        /// <summary>
        /// What a SIPI does to a CPU in wait-for-SIPI (SDM Vol. 3A "MP Initialization Protocol Algorithm for MP Systems"):
        /// CS selector = vector &lt;&lt; 8, base = vector &lt;&lt; 12, IP = 0, and the CPU runs.
        /// </summary>
        public static void WriteSipiStart(IVmcs v, byte vector)
        {
            v.WriteSegment(GuestSegment.Cs, (ushort)(vector << 8), (ulong)vector << 12, 0xFFFF, RealCode);
            v.Write(VmcsField.GuestRip, 0);
            v.Write(VmcsField.GuestActivityState, (uint)ActivityState.Active);
        }

        /// <summary>Guest CR0 as the guest wants it: the read shadow gets the guest's value, the field the value the CPU accepts.</summary>
        public static void WriteCr0(IVmcs v, in VmxControlSet set, ulong guestView)
        {
            v.Write(VmcsField.Cr0ReadShadow, guestView);
            v.Write(VmcsField.GuestCr0, (guestView | set.Cr0MustBe1) & set.Cr0MayBe1);
        }

        public static void WriteCr4(IVmcs v, in VmxControlSet set, ulong guestView)
        {
            v.Write(VmcsField.Cr4ReadShadow, guestView);
            v.Write(VmcsField.GuestCr4, (guestView | set.Cr4MustBe1) & set.Cr4MayBe1);
        }

        /// <summary>State no start mode changes: debug registers, MSRs, descriptor tables, LDTR, TR, link pointer.</summary>
        private static void WriteCommon(IVmcs v, in VmxControlSet set)
        {
            v.Write(VmcsField.GuestDr7, ResetDr7);
            v.Write(VmcsField.GuestIa32Debugctl, 0);
            v.Write(VmcsField.GuestPendingDebugExceptions, 0);
            v.Write(VmcsField.GuestIa32SysenterCs, 0);
            v.Write(VmcsField.GuestIa32SysenterEsp, 0);
            v.Write(VmcsField.GuestIa32SysenterEip, 0);
            if (set.PatSwitching) v.Write(VmcsField.GuestIa32Pat, ResetPat);
            v.Write(VmcsField.GuestGdtrBase, 0);
            v.Write(VmcsField.GuestGdtrLimit, 0xFFFF);
            v.Write(VmcsField.GuestIdtrBase, 0);
            v.Write(VmcsField.GuestIdtrLimit, 0xFFFF);
            // LDTR starts unusable (no LDT until the guest loads one); TR must be a usable busy TSS.
            v.WriteSegment(GuestSegment.Ldtr, 0, 0, 0xFFFF, AccessRights.UnusableBit);
            v.WriteSegment(GuestSegment.Tr, 0, 0, 0xFFFF, AccessRights.SystemSegment(SegmentType.BusyTss32));
            v.Write(VmcsField.VmcsLinkPointer, ulong.MaxValue);
        }

        private static void WriteDataSegments(IVmcs v, ushort selector, uint limit, uint ar)
        {
            v.WriteSegment(GuestSegment.Es, selector, 0, limit, ar);
            v.WriteSegment(GuestSegment.Ss, selector, 0, limit, ar);
            v.WriteSegment(GuestSegment.Ds, selector, 0, limit, ar);
            v.WriteSegment(GuestSegment.Fs, selector, 0, limit, ar);
            v.WriteSegment(GuestSegment.Gs, selector, 0, limit, ar);
        }
    }
}
