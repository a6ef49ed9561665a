// Topology the guest sees: one package with N cores (N = vCPU count), one thread per core, initial
// APIC ID = x2APIC ID = vCPU index. Every leaf that describes topology says the same thing:
//   leaf 1     EBX[23:16] = N, EBX[31:24] = index, EDX.HTT = (N > 1)
//   leaf 4     EAX[31:26] = N - 1 cores; caches of level 1-2 private to a core, level 3+ shared by all N
//   leaf 0xB   level 0 SMT: 1 thread, shift 0; level 1 core: N processors, shift = ceil(log2 N)
//   0x80000008 ECX (AMD-like hosts): NC = N - 1, ApicIdCoreIdSize = ceil(log2 N)
// (SDM Vol. 2A CPUID leaves 01H, 04H, 0BH; SDM Vol. 3A §9.9.1; APM Vol. 3 E.4.7.)
namespace Hv.Virt
{
    public static partial class CpuidPolicy
    {
        /// <summary>Level types of leaf 0xB ECX[15:8].</summary>
        private const uint LevelInvalid = 0, LevelSmt = 1, LevelCore = 2;

        /// <summary>Bits needed for an ID below <paramref name="count"/>: ceil(log2(count)), 0 for 1.</summary>
        public static int IdBits(int count)
        {
            int bits = 0;
            while ((1 << bits) < count)
                bits++;
            return bits;
        }

        private static CpuidRegs Leaf4(CpuidRegs host, in CpuidContext ctx)
        {
            if ((host.Eax & 0x1F) == 0)
                return default;                         // cache type 0: no more caches (or leaf unused, e.g. AMD)
            uint level = (host.Eax >> 5) & 7;
            uint sharing = level >= 3 ? (uint)ctx.VcpuCount - 1 : 0;
            // EAX[9:0] type, level, self-initializing, fully associative (host); [25:14] threads sharing
            // this cache - 1; [31:26] cores in the package - 1. EBX/ECX/EDX: geometry (host).
            host.Eax = (host.Eax & 0x3FF) | (sharing << 14) | (((uint)ctx.VcpuCount - 1) << 26);
            return host;
        }

        private static CpuidRegs Leaf0B(uint subleaf, in CpuidContext ctx)
        {
            uint x2apicId = (uint)ctx.VcpuIndex;
            uint level = subleaf & 0xFF;
            if (subleaf == 0)
                return new CpuidRegs(0, 1, level | (LevelSmt << 8), x2apicId);
            if (subleaf == 1)
                return new CpuidRegs((uint)IdBits(ctx.VcpuCount), (uint)ctx.VcpuCount, level | (LevelCore << 8), x2apicId);
            return new CpuidRegs(0, 0, level | (LevelInvalid << 8), x2apicId);
        }

        private static CpuidRegs Leaf80000008(CpuidRegs host, in CpuidContext ctx)
        {
            // EAX[7:0] physical, [15:8] linear address bits (host); [23:16] guest-physical size: 0 = same as [7:0].
            uint ecx = 0;
            if (ctx.Profile.AmdLike)
                ecx = ((uint)ctx.VcpuCount - 1) | ((uint)IdBits(ctx.VcpuCount) << 12);
            return new CpuidRegs(host.Eax & 0xFFFF, host.Ebx & (uint)Cpuid88Ebx.Allowed, ecx, 0);
        }
    }
}
