// How host code reaches guest memory. The image reads host-physical memory through the identity
// map; host tests back it with arrays. Addresses are always checked against the VM's regions
// first (GuestMemory), so this seam never sees an address outside the VM.
namespace Hv.Virt
{
    public interface IHostPhysicalMemory
    {
        /// <summary>Copies host-physical bytes; false if the address is not backed.</summary>
        bool Read(ulong hostPhysical, System.Span<byte> destination);
        bool Write(ulong hostPhysical, System.ReadOnlySpan<byte> source);
    }
}
