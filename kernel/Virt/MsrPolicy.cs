// The guest MSR policy: an explicit allow-list (issue 4 item 1). Each MSR below says where its value
// lives and which writes are legal; every other MSR, and every illegal write, gets #GP(0) as on a CPU
// without that MSR. Where the state lives:
//   backend (IVcpuState)  EFER, TSC, PAT, SYSENTER_CS/ESP/EIP, STAR/LSTAR/CSTAR/SFMASK, FS/GS/KERNEL_GS base, TSC_AUX
//   per vCPU (MsrStore)   APIC_BASE, MISC_ENABLE, DEBUGCTL, the MTRRs (stored, not applied: EPT/NPT pick memory types)
//   constant              PLATFORM_ID 0, FEATURE_CONTROL locked with VMX off, BIOS_SIGN_ID 0 (writes ignored), MTRRCAP
// Hidden with their CPUID bits (so #GP is what the guest expects): SPEC_CTRL, PRED_CMD, TSC_ADJUST,
// TSC_DEADLINE, MCG_*, XSS, perf counters. Checks: SDM Vol. 2B WRMSR, Vol. 4 Table 2-2.
namespace Hv.Virt
{
    public static partial class MsrPolicy
    {
        /// <summary>IA32_MTRRCAP: VCNT = 8, FIX (bit 8) and WC (bit 10) supported, no SMRR (SDM Vol. 3A §12.11.1).</summary>
        public const ulong MtrrCapValue = MsrStore.VariableMtrrs | (1UL << 8) | (1UL << 10);
        /// <summary>IA32_FEATURE_CONTROL: lock (bit 0) set, VMX inside/outside SMX (bits 1, 2) off.</summary>
        public const ulong FeatureControlValue = 1;
        private const ulong MiscEnableWritable = 1UL << 0;   // fast strings

        public static MsrResult Read(Vcpu vcpu, uint msr, out ulong value)
        {
            IVcpuState s = vcpu.State;
            value = 0;
            // With the PC platform the virtual LAPIC owns IA32_APIC_BASE, TSC_DEADLINE and the x2APIC range.
            IVcpuInterruptController apic = vcpu.Apic;
            if (apic != null && apic.OwnsMsr(msr))
                return apic.ReadMsr(msr, out value) ? MsrResult.Handled : MsrResult.InjectGp;
            switch ((Msr)msr)
            {
                case Msr.Tsc: value = s.Get(GuestRegister.Tsc); break;
                case Msr.PlatformId: break;
                case Msr.ApicBase: value = vcpu.Msrs.ApicBase; break;
                case Msr.FeatureControl: value = FeatureControlValue; break;
                case Msr.BiosSignId: break;
                case Msr.MtrrCap: value = MtrrCapValue; break;
                case Msr.SysenterCs: value = s.Get(GuestRegister.SysenterCs); break;
                case Msr.SysenterEsp: value = s.Get(GuestRegister.SysenterEsp); break;
                case Msr.SysenterEip: value = s.Get(GuestRegister.SysenterEip); break;
                case Msr.MiscEnable: value = vcpu.Msrs.MiscEnable; break;
                case Msr.DebugCtl: value = vcpu.Msrs.DebugCtl; break;
                case Msr.Pat: value = s.Get(GuestRegister.Pat); break;
                case Msr.Efer: value = s.Get(GuestRegister.Efer); break;
                case Msr.Star: value = s.Get(GuestRegister.Star); break;
                case Msr.Lstar: value = s.Get(GuestRegister.Lstar); break;
                case Msr.Cstar: value = s.Get(GuestRegister.Cstar); break;
                case Msr.Sfmask: value = s.Get(GuestRegister.Sfmask); break;
                case Msr.FsBase: value = s.Get(GuestRegister.FsBase); break;
                case Msr.GsBase: value = s.Get(GuestRegister.GsBase); break;
                case Msr.KernelGsBase: value = s.Get(GuestRegister.KernelGsBase); break;
                case Msr.TscAux: value = s.Get(GuestRegister.TscAux); break;
                default:
                    if (vcpu.Vm.Cpuid.AmdLike && ReadAmd(msr, out value)) return MsrResult.Handled;
                    return ReadMtrr(ref vcpu.Msrs, msr, out value);
            }
            return MsrResult.Handled;
        }

