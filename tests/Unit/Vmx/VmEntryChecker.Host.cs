using Hv.Virt.Caps;
using Hv.Virt.Vmx;

namespace Hv.Tests.Unit.Vmx
{
    // §27.2.1.3 "VM-Entry Control Fields", §27.2.2 "Checks on Host Control Registers, MSRs, and SSP",
    // §27.2.3 "Checks on Host Segment and Descriptor-Table Registers", §27.2.4 "Checks Related to
    // Address-Space Size".
    internal sealed partial class VmEntryChecker
    {
        private void CheckEntryControls()
        {
            _entry = (EntryControls)R(VmcsField.EntryControls);
            Expect(!Reserved(_caps.Entry, (uint)_entry), "27.2.1.3 VM-entry controls: reserved bits");
            Expect((_entry & (EntryControls.EntryToSmm | EntryControls.DeactivateDualMonitorTreatment)) == 0,
                "27.2.1.3 entry to SMM / deactivate dual-monitor treatment outside SMM");
            CheckMsrList(VmcsField.EntryMsrLoadCount, VmcsField.EntryMsrLoadAddress, "27.2.1.3 VM-entry MSR-load address");
            var info = new InterruptionInfo((uint)R(VmcsField.EntryInterruptionInfo));
            if (info.Valid) CheckEventInjection(info);
        }

        /// <summary>The event-injection checks of §27.2.1.3.</summary>
        private void CheckEventInjection(InterruptionInfo info)
        {
            InterruptionType t = info.Type;
            Expect((uint)t != 1 && (t != InterruptionType.OtherEvent || _caps.MonitorTrapFlag), "27.2.1.3 event injection: interruption type");
            if (t == InterruptionType.Nmi) Expect(info.Vector == 2, "27.2.1.3 event injection: NMI vector must be 2");
            if (t == InterruptionType.HardwareException) Expect(info.Vector <= 31, "27.2.1.3 event injection: hardware exception vector");
            if (t == InterruptionType.OtherEvent) Expect(info.Vector == 0, "27.2.1.3 event injection: other-event vector");
            bool protectedMode = !Ug || (R(VmcsField.GuestCr0) & (ulong)Cr0.PE) != 0;
            bool hwWithCode = t == InterruptionType.HardwareException && ExceptionVector.HasErrorCode(info.Vector);
            if (_caps.Basic.NoHardwareExceptionErrorCodeCheck)
                Expect(!info.HasErrorCode || (protectedMode && t == InterruptionType.HardwareException), "27.2.1.3 event injection: deliver-error-code bit");
            else
                Expect(info.HasErrorCode == (protectedMode && hwWithCode), "27.2.1.3 event injection: deliver-error-code bit");
            Expect(info.EntryReservedBits == 0, "27.2.1.3 event injection: reserved bits 30:12");
            if (info.HasErrorCode) Expect((R(VmcsField.EntryExceptionErrorCode) >> 16) == 0, "27.2.1.3 event injection: error code bits 31:16");
            if (t == InterruptionType.SoftwareInterrupt || t == InterruptionType.PrivilegedSoftwareException || t == InterruptionType.SoftwareException)
            {
                ulong len = R(VmcsField.EntryInstructionLength);
                Expect((len >= 1 && len <= 15) || (len == 0 && _caps.Misc.ZeroLengthInjection), "27.2.1.3 event injection: instruction length");
            }
        }

        private void CheckHostControlRegistersAndMsrs()
        {
            ulong cr0 = R(VmcsField.HostCr0), cr4 = R(VmcsField.HostCr4), cr3 = R(VmcsField.HostCr3);
            Expect(FixedOk(cr0, _caps.Cr0Fixed0, _caps.Cr0Fixed1), "27.2.2 host CR0: fixed bits");
            Expect(FixedOk(cr4, _caps.Cr4Fixed0, _caps.Cr4Fixed1), "27.2.2 host CR4: fixed bits");
            Expect(!BeyondPhys(cr3), "27.2.2 host CR3: bits beyond the physical-address width");
            Expect(Canonical(R(VmcsField.HostIa32SysenterEsp)) && Canonical(R(VmcsField.HostIa32SysenterEip)),
                "27.2.2 host IA32_SYSENTER_ESP/EIP canonical");
            if ((_exit & ExitControls.LoadIa32Pat) != 0) Expect(PatOk(R(VmcsField.HostIa32Pat)), "27.2.2 host IA32_PAT");
            if ((_exit & ExitControls.LoadIa32Efer) != 0)
            {
                ulong efer = R(VmcsField.HostIa32Efer);
                Expect((efer & ~EferValid) == 0, "27.2.2 host IA32_EFER: reserved bits");
                bool lma = (efer & (ulong)Efer.LMA) != 0, lme = (efer & (ulong)Efer.LME) != 0;
                Expect(lma == HostAs64 && lme == HostAs64, "27.2.2 host IA32_EFER: LMA/LME match host address-space size");
            }
        }

        private void CheckHostSegments()
        {
            VmcsField[] selectors =
            {
                VmcsField.HostEsSelector, VmcsField.HostCsSelector, VmcsField.HostSsSelector, VmcsField.HostDsSelector,
                VmcsField.HostFsSelector, VmcsField.HostGsSelector, VmcsField.HostTrSelector,
            };
            foreach (VmcsField f in selectors) Expect((R(f) & 7) == 0, "27.2.3 host selector RPL/TI: " + f);
            Expect(R(VmcsField.HostCsSelector) != 0, "27.2.3 host CS selector not 0000H");
            Expect(R(VmcsField.HostTrSelector) != 0, "27.2.3 host TR selector not 0000H");
            if (!HostAs64) Expect(R(VmcsField.HostSsSelector) != 0, "27.2.3 host SS selector not 0000H");
            Expect(Canonical(R(VmcsField.HostFsBase)) && Canonical(R(VmcsField.HostGsBase)) && Canonical(R(VmcsField.HostGdtrBase))
                && Canonical(R(VmcsField.HostIdtrBase)) && Canonical(R(VmcsField.HostTrBase)), "27.2.3 host base addresses canonical");
        }

        private void CheckAddressSpaceSize()
        {
            if (_hostLongMode) Expect(HostAs64, "27.2.4 host address-space size must be 1 in IA-32e mode");
            else Expect(!HostAs64 && !Ia32eGuest, "27.2.4 outside IA-32e mode: no 64-bit host or guest");
            ulong rip = R(VmcsField.HostRip), cr4 = R(VmcsField.HostCr4);
            if (!HostAs64)
                Expect(!Ia32eGuest && (cr4 & (ulong)Cr4.PCIDE) == 0 && (rip >> 32) == 0, "27.2.4 32-bit host: guest, CR4.PCIDE and RIP");
            else
                Expect((cr4 & (ulong)Cr4.PAE) != 0 && Canonical(rip), "27.2.4 64-bit host: CR4.PAE and canonical RIP");
        }

        private const ulong EferValid = (ulong)(Efer.SCE | Efer.LME | Efer.LMA | Efer.NXE);

        private static bool FixedOk(ulong value, ulong fixed0, ulong fixed1) => (value & fixed0) == fixed0 && (value & ~fixed1) == 0;

        /// <summary>Each byte 0 (UC), 1 (WC), 4 (WT), 5 (WP), 6 (WB) or 7 (UC-): what WRMSR accepts.</summary>
        private static bool PatOk(ulong pat)
        {
            for (int i = 0; i < 8; i++)
            {
                ulong b = (pat >> (8 * i)) & 0xFF;
                if (b == 2 || b == 3 || b > 7) return false;
            }
            return true;
        }
    }
}
