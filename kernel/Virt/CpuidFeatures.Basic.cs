// Feature bits of the basic CPUID leaves the guest policy filters (SDM Vol. 2A "CPUID", Tables 3-8,
// 3-10, 3-11). The policy is an allow-list: a bit reaches the guest only if it is named in the
// matching *Allowed mask below AND the host has it. Every other bit, including ones future CPUs
// define, reads 0. Bits listed but not allowed are hidden on purpose; the comment says why.
using System;

namespace Hv.Virt
{
    /// <summary>CPUID.01H:ECX (SDM Vol. 2A Table 3-10).</summary>
    [Flags]
    public enum Cpuid01Ecx : uint
    {
        Sse3 = 1u << 0, Pclmulqdq = 1u << 1,
        /// <summary>Hidden: MONITOR/MWAIT would let a guest idle the physical CPU outside our HLT handling.</summary>
        Monitor = 1u << 3,
        /// <summary>Hidden: no nested virtualization.</summary>
        Vmx = 1u << 5,
        /// <summary>Hidden: no GETSEC in guests.</summary>
        Smx = 1u << 6,
        Ssse3 = 1u << 9, Fma = 1u << 12, Cmpxchg16b = 1u << 13,
        /// <summary>Hidden: perf-capabilities MSR is not in the MSR allow-list.</summary>
        Pdcm = 1u << 15,
        /// <summary>Hidden: the VMX backend does not enable INVPCID in guests, and PCID without it is of little use.</summary>
        Pcid = 1u << 17,
        Sse41 = 1u << 19, Sse42 = 1u << 20,
        /// <summary>Not the host's: offered when the VM has the virtual LAPIC (CpuidContext.VirtualApic), which has the x2APIC MSR interface.</summary>
        X2Apic = 1u << 21,
        Movbe = 1u << 22, Popcnt = 1u << 23,
        /// <summary>Not the host's: offered with the virtual LAPIC, whose timer has the TSC-deadline mode (IA32_TSC_DEADLINE).</summary>
        TscDeadline = 1u << 24,
        Aes = 1u << 25,
        /// <summary>
        /// Hidden (for now): the world switch saves the guest's x87/SSE state with FXSAVE and does not
        /// load the guest's XCR0 into the hardware, so XSAVE in a guest would run under the host's XCR0
        /// and AVX state (YMM upper halves) would leak between guests sharing a CPU. Without XSAVE,
        /// guests use FXSAVE (Linux: "x86/fpu: Legacy x87 FPU detected"-free FXSR path), which is exact.
        /// Turning it on needs XCR0 and XSAVE/XRSTOR in svm.asm / vmx.asm (docs/virt.md, "Guest FPU").
        /// </summary>
        Xsave = 1u << 26,
        /// <summary>Not the host's: reflects the guest's own CR4.OSXSAVE.</summary>
        OsXsave = 1u << 27,
        /// <summary>Hidden with XSAVE (AVX needs XCR0.AVX); FMA and F16C are VEX-encoded AVX instructions.</summary>
        Avx = 1u << 28, F16c = 1u << 29, Rdrand = 1u << 30,
        /// <summary>Always set for guests: "a hypervisor is present" (reserved 0 on bare metal).</summary>
        Hypervisor = 1u << 31,

        Allowed = Sse3 | Pclmulqdq | Ssse3 | Cmpxchg16b | Sse41 | Sse42 | Movbe | Popcnt | Aes | Rdrand,
    }

    /// <summary>CPUID.01H:EDX (SDM Vol. 2A Table 3-11).</summary>
    [Flags]
    public enum Cpuid01Edx : uint
    {
        Fpu = 1u << 0, Vme = 1u << 1, De = 1u << 2, Pse = 1u << 3, Tsc = 1u << 4, Msr = 1u << 5, Pae = 1u << 6,
        /// <summary>Hidden with MCA: no machine-check MSRs (MCG_CAP, banks) are emulated.</summary>
        Mce = 1u << 7,
        Cx8 = 1u << 8,
        /// <summary>Kept: every x86-64 OS expects an xAPIC; IA32_APIC_BASE is emulated, the LAPIC model comes with issue 5.</summary>
        Apic = 1u << 9,
        Sep = 1u << 11,
        /// <summary>Kept: the MTRR MSRs are stored per vCPU (not applied: EPT/NPT decide the memory type).</summary>
        Mtrr = 1u << 12,
        Pge = 1u << 13,
        Mca = 1u << 14,
        Cmov = 1u << 15, Pat = 1u << 16, Pse36 = 1u << 17, Clfsh = 1u << 19,
        /// <summary>Hidden: debug store, thermal monitor and ACPI thermal MSRs are not emulated.</summary>
        Ds = 1u << 21, Acpi = 1u << 22,
        Mmx = 1u << 23, Fxsr = 1u << 24, Sse = 1u << 25, Sse2 = 1u << 26, SelfSnoop = 1u << 27,
        /// <summary>Not the host's: set when the VM has more than one vCPU (EBX[23:16] is then meaningful).</summary>
        Htt = 1u << 28,
        Tm = 1u << 29, Pbe = 1u << 31,

        Allowed = Fpu | Vme | De | Pse | Tsc | Msr | Pae | Cx8 | Apic | Sep | Mtrr | Pge | Cmov | Pat | Pse36 | Clfsh
                | Mmx | Fxsr | Sse | Sse2 | SelfSnoop,
    }

