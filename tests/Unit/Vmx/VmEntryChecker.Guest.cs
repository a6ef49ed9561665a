using Hv.Virt.Caps;
using Hv.Virt.Vmx;

namespace Hv.Tests.Unit.Vmx
{
    // §27.3.1.1 "Checks on Guest Control Registers, Debug Registers, and MSRs", §27.3.1.3
    // "Descriptor-Table Registers", §27.3.1.4 "RIP and RFLAGS", §27.3.1.5 "Non-Register State",
    // §27.3.1.6 "Page-Directory-Pointer-Table Entries".
    internal sealed partial class VmEntryChecker
    {
        private const ulong DebugctlReserved = 0xFFFF_FFFF_FFFF_0000ul | 0x3C; // bits 2-5 and 63:16

        private ulong _cr0, _cr4, _rflags;

        private void CheckGuestControlRegistersAndMsrs()
        {
            _cr0 = R(VmcsField.GuestCr0);
            _cr4 = R(VmcsField.GuestCr4);
            ulong relax = Ug ? (ulong)(Cr0.PE | Cr0.PG) : 0;
            Expect(FixedOk(_cr0, _caps.Cr0Fixed0 & ~relax, _caps.Cr0Fixed1), "27.3.1.1 guest CR0: fixed bits");
            Expect((_cr0 & (ulong)Cr0.PG) == 0 || (_cr0 & (ulong)Cr0.PE) != 0, "27.3.1.1 guest CR0: PG requires PE");
            Expect(FixedOk(_cr4, _caps.Cr4Fixed0, _caps.Cr4Fixed1), "27.3.1.1 guest CR4: fixed bits");
            bool loadDebug = (_entry & EntryControls.LoadDebugControls) != 0;
            if (loadDebug)
            {
                Expect((R(VmcsField.GuestIa32Debugctl) & DebugctlReserved) == 0, "27.3.1.1 guest IA32_DEBUGCTL: reserved bits");
                Expect((R(VmcsField.GuestDr7) >> 32) == 0, "27.3.1.1 guest DR7: bits 63:32");
            }
            if (Ia32eGuest) Expect((_cr0 & (ulong)Cr0.PG) != 0 && (_cr4 & (ulong)Cr4.PAE) != 0, "27.3.1.1 IA-32e guest: CR0.PG and CR4.PAE");
            else Expect((_cr4 & (ulong)Cr4.PCIDE) == 0, "27.3.1.1 guest CR4.PCIDE outside IA-32e mode");
            Expect(!BeyondPhys(R(VmcsField.GuestCr3)), "27.3.1.1 guest CR3: bits beyond the physical-address width");
            Expect(Canonical(R(VmcsField.GuestIa32SysenterEsp)) && Canonical(R(VmcsField.GuestIa32SysenterEip)),
                "27.3.1.1 guest IA32_SYSENTER_ESP/EIP canonical");
            if ((_entry & EntryControls.LoadIa32Pat) != 0) Expect(PatOk(R(VmcsField.GuestIa32Pat)), "27.3.1.1 guest IA32_PAT");
            if ((_entry & EntryControls.LoadIa32Efer) != 0)
            {
                ulong efer = R(VmcsField.GuestIa32Efer);
                Expect((efer & ~EferValid) == 0, "27.3.1.1 guest IA32_EFER: reserved bits");
                Expect(((efer & (ulong)Efer.LMA) != 0) == Ia32eGuest, "27.3.1.1 guest IA32_EFER.LMA matches IA-32e mode guest");
                if ((_cr0 & (ulong)Cr0.PG) != 0)
                    Expect(((efer & (ulong)Efer.LME) != 0) == Ia32eGuest, "27.3.1.1 guest IA32_EFER.LME matches IA-32e mode guest");
            }
        }

        private void CheckGuestDescriptorTables()
        {
            Expect(Canonical(R(VmcsField.GuestGdtrBase)) && Canonical(R(VmcsField.GuestIdtrBase)), "27.3.1.3 GDTR/IDTR base canonical");
            Expect((R(VmcsField.GuestGdtrLimit) >> 16) == 0 && (R(VmcsField.GuestIdtrLimit) >> 16) == 0, "27.3.1.3 GDTR/IDTR limit bits 31:16");
        }

        private void CheckGuestRipRflags()
        {
            ulong rip = R(VmcsField.GuestRip);
            bool csLong = new AccessRights((uint)R(VmcsField.GuestCsAccessRights)).Long;
            if (!Ia32eGuest || !csLong) Expect((rip >> 32) == 0, "27.3.1.4 guest RIP bits 63:32 outside 64-bit mode");
            else Expect(Canonical(rip), "27.3.1.4 guest RIP canonical in 64-bit mode");
            _rflags = R(VmcsField.GuestRflags);
            const ulong reserved = 0xFFFF_FFFF_FFC0_0000ul | (1ul << 15) | (1ul << 5) | (1ul << 3);
            Expect((_rflags & reserved) == 0 && (_rflags & 2) != 0, "27.3.1.4 guest RFLAGS: reserved bits");
            if (Ia32eGuest || (_cr0 & (ulong)Cr0.PE) == 0)
                Expect((_rflags & (ulong)Rflags.VM) == 0, "27.3.1.4 guest RFLAGS.VM in IA-32e or real mode");
            var info = new InterruptionInfo((uint)R(VmcsField.EntryInterruptionInfo));
            if (info.Valid && info.Type == InterruptionType.ExternalInterrupt)
                Expect((_rflags & (ulong)Rflags.IF) != 0, "27.3.1.4 guest RFLAGS.IF when injecting an external interrupt");
        }

