using System;

namespace Hv.Virt.Caps
{
    /// <summary>
    /// CPUID Fn8000_000A_EDX, "SVM Revision and Feature Identification" (APM Vol. 3 Appendix E);
    /// the APM's bit numbers. Unlisted bits are reserved or not used by this hypervisor.
    /// </summary>
    [Flags]
    public enum SvmFeatureFlags : uint
    {
        /// <summary>NP: nested paging.</summary>
        NestedPaging = 1u << 0,
        /// <summary>LbrVirt: LBR virtualization.</summary>
        LbrVirtualization = 1u << 1,
        /// <summary>SVML: SVM lock (VM_CR.LOCK may be unlocked with the SVM key).</summary>
        SvmLock = 1u << 2,
        /// <summary>NRIPS: the VMCB's next sequential instruction pointer is saved on #VMEXIT.</summary>
        NRipSave = 1u << 3,
        /// <summary>TscRateMsr: MSR-based TSC rate control.</summary>
        TscRateMsr = 1u << 4,
        /// <summary>VmcbClean: VMCB clean bits.</summary>
        VmcbClean = 1u << 5,
        /// <summary>FlushByAsid: TLB_CONTROL values 3 and 7.</summary>
        FlushByAsid = 1u << 6,
        /// <summary>DecodeAssists: instruction decode assists on intercepts.</summary>
        DecodeAssists = 1u << 7,
        /// <summary>PauseFilter: PAUSE intercept filter count.</summary>
        PauseFilter = 1u << 10,
        /// <summary>PauseFilterThreshold: PAUSE filter cycle-count threshold.</summary>
        PauseFilterThreshold = 1u << 12,
        /// <summary>AVIC: advanced virtual interrupt controller.</summary>
        Avic = 1u << 13,
        /// <summary>VMSAVEvirt: virtualized VMSAVE/VMLOAD.</summary>
        VmsaveVirtualization = 1u << 15,
        /// <summary>VGIF: virtualized global interrupt flag.</summary>
        Vgif = 1u << 16,
        /// <summary>GMET: guest mode execute trap.</summary>
        Gmet = 1u << 17,
        /// <summary>x2AVIC: AVIC for x2APIC mode.</summary>
        X2Avic = 1u << 18,
        /// <summary>SSSCheck: supervisor shadow-stack restrictions in nested page tables.</summary>
        SssCheck = 1u << 19,
        /// <summary>SpecCtrl: SPEC_CTRL virtualization.</summary>
        SpecCtrl = 1u << 20,
        /// <summary>VNMI: virtual NMI.</summary>
        VirtualNmi = 1u << 25,
        /// <summary>SVME_ADDR_CHK: SVM instructions check their address operand before intercepts.</summary>
        SvmeAddressCheck = 1u << 28,
    }

    /// <summary>AMD SVM revision, ASIDs, feature flags and firmware state (VM_CR).</summary>
    public sealed class SvmFeatures
    {
        /// <summary>Fn8000_000A_EAX[7:0] SvmRev.</summary>
        public uint Revision { get; private set; }
        /// <summary>Fn8000_000A_EBX NASID: number of address space identifiers.</summary>
        public uint AsidCount { get; private set; }
        public SvmFeatureFlags Flags { get; private set; }
        public bool VmCrReadable { get; private set; }
        public ulong VmCrRaw { get; private set; }

        /// <summary>VM_CR.SVMDIS: firmware turned SVM off (EFER.SVME cannot be set).</summary>
        public bool DisabledByFirmware => ((VmCrBits)VmCrRaw & VmCrBits.SvmDis) != 0;
        /// <summary>VM_CR.LOCK: SVMDIS cannot be changed by software (without the SVM key, if SVML).</summary>
        public bool VmCrLocked => ((VmCrBits)VmCrRaw & VmCrBits.Lock) != 0;

        public bool NestedPaging => Has(SvmFeatureFlags.NestedPaging);
        public bool NRipSave => Has(SvmFeatureFlags.NRipSave);
        public bool DecodeAssists => Has(SvmFeatureFlags.DecodeAssists);
        public bool VmcbClean => Has(SvmFeatureFlags.VmcbClean);
        public bool FlushByAsid => Has(SvmFeatureFlags.FlushByAsid);
        public bool LbrVirtualization => Has(SvmFeatureFlags.LbrVirtualization);
        public bool Avic => Has(SvmFeatureFlags.Avic);
        public bool Vgif => Has(SvmFeatureFlags.Vgif);
        public bool PauseFilter => Has(SvmFeatureFlags.PauseFilter);
        public bool PauseFilterThreshold => Has(SvmFeatureFlags.PauseFilterThreshold);
        public bool TscRateMsr => Has(SvmFeatureFlags.TscRateMsr);
        public bool VmsaveVirtualization => Has(SvmFeatureFlags.VmsaveVirtualization);

        private SvmFeatures() { }

        /// <summary>Reads the SVM features, or returns null when CPUID Fn8000_0001_ECX.SVM is 0.</summary>
        public static SvmFeatures Read(ICpuInfoSource cpu, CpuIdentity id)
        {
            if (!id.HasSvm)
                return null;
            var svm = new SvmFeatures();
            if (id.MaxExtendedLeaf >= (uint)CpuidLeaf.SvmFeatures)
            {
                cpu.Cpuid((uint)CpuidLeaf.SvmFeatures, 0, out uint eax, out uint ebx, out _, out uint edx);
                svm.Revision = eax & 0xFF;
                svm.AsidCount = ebx;
                svm.Flags = (SvmFeatureFlags)edx;
            }
            // VM_CR is part of the SVM architecture (APM Vol. 2 §15.30.1), present when SVM is
            // (and RDMSR is, CPUID Fn0000_0001_EDX.MSR).
            if (id.HasMsr && cpu.TryReadMsr((uint)CapabilityMsr.VmCr, out ulong vmcr))
            {
                svm.VmCrReadable = true;
                svm.VmCrRaw = vmcr;
            }
            return svm;
        }

        private bool Has(SvmFeatureFlags flag) => (Flags & flag) != 0;
    }
}
