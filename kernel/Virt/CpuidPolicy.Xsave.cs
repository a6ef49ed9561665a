// XSAVE as the guest sees it (SDM Vol. 1 §13.2 "Enumeration of CPU support for XSAVE", Vol. 2A
// CPUID leaf 0DH): only the components in CpuidProfile.GuestXcr0Mask (x87, SSE, AVX, AVX-512 when
// the host has them), no supervisor components (XSAVES hidden). Sizes are computed from the host's
// component layout for the guest's own XCR0, not read from the host CPUID, whose EBX reflects the
// XCR0 loaded on the host at that moment. XsetbvRules are the checks XSETBV makes (SDM Vol. 2C XSETBV).
namespace Hv.Virt
{
    public static partial class CpuidPolicy
    {
        private static CpuidRegs Leaf0D(uint subleaf, CpuidRegs host, in CpuidContext ctx)
        {
            CpuidProfile p = ctx.Profile;
            ulong mask = p.GuestXcr0Mask;
            if (mask == 0)
                return default;
            if (subleaf == 0)
                return new CpuidRegs((uint)mask, p.XsaveSize(ctx.GuestXcr0), p.XsaveSize(mask), (uint)(mask >> 32));
            if (subleaf == 1)
                return new CpuidRegs(host.Eax & (uint)Cpuid0D1Eax.Allowed, p.XsaveCompactedSize(ctx.GuestXcr0), 0, 0);
            if (subleaf >= CpuidProfile.XsaveComponents)
                return default;
            p.XsaveComponent((int)subleaf, out uint size, out uint offset, out bool aligned);
            return new CpuidRegs(size, offset, aligned ? 2u : 0u, 0);
        }
    }

    public static class XsetbvRules
    {
        /// <summary>
        /// True when XSETBV(ECX = <paramref name="index"/>, EDX:EAX = <paramref name="value"/>) is legal for
        /// a guest allowed <paramref name="allowed"/> (else #GP(0)): only XCR0 exists; x87 must stay set;
        /// AVX needs SSE; the three AVX-512 components go together and need AVX; nothing outside the mask.
        /// </summary>
        public static bool IsValid(uint index, ulong value, ulong allowed)
        {
            if (index != 0 || (value & ~allowed) != 0 || (value & (ulong)Xcr0Bits.X87) == 0)
                return false;
            if ((value & (ulong)Xcr0Bits.Avx) != 0 && (value & (ulong)Xcr0Bits.Sse) == 0)
                return false;
            ulong avx512 = value & (ulong)Xcr0Bits.Avx512;
            if (avx512 != 0 && (avx512 != (ulong)Xcr0Bits.Avx512 || (value & (ulong)Xcr0Bits.Avx) == 0))
                return false;
            return true;
        }
    }
}