    /// <summary>CPUID.(EAX=07H,ECX=0):EBX (SDM Vol. 2A Table 3-8).</summary>
    [Flags]
    public enum Cpuid07Ebx : uint
    {
        FsGsBase = 1u << 0,
        /// <summary>Hidden: IA32_TSC_ADJUST is not in the MSR allow-list.</summary>
        TscAdjust = 1u << 1,
        Sgx = 1u << 2,
        Bmi1 = 1u << 3,
        /// <summary>Hidden with RTM: TSX is deprecated and a side-channel risk (TAA).</summary>
        Hle = 1u << 4,
        Avx2 = 1u << 5, FdpExceptionOnly = 1u << 6, Smep = 1u << 7, Bmi2 = 1u << 8, Erms = 1u << 9,
        /// <summary>Hidden: see Cpuid01Ecx.Pcid.</summary>
        Invpcid = 1u << 10,
        Rtm = 1u << 11,
        FpuCsDsDeprecated = 1u << 13,
        /// <summary>Hidden: MPX is gone from current CPUs and its XSAVE components are not allowed.</summary>
        Mpx = 1u << 14,
        Avx512F = 1u << 16, Avx512Dq = 1u << 17, Rdseed = 1u << 18, Adx = 1u << 19, Smap = 1u << 20,
        Avx512Ifma = 1u << 21, ClflushOpt = 1u << 23, Clwb = 1u << 24,
        /// <summary>Hidden: processor trace (leaf 0x14, its MSRs) is not virtualized.</summary>
        ProcessorTrace = 1u << 25,
        Avx512Pf = 1u << 26, Avx512Er = 1u << 27, Avx512Cd = 1u << 28, Sha = 1u << 29, Avx512Bw = 1u << 30, Avx512Vl = 1u << 31,

        // AVX2 and AVX-512 are hidden with XSAVE (CPUID.01H:ECX.XSAVE above); BMI1/2 are not VEX-state users.
        Allowed = FsGsBase | Bmi1 | FdpExceptionOnly | Smep | Bmi2 | Erms | FpuCsDsDeprecated
                | Rdseed | Adx | Smap | ClflushOpt | Clwb | Sha,
    }

    /// <summary>CPUID.(EAX=07H,ECX=0):ECX (SDM Vol. 2A Table 3-8).</summary>
    [Flags]
    public enum Cpuid07Ecx : uint
    {
        PrefetchWt1 = 1u << 0, Avx512Vbmi = 1u << 1, Umip = 1u << 2,
        /// <summary>Hidden: PKRU is not an allowed XSAVE component.</summary>
        Pku = 1u << 3, OsPke = 1u << 4,
        /// <summary>Hidden: UMWAIT/TPAUSE idle the physical CPU and need IA32_UMWAIT_CONTROL.</summary>
        WaitPkg = 1u << 5,
        Avx512Vbmi2 = 1u << 6,
        /// <summary>Hidden: CET needs IA32_XSS state and MSRs we do not emulate.</summary>
        CetShadowStack = 1u << 7,
        Gfni = 1u << 8, Vaes = 1u << 9, Vpclmulqdq = 1u << 10, Avx512Vnni = 1u << 11, Avx512Bitalg = 1u << 12,
        Avx512Vpopcntdq = 1u << 14,
        /// <summary>Hidden: guests get 4-level paging only (the page walker and EPT assume it).</summary>
        La57 = 1u << 16,
        Rdpid = 1u << 22, ClDemote = 1u << 25, Movdiri = 1u << 27, Movdir64b = 1u << 28,

        // The AVX-512 and VEX/EVEX forms (VAES, VPCLMULQDQ) are hidden with XSAVE; GFNI's legacy SSE form stays.
        Allowed = PrefetchWt1 | Umip | Gfni | Rdpid | ClDemote | Movdiri | Movdir64b,
    }

    /// <summary>CPUID.(EAX=07H,ECX=0):EDX (SDM Vol. 2A Table 3-8).</summary>
    [Flags]
    public enum Cpuid07Edx : uint
    {
        Avx5124Vnniw = 1u << 2, Avx5124Fmaps = 1u << 3, Fsrm = 1u << 4, Avx512Vp2Intersect = 1u << 8,
        /// <summary>Kept: tells the guest VERW clears CPU buffers (MDS mitigation works as on the host).</summary>
        MdClear = 1u << 10,
        Serialize = 1u << 14,
        /// <summary>Hidden: hybrid (P/E-core) topology would contradict the VM's uniform vCPUs.</summary>
        Hybrid = 1u << 15,
        /// <summary>Hidden: AMX needs XFD and tile XSAVE components we do not allow.</summary>
        AmxTile = 1u << 24,
        Avx512Fp16 = 1u << 23,
        /// <summary>
        /// Hidden (26-31): IA32_SPEC_CTRL / PRED_CMD / FLUSH_CMD / ARCH_CAPABILITIES are not passed
        /// through yet; a stored-but-unapplied SPEC_CTRL would give the guest false protection.
        /// </summary>
        IbrsIbpb = 1u << 26, Stibp = 1u << 27, L1dFlush = 1u << 28, ArchCapabilities = 1u << 29, Ssbd = 1u << 31,

        Allowed = Fsrm | MdClear | Serialize,            // AVX-512 forms hidden with XSAVE
    }
}
