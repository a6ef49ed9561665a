using System;

namespace Hv.Loader
{
    /// <summary>
    /// The seam between the guest loaders and a VM's memory. A VM's RAM is one flat range of
    /// guest-physical addresses, [0, Size). The neutral core implements this over the VM's
    /// guest memory; unit tests back it with an array. Loaders check every range against Size
    /// before calling Write or Zero, so an implementation may treat an out-of-range call as a
    /// bug and refuse it (return false).
    /// </summary>
    public interface IGuestRam
    {
        ulong Size { get; }

        /// <summary>Copies data to guest-physical gpa; false if any byte is outside RAM.</summary>
        bool Write(ulong gpa, ReadOnlySpan<byte> data);

        /// <summary>Zeroes length bytes from guest-physical gpa; false if any byte is outside RAM.</summary>
        bool Zero(ulong gpa, ulong length);
    }
}
