using Hv.Virt.Caps;

namespace Hv.Tests.Unit.Caps
{
    /// <summary>AMD CPUs as CPUID/MSR tables. Each value says where it comes from.</summary>
    internal static class AmdProfiles
    {
        /// <summary>
        /// QEMU 7.2 TCG, -cpu EPYC (the CI's SVM machine). From QEMU's target/i386/cpu.c: leaf
        /// 0x8000000A answers EAX=1 (revision), EBX=0x10 (ASIDs) and EDX = the model's SVM features
        /// (EPYC: NPT | NRIPSAVE) masked by TCG_SVM_FEATURES (NPT | VGIF | SVME_ADDR_CHK), so NPT
        /// only; family 0x17 model 1 stepping 2, max leaves 0xD / 0x8000001E, brand "AMD EPYC
        /// Processor"; TCG sets the hypervisor bit and (in 7.2) lacks x2APIC. The remaining feature
        /// words are assumed; VM_CR reads as 0 (TCG returns 0 for this MSR).
        /// </summary>
        public static FakeCpu QemuTcgEpyc()
        {
            return new FakeCpu()
                .Vendor("AuthenticAMD", 0xD)
                .Leaf(1, 0x0080_0F12, 0x0000_0800, 0xF6D8_320B, 0x078B_FBFF)
                .MaxExtended(0x8000_001E)
                .Leaf(0x8000_0001, 0x0080_0F12, 0, 0x0000_0175, 0x2FD3_FBFF)
                .Leaf(0x8000_000A, 0x1, 0x10, 0, 0x0000_0001)
                .Brand("AMD EPYC Processor")
                .Msr(CapabilityMsr.VmCr, 0x0);
        }

        /// <summary>
        /// An EPYC 7763 (Milan)-like server: family 0x19 model 1 stepping 1, 32768 ASIDs and the
        /// common SVM features (EDX = 0x0001B4FF: bits 0-7, 10, 12, 13, 15, 16). Representative
        /// values; the brand keeps the trailing-space padding real AMD parts return.
        /// </summary>
        public static FakeCpu MilanLike(ulong vmCr)
        {
            return new FakeCpu()
                .Vendor("AuthenticAMD", 0x10)
                .Leaf(1, 0x00A0_0F11, 0x0040_0800, 0x7EF8_320B, 0x178B_FBFF)
                .MaxExtended(0x8000_0023)
                .Leaf(0x8000_0001, 0x00A0_0F11, 0, 0x75C2_37FF, 0x2FD3_FBFF)
                .Leaf(0x8000_000A, 0x1, 0x8000, 0, 0x0001_B4FF)
                .Brand("AMD EPYC 7763 64-Core Processor                ")
                .Msr(CapabilityMsr.VmCr, vmCr);
        }

        /// <summary>An Athlon 64 (Venice)-like CPU from before SVM. Representative values.</summary>
        public static FakeCpu Athlon64Like()
        {
            return new FakeCpu()
                .Vendor("AuthenticAMD", 0x1)
                .Leaf(1, 0x0002_0FF0, 0x0000_0800, 0x0000_0001, 0x078B_FBFF)
                .MaxExtended(0x8000_0018)
                .Leaf(0x8000_0001, 0x0002_0FF0, 0, 0x0000_0001, 0xE3D3_FBFF)
                .Brand("AMD Athlon(tm) 64 Processor 3000+");
        }
    }
}
