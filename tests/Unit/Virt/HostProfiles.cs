using Hv.Virt;

namespace Hv.Tests.Unit.Virt
{
    /// <summary>
    /// Host CPUID tables for the policy tests. Representative values (not dumps of one machine),
    /// shaped like a Skylake-SP server and a Zen 3 EPYC; each feature word carries bits the policy
    /// must hide next to bits it must keep.
    /// </summary>
    internal static class HostProfiles
    {
        public const uint IntelLeaf1Ecx = 0xFFFA_3203 | (1u << 5) | (1u << 3) | (1u << 17) | (1u << 21) | (1u << 24) | (1u << 27);
        public const uint IntelLeaf1Edx = 0xBFEB_FBFF;
        public const uint IntelLeaf7Ebx = 0xD39F_FFFB;           // incl. TSC_ADJUST, SGX, HLE, INVPCID, RTM, MPX, PT
        public const uint IntelLeaf7Ecx = 0x0001_0000 | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 22) | (1u << 2);
        public const uint IntelLeaf7Edx = 0xBC00_0400 | (1u << 4);

        /// <summary>GenuineIntel, max basic 0x1F, max extended 0x80000008, AVX-512 and PKRU XSAVE components, 46-bit physical.</summary>
        public static FakeHostCpuid Intel()
        {
            return new FakeHostCpuid()
                .Leaf(0x0, 0x1F, 0x756E_6547, 0x6C65_746E, 0x4965_6E69)        // "GenuineIntel"
                .Leaf(0x1, 0x0005_0654, 0x1F40_0800, IntelLeaf1Ecx, IntelLeaf1Edx)
                .Leaf(0x2, 0x0076_0036, 0, 0, 0x00C3_0000)
                .Sub(0x4, 0, 0x7C00_4121, 0x01C0_003F, 0x3F, 0)              // L1d: 32 KiB, shared by 2
                .Sub(0x4, 1, 0x7C00_4122, 0x01C0_003F, 0x3F, 0)
                .Sub(0x4, 2, 0x7C00_4143, 0x03C0_003F, 0x3FF, 0)
                .Sub(0x4, 3, 0x7C0F_C163, 0x0280_003F, 0xB7FF, 4)             // L3: shared by 64
                .Sub(0x4, 4, 0, 0, 0, 0)
                .Leaf(0x5, 0x40, 0x40, 3, 0x2020)
                .Leaf(0x6, 0x77, 2, 9, 0)
                .Sub(0x7, 0, 0, IntelLeaf7Ebx, IntelLeaf7Ecx, IntelLeaf7Edx)
                .Leaf(0xA, 0x0704_3004, 0, 0, 0x603)
                .Sub(0xB, 0, 1, 2, 0x100, 0x3F)
                .Sub(0xB, 1, 6, 40, 0x201, 0x3F)
                .Sub(0xD, 0, 0x2E7, 0xA88, 0xA88, 0)                         // x87 SSE AVX MPX(2) AVX-512(3) PKRU
                .Sub(0xD, 1, 0xF, 0x988, 0x100, 0)
                .Sub(0xD, 2, 256, 576, 0, 0)
                .Sub(0xD, 3, 64, 960, 0, 0)
                .Sub(0xD, 4, 64, 1024, 0, 0)
                .Sub(0xD, 5, 64, 1088, 0, 0)
                .Sub(0xD, 6, 512, 1152, 0, 0)
                .Sub(0xD, 7, 1024, 1664, 0, 0)
                .Sub(0xD, 9, 8, 2688, 0, 0)
                .Leaf(0x15, 2, 0xB6, 0, 0)
                .Leaf(0x16, 0x0BB8, 0x0FA0, 0x64, 0)
                .Leaf(0x1F, 1, 2, 0x100, 0x3F)
                .Leaf(0x8000_0000, 0x8000_0008, 0, 0, 0)
                .Leaf(0x8000_0001, 0, 0, 0x0000_0121, 0x2C10_0800)
                .Leaf(0x8000_0002, 0x6574_6E49, 0x2952_286C, 0x6F65_5820, 0x2952_286E)
                .Leaf(0x8000_0006, 0, 0, 0x0100_6040, 0)
                .Leaf(0x8000_0007, 0, 0, 0, 0x100)
                .Leaf(0x8000_0008, 0x0000_302E, 0x0000_0200, 0, 0);
        }

        /// <summary>AuthenticAMD, max basic 0x10, max extended 0x80000021, SVM, 48-bit physical.</summary>
        public static FakeHostCpuid Amd()
        {
            return new FakeHostCpuid()
                .Leaf(0x0, 0x10, 0x6874_7541, 0x444D_4163, 0x6974_6E65)        // "AuthenticAMD"
                .Leaf(0x1, 0x00A0_0F11, 0x0010_0800, 0x7ED8_320B, 0x178B_FBFF)
                .Sub(0x7, 0, 0, 0x219C_97A9, 0x0040_069C, 0x10)
                .Sub(0xD, 0, 0x207, 0x340, 0x988, 0)
                .Sub(0xD, 2, 256, 576, 0, 0)
                .Sub(0xD, 9, 8, 2432, 0, 0)
                .Leaf(0x8000_0000, 0x8000_0021, 0x6874_7541, 0x444D_4163, 0x6974_6E65)
                .Leaf(0x8000_0001, 0x00A0_0F11, 0x2000_0000, 0x75C2_37FF, 0x2FD3_FBFF)
                .Leaf(0x8000_0007, 0, 0x3B, 0, 0x6799)
                .Leaf(0x8000_0008, 0x0000_3030, 0x791E_F257, 0x0000_703F, 0x10007)
                .Leaf(0x8000_000A, 1, 0x8000, 0, 0x1EBF_BCFF);
        }
    }
}
