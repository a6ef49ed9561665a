// What a VM's RAM is built from (GuestMemoryLayout lays HostChunks onto GuestRanges, producing the
// GuestRegions of IVirtBackend.cs). All sizes and addresses are multiples of 4 KiB (the
// EPT / NPT page size), and no range wraps past 2^64.
namespace Hv.Virt
{
    /// <summary>A guest-physical range the caller wants to be RAM (e.g. [0, 640 KiB) and [1 MiB, 64 MiB)).</summary>
    public struct GuestRange
    {
        public ulong GuestPhysical;
        public ulong Size;

        public GuestRange(ulong guestPhysical, ulong size)
        {
            GuestPhysical = guestPhysical;
            Size = size;
        }
    }

    /// <summary>A host-physically contiguous run of frames that backs part of a VM's RAM.</summary>
    public struct HostChunk
    {
        public ulong HostPhysical;
        public ulong Size;

        public HostChunk(ulong hostPhysical, ulong size)
        {
            HostPhysical = hostPhysical;
            Size = size;
        }
    }
}
