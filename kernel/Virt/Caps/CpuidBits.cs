using System;

namespace Hv.Virt.Caps
{
    /// <summary>CPUID leaves this folder reads: SDM Vol. 2A "CPUID" (Table 3-8), APM Vol. 3 App. E.</summary>
    public enum CpuidLeaf : uint
    {
        /// <summary>EAX = highest basic leaf; EBX, EDX, ECX = vendor string (in that order).</summary>
        VendorAndMaxBasic = 0x0000_0000,
        /// <summary>EAX = version (family/model/stepping); ECX, EDX = feature flags.</summary>
        VersionAndFeatures = 0x0000_0001,
        /// <summary>EAX = highest extended leaf.</summary>
        MaxExtended = 0x8000_0000,
        /// <summary>ECX, EDX = extended feature flags.</summary>
        ExtendedFeatures = 0x8000_0001,
        /// <summary>0x8000_0002..0x8000_0004: the 48-byte processor brand string.</summary>
        BrandString = 0x8000_0002,
        BrandStringLast = 0x8000_0004,
        /// <summary>AMD SVM revision, ASID count and SVM feature flags (APM Vol. 3 App. E, Fn8000_000A).</summary>
        SvmFeatures = 0x8000_000A,
    }

    /// <summary>CPUID.01H:ECX bits used here (SDM Vol. 2A, Table 3-10 "Feature Information Returned in ECX").</summary>
    [Flags]
    public enum Leaf1Ecx : uint
    {
        Vmx = 1u << 5,
        Smx = 1u << 6,
        X2Apic = 1u << 21,
        /// <summary>Reserved (0) on bare metal; hypervisors set it to announce themselves.</summary>
        Hypervisor = 1u << 31,
    }

    /// <summary>CPUID.01H:EDX bits used here (SDM Vol. 2A, Table 3-11 "Feature Information Returned in EDX").</summary>
    [Flags]
    public enum Leaf1Edx : uint
    {
        Msr = 1u << 5,
        Pae = 1u << 6,
        Apic = 1u << 9,
    }

    /// <summary>CPUID.80000001H:ECX bits used here (APM Vol. 3 App. E, Fn8000_0001_ECX).</summary>
    [Flags]
    public enum ExtLeaf1Ecx : uint
    {
        LahfSahf = 1u << 0,
        Svm = 1u << 2,
    }

    /// <summary>CPUID.80000001H:EDX bits used here (SDM Vol. 2A Table 3-8; APM Vol. 3 Fn8000_0001_EDX).</summary>
    [Flags]
    public enum ExtLeaf1Edx : uint
    {
        /// <summary>Execute-disable (XD/NX) bit in page tables.</summary>
        Nx = 1u << 20,
        /// <summary>1-GByte pages.</summary>
        Page1Gb = 1u << 26,
        Rdtscp = 1u << 27,
        /// <summary>Intel 64 / AMD64 long mode.</summary>
        LongMode = 1u << 29,
    }

    /// <summary>CPU vendors told apart by the CPUID.0 vendor string.</summary>
    public enum CpuVendor
    {
        Unknown,
        /// <summary>"GenuineIntel".</summary>
        Intel,
        /// <summary>"AuthenticAMD".</summary>
        Amd,
        /// <summary>"HygonGenuine": AMD-derived, implements SVM.</summary>
        Hygon,
        /// <summary>"CentaurHauls": VIA/Centaur, implements VMX.</summary>
        Centaur,
        /// <summary>"  Shanghai  ": Zhaoxin, implements VMX.</summary>
        Zhaoxin,
    }
}
