namespace Hv.Virt.Caps
{
    /// <summary>
    /// The seam between capability decoding (pure logic, host-testable) and the hardware. The boot
    /// code implements it with the CPUID and RDMSR instructions; unit tests implement it with tables.
    /// </summary>
    /// <remarks>
    /// The decoders in this folder only ask for CPUID leaves at or below the maximum leaf the CPU
    /// reported, and only read MSRs that the SDM / APM say exist given what was read before (each
    /// read site cites the rule). So an implementation may execute RDMSR directly; TryReadMsr
    /// returning false is only a safety valve ("this MSR is known to be absent here"), and the
    /// decoders treat it as "feature not available".
    /// </remarks>
    public interface ICpuInfoSource
    {
        void Cpuid(uint leaf, uint subleaf, out uint eax, out uint ebx, out uint ecx, out uint edx);

        bool TryReadMsr(uint msr, out ulong value);
    }
}