        public static MsrResult Write(Vcpu vcpu, uint msr, ulong value)
        {
            IVcpuState s = vcpu.State;
            IVcpuInterruptController apic = vcpu.Apic;
            if (apic != null && apic.OwnsMsr(msr))
                return apic.WriteMsr(msr, value) ? MsrResult.Handled : MsrResult.InjectGp;
            switch ((Msr)msr)
            {
                case Msr.Tsc: s.Set(GuestRegister.Tsc, value); break;
                case Msr.BiosSignId: break;                              // Linux writes 0 before reading the revision
                case Msr.ApicBase: return WriteApicBase(vcpu, value);
                case Msr.SysenterCs: s.Set(GuestRegister.SysenterCs, value); break;
                case Msr.SysenterEsp: return SetCanonical(s, GuestRegister.SysenterEsp, value);
                case Msr.SysenterEip: return SetCanonical(s, GuestRegister.SysenterEip, value);
                case Msr.MiscEnable:
                    vcpu.Msrs.MiscEnable = (vcpu.Msrs.MiscEnable & ~MiscEnableWritable) | (value & MiscEnableWritable);
                    break;
                case Msr.DebugCtl:
                    if (value != 0)                                       // LBR/BTF are not virtualized
                        return MsrResult.InjectGp;
                    break;
                case Msr.Pat:
                    if (!IsValidPat(value))
                        return MsrResult.InjectGp;
                    s.Set(GuestRegister.Pat, value);
                    break;
                case Msr.Efer: return WriteEfer(vcpu, value);
                case Msr.Star: s.Set(GuestRegister.Star, value); break;
                case Msr.Lstar: return SetCanonical(s, GuestRegister.Lstar, value);
                case Msr.Cstar: return SetCanonical(s, GuestRegister.Cstar, value);
                case Msr.Sfmask: s.Set(GuestRegister.Sfmask, value & 0xFFFF_FFFF); break;   // upper half reads as zero (APM)
                case Msr.FsBase: return SetCanonical(s, GuestRegister.FsBase, value);
                case Msr.GsBase: return SetCanonical(s, GuestRegister.GsBase, value);
                case Msr.KernelGsBase: return SetCanonical(s, GuestRegister.KernelGsBase, value);
                case Msr.TscAux:
                    if ((value >> 32) != 0)
                        return MsrResult.InjectGp;
                    s.Set(GuestRegister.TscAux, value);
                    break;
                default:
                    if (vcpu.Vm.Cpuid.AmdLike && WriteAmd(msr, value, out MsrResult amd)) return amd;
                    return WriteMtrr(ref vcpu.Msrs, msr, value, vcpu.Vm.Cpuid.PhysicalAddressBits);
            }
            return MsrResult.Handled;
        }

        /// <summary>48-bit canonical form: bits 63:47 all equal (SDM Vol. 1 §3.3.7.1; LA57 is hidden from guests).</summary>
        public static bool IsCanonical(ulong address) => (ulong)((long)(address << 16) >> 16) == address;

        private static MsrResult SetCanonical(IVcpuState s, GuestRegister r, ulong value)
        {
            if (!IsCanonical(value))
                return MsrResult.InjectGp;
            s.Set(r, value);
            return MsrResult.Handled;
        }

        private static MsrResult WriteEfer(Vcpu vcpu, ulong value)
        {
            IVcpuState s = vcpu.State;
            ulong allowed = (ulong)(EferBits.SyscallEnable | EferBits.LongModeEnable | EferBits.LongModeActive);
            if (vcpu.Vm.Cpuid.HostHasNx)
                allowed |= (ulong)EferBits.NoExecuteEnable;
            if ((value & ~allowed) != 0)
                return MsrResult.InjectGp;                                // SVME, LMSLE, FFXSR, TCE, reserved
            ulong current = s.Get(GuestRegister.Efer);
            bool paging = (s.Get(GuestRegister.Cr0) & (ulong)Cr0Bits.Paging) != 0;
            if (paging && ((value ^ current) & (ulong)EferBits.LongModeEnable) != 0)
                return MsrResult.InjectGp;                                // LME changes only with paging off
            ulong lma = (ulong)EferBits.LongModeActive;                   // LMA is the processor's: writes ignored
            s.Set(GuestRegister.Efer, (value & ~lma) | (current & lma));
            return MsrResult.Handled;
        }

        private static MsrResult WriteApicBase(Vcpu vcpu, ulong value)
        {
            // Bits 7:0, 9 and above MAXPHYADDR are reserved (SDM Vol. 3A §11.4.4, Figure 11-5). EXTD
            // (x2APIC) cannot be set as CPUID offers no x2APIC (§11.12.1). Moving the APIC away from
            // 0xFEE00000 is refused: the coming LAPIC model serves the default base only.
            ulong reserved = 0x2FFUL | ~((1UL << vcpu.Vm.Cpuid.PhysicalAddressBits) - 1);
            if ((value & reserved) != 0 || (value & MsrStore.ApicX2Mode) != 0)
                return MsrResult.InjectGp;
            if ((value & ~0xFFFUL) != MsrStore.DefaultApicBase)
                return MsrResult.InjectGp;
            vcpu.Msrs.ApicBase = MsrStore.DefaultApicBase | (value & MsrStore.ApicGlobalEnable) | (vcpu.Msrs.ApicBase & MsrStore.ApicBsp);
            return MsrResult.Handled;
        }
    }
}
