// Feature bits of the extended CPUID leaves and of XSAVE that the guest policy filters (AMD APM
// Vol. 3 App. E; SDM Vol. 2A Table 3-8 and Vol. 1 §13). Allow-lists, as in CpuidFeatures.Basic.cs.
using System;

namespace Hv.Virt
{
    /// <summary>CPUID.80000001H:ECX (APM Vol. 3 E.4.2, SDM Vol. 2A Table 3-8).</summary>
    [Flags]
    public enum Cpuid81Ecx : uint
    {
        LahfSahf = 1u << 0,
        /// <summary>Not the host's: set on AMD-like hosts when the VM has more than one vCPU (as on a multi-core part).</summary>
        CmpLegacy = 1u << 1,
        /// <summary>Hidden: no nested virtualization (and EFER.SVME is refused).</summary>
        Svm = 1u << 2,
        /// <summary>Hidden: APIC extensions and LOCK MOV CR0 as CR8 need the virtual LAPIC.</summary>
        ExtApicSpace = 1u << 3, AltMovCr8 = 1u << 4,
        Abm = 1u << 5, Sse4a = 1u << 6, MisalignedSse = 1u << 7, Prefetch3dNow = 1u << 8,
        /// <summary>Hidden: OS-visible workaround MSRs, IBS, SKINIT, watchdog, LWP: MSRs or features we do not emulate.</summary>
        Osvw = 1u << 9, Ibs = 1u << 10,
        Xop = 1u << 11,
        Skinit = 1u << 12, Wdt = 1u << 13, Lwp = 1u << 15,
        Fma4 = 1u << 16, Tbm = 1u << 21,
        /// <summary>Hidden: leaves 0x8000001D/1E are beyond the guest's maximum extended leaf.</summary>
        TopologyExtensions = 1u << 22,
        /// <summary>Hidden: performance-counter extensions (no PMU virtualization).</summary>
        PerfCtrCore = 1u << 23,
        /// <summary>Hidden: MONITORX/MWAITX, like MONITOR.</summary>
        MonitorX = 1u << 29,

        Allowed = LahfSahf | Abm | Sse4a | MisalignedSse | Prefetch3dNow | Xop | Fma4 | Tbm,
    }

    /// <summary>CPUID.80000001H:EDX (APM Vol. 3 E.4.2; Intel defines SYSCALL, NX, 1G pages, RDTSCP, LM only).</summary>
    [Flags]
    public enum Cpuid81Edx : uint
    {
        Fpu = 1u << 0, Vme = 1u << 1, De = 1u << 2, Pse = 1u << 3, Tsc = 1u << 4, Msr = 1u << 5, Pae = 1u << 6,
        /// <summary>Hidden, as in leaf 1.</summary>
        Mce = 1u << 7,
        Cx8 = 1u << 8, Apic = 1u << 9, Syscall = 1u << 11, Mtrr = 1u << 12, Pge = 1u << 13,
        Mca = 1u << 14,
        Cmov = 1u << 15, Pat = 1u << 16, Pse36 = 1u << 17, Nx = 1u << 20, MmxExt = 1u << 22, Mmx = 1u << 23, Fxsr = 1u << 24,
        /// <summary>Hidden: EFER.FFXSR is refused by the MSR policy (rarely used AMD optimisation).</summary>
        Ffxsr = 1u << 25,
        Page1Gb = 1u << 26, Rdtscp = 1u << 27, LongMode = 1u << 29, Amd3dNowExt = 1u << 30, Amd3dNow = 1u << 31,

        Allowed = Fpu | Vme | De | Pse | Tsc | Msr | Pae | Cx8 | Apic | Syscall | Mtrr | Pge | Cmov | Pat | Pse36 | Nx
                | MmxExt | Mmx | Fxsr | Page1Gb | Rdtscp | LongMode | Amd3dNowExt | Amd3dNow,
    }

    /// <summary>CPUID.80000007H:EDX (APM Vol. 3 E.4.6, SDM Vol. 2A Table 3-8).</summary>
    [Flags]
    public enum Cpuid87Edx : uint
    {
        /// <summary>The only bit passed: guests may use the TSC as a clock (vCPUs keep the host's synchronised TSC).</summary>
        InvariantTsc = 1u << 8,

        Allowed = InvariantTsc,
    }

    /// <summary>CPUID.80000008H:EBX (APM Vol. 3 E.4.7).</summary>
    [Flags]
    public enum Cpuid88Ebx : uint
    {
        Clzero = 1u << 0,
        /// <summary>Hidden: IA32_IRPERF (MSR) is not emulated.</summary>
        InstRetCounter = 1u << 1,
        XsaveErrorPointers = 1u << 2,
        Wbnoinvd = 1u << 9,
        /// <summary>Hidden (12-25): speculation-control MSRs, as for leaf 7 EDX.</summary>
        Ibpb = 1u << 12, Ibrs = 1u << 14, Stibp = 1u << 15, Ssbd = 1u << 24,

        Allowed = Clzero | XsaveErrorPointers | Wbnoinvd,
    }

    /// <summary>CPUID.(EAX=0DH,ECX=1):EAX (SDM Vol. 2A Table 3-8).</summary>
    [Flags]
    public enum Cpuid0D1Eax : uint
    {
        XsaveOpt = 1u << 0, XsaveC = 1u << 1, XgetbvEcx1 = 1u << 2,
        /// <summary>Hidden: XSAVES/XRSTORS need IA32_XSS, which is not emulated.</summary>
        XsaveS = 1u << 3,
        /// <summary>Hidden: extended feature disable (for AMX).</summary>
        Xfd = 1u << 4,

        Allowed = XsaveOpt | XsaveC | XgetbvEcx1,
    }

    /// <summary>XCR0 state components (SDM Vol. 1 §13.1, Figure 13-1).</summary>
    [Flags]
    public enum Xcr0Bits : ulong
    {
        X87 = 1UL << 0, Sse = 1UL << 1, Avx = 1UL << 2,
        /// <summary>Hidden: MPX bound registers.</summary>
        BndRegs = 1UL << 3, BndCsr = 1UL << 4,
        Opmask = 1UL << 5, ZmmHi256 = 1UL << 6, Hi16Zmm = 1UL << 7,
        /// <summary>Hidden: protection keys (leaf 7 PKU is hidden).</summary>
        Pkru = 1UL << 9,
        /// <summary>Hidden: AMX tiles.</summary>
        TileCfg = 1UL << 17, TileData = 1UL << 18,

        Avx512 = Opmask | ZmmHi256 | Hi16Zmm,
        Allowed = X87 | Sse | Avx | Avx512,
    }
}
