using Hv.Virt.Caps;

namespace Hv.Arch
{
    /// <summary>The real CPU behind the capability decoder's seam (kernel/Virt/Caps).</summary>
    public sealed class HardwareCpuInfo : ICpuInfoSource
    {
        public void Cpuid(uint leaf, uint subleaf, out uint eax, out uint ebx, out uint ecx, out uint edx) =>
            Cpu.Cpuid(leaf, subleaf, out eax, out ebx, out ecx, out edx);

        // The decoder reads only MSRs that CPUID and earlier MSRs say exist, so RDMSR cannot #GP.
        public bool TryReadMsr(uint msr, out ulong value)
        {
            value = Cpu.hv_rdmsr(msr);
            return true;
        }
    }
}