        private void CheckGuestNonRegisterState()
        {
            uint activity = (uint)R(VmcsField.GuestActivityState);
            var s = (Interruptibility)R(VmcsField.GuestInterruptibility);
            var info = new InterruptionInfo((uint)R(VmcsField.EntryInterruptionInfo));
            bool supported = activity == 0 || (activity == 1 && _caps.Misc.ActivityHlt)
                || (activity == 2 && _caps.Misc.ActivityShutdown) || (activity == 3 && _caps.Misc.ActivityWaitForSipi);
            Expect(supported, "27.3.1.5 activity state: supported value");
            uint ssDpl = new AccessRights((uint)R(VmcsField.GuestSsAccessRights)).Dpl;
            if (activity == 1) Expect(ssDpl == 0, "27.3.1.5 activity state HLT requires SS.DPL 0");
            bool shadow = (s & (Interruptibility.BlockingBySti | Interruptibility.BlockingByMovSs)) != 0;
            if (shadow) Expect(activity == 0, "27.3.1.5 activity state must be active under STI/MOV-SS blocking");
            if (info.Valid) Expect(InjectionAllowed(activity, info), "27.3.1.5 activity state: injected event not allowed");
            Expect(((uint)s >> 5) == 0 && (s & Interruptibility.EnclaveInterruption) == 0, "27.3.1.5 interruptibility: reserved bits");
            Expect((s & (Interruptibility.BlockingBySti | Interruptibility.BlockingByMovSs)) != (Interruptibility.BlockingBySti | Interruptibility.BlockingByMovSs),
                "27.3.1.5 interruptibility: STI and MOV-SS blocking together");
            if ((s & Interruptibility.BlockingBySti) != 0) Expect((_rflags & (ulong)Rflags.IF) != 0, "27.3.1.5 interruptibility: STI blocking with IF = 0");
            if (info.Valid && info.Type == InterruptionType.ExternalInterrupt) Expect(!shadow, "27.3.1.5 interruptibility: blocking while injecting an interrupt");
            if (info.Valid && info.Type == InterruptionType.Nmi)
            {
                Expect((s & Interruptibility.BlockingByMovSs) == 0, "27.3.1.5 interruptibility: MOV-SS blocking while injecting an NMI");
                if ((_pin & PinBasedControls.VirtualNmis) != 0)
                    Expect((s & Interruptibility.BlockingByNmi) == 0, "27.3.1.5 interruptibility: NMI blocking while injecting a virtual NMI");
            }
            Expect((s & Interruptibility.BlockingBySmi) == 0, "27.3.1.5 interruptibility: SMI blocking outside SMM");
            ulong pending = R(VmcsField.GuestPendingDebugExceptions);
            const ulong pendingReserved = 0xFFFF_FFFF_FFFE_0000ul | 0xFF0 | (1ul << 13) | (1ul << 15);
            Expect((pending & pendingReserved) == 0, "27.3.1.5 pending debug exceptions: reserved bits");
            if (shadow || activity == 1)
            {
                bool tf = (_rflags & (ulong)Rflags.TF) != 0;
                bool btf = (_entry & EntryControls.LoadDebugControls) != 0 && (R(VmcsField.GuestIa32Debugctl) & 2) != 0;
                Expect(((pending & (1ul << 14)) != 0) == (tf && !btf), "27.3.1.5 pending debug exceptions: BS bit");
            }
            ulong link = R(VmcsField.VmcsLinkPointer);
            if (link != ulong.MaxValue) Expect((link & 0xFFF) == 0 && !BeyondPhys(link), "27.3.1.5 VMCS link pointer");
        }

        private static bool InjectionAllowed(uint activity, InterruptionInfo info)
        {
            InterruptionType t = info.Type;
            switch (activity)
            {
                case 0: return true;
                case 1:
                    return t == InterruptionType.ExternalInterrupt || t == InterruptionType.Nmi
                        || (t == InterruptionType.HardwareException && (info.Vector == 1 || info.Vector == 18))
                        || (t == InterruptionType.OtherEvent && info.Vector == 0);
                case 2: return t == InterruptionType.Nmi || (t == InterruptionType.HardwareException && info.Vector == 18);
                default: return false;
            }
        }

        private void CheckGuestPdptes()
        {
            bool pae = (_cr0 & (ulong)Cr0.PG) != 0 && (_cr4 & (ulong)Cr4.PAE) != 0 && !Ia32eGuest;
            if (!pae || (_secondary & SecondaryProcBasedControls.EnableEpt) == 0) return;
            for (int i = 0; i < 4; i++)
            {
                ulong e = R((VmcsField)((uint)VmcsField.GuestPdpte0 + 2u * (uint)i));
                if ((e & 1) != 0) Expect((e & 0x1E6) == 0 && !BeyondPhys(e & 0x7FFF_FFFF_FFFF_F000), "27.3.1.6 guest PDPTE" + i + ": reserved bits");
            }
        }
    }
}
