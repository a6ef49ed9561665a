namespace Hv.Virt.Vmx
{
    /// <summary>
    /// The few host instructions the vCPU state needs outside the VMCS: the TSC (guest TSC = host
    /// TSC + TSC offset) and the MSRs the VMCS does not switch (loaded lazily, VmxVcpuState.Msrs.cs).
    /// The image uses RDTSC/RDMSR/WRMSR (kernel/Arch/Vmx/VmxPlatform.cs); host tests a fake.
    /// </summary>
    public interface IVmxPlatform
    {
        ulong ReadTsc();
        ulong ReadMsr(uint msr);
        void WriteMsr(uint msr, ulong value);
    }
}
