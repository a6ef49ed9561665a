// AMD family-specific MSRs that Linux touches without rdmsr_safe/wrmsr_safe on AMD CPUs, so a #GP there
// is an "unchecked MSR access error" in the guest's log (AMD BKDG/PPR for family 17h, "MSRs - MSRC001_xxxx"):
//   SYSCFG  (C001_0010)  read by the MTRR code (get_fixed_ranges: MtrrFixDramModEn). Reads 0: no
//                        fixed-range RdMem/WrMem extensions, no TOM2, no memory encryption. Writes of 0 only.
//   HWCR    (C001_0015)  read by the AMD init code. Reads 0; writes are ignored (no hardware knobs).
//   NB_CFG  (C001_001F)  Linux sets EnableCf8ExtCfg (bit 46) to reach extended config space through 0xCF8;
//                        our PCI host bridge offers ECAM for that, so the bit is dropped and reads are 0.
// Only for guests that see an AMD-like CPU (CpuidProfile.AmdLike); on Intel-like guests they #GP.
namespace Hv.Virt
{
    public static partial class MsrPolicy
    {
        public const uint AmdSyscfg = 0xC001_0010, AmdHwcr = 0xC001_0015, AmdNbCfg = 0xC001_001F;

        private static bool ReadAmd(uint msr, out ulong value)
        {
            value = 0;
            return msr == AmdSyscfg || msr == AmdHwcr || msr == AmdNbCfg;
        }

        private static bool WriteAmd(uint msr, ulong value, out MsrResult result)
        {
            result = MsrResult.Handled;
            switch (msr)
            {
                case AmdSyscfg:
                    if (value != 0) result = MsrResult.InjectGp;
                    return true;
                case AmdHwcr:
                case AmdNbCfg:
                    return true;
                default:
                    return false;
            }
        }
    }
}
