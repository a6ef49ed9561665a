using System;

namespace Hv.Acpi
{
    /// <summary>
    /// The seam between the table walk and the machine: the kernel reads identity-mapped physical
    /// memory (kernel/Arch/IdentityMappedMemory.cs), unit tests a fake built from fixtures.
    /// </summary>
    public interface IPhysicalMemory
    {
        /// <summary>
        /// Copies destination.Length bytes starting at physical <paramref name="address"/>; false
        /// (destination unspecified) when any byte of the range cannot be read.
        /// </summary>
        bool TryRead(ulong address, Span<byte> destination);
    }
}
