using Hv.Virt.Vmx;

namespace Hv.Arch.Vmx
{
    /// <summary>RDTSC, RDMSR and WRMSR for the vCPU state (only ever on the vCPU's own CPU).</summary>
    public sealed class VmxPlatform : IVmxPlatform
    {
        public ulong ReadTsc() => Cpu.hv_rdtsc();
        public ulong ReadMsr(uint msr) => Cpu.hv_rdmsr(msr);
        public void WriteMsr(uint msr, ulong value) => Cpu.hv_wrmsr(msr, value);

        /// <summary>MAXPHYADDR: CPUID 80000008H EAX[7:0], or 36 where that leaf is missing (SDM Vol. 3A §4.1.4).</summary>
        public static int PhysicalAddressBits()
        {
            Cpu.Cpuid(0x8000_0000, 0, out uint max, out _, out _, out _);
            if (max < 0x8000_0008) return 36;
            Cpu.Cpuid(0x8000_0008, 0, out uint eax, out _, out _, out _);
            int bits = (int)(eax & 0xFF);
            return bits >= 32 && bits <= 52 ? bits : 36;
        }
    }
}
