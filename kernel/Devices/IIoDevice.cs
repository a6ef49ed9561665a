// What every device model looks like to the buses (style.md: "every device looks the same").
using System;

namespace Hv.Devices
{
    /// <summary>
    /// A device on the port-I/O or MMIO bus. Offsets are relative to the device's own range: a device
    /// never knows its base address (the bus subtracts it). data.Length is the access width (1, 2, 4
    /// or 8 bytes, little-endian) and the whole access lies inside the device's range. Calls come from
    /// the VM-exit path: no allocation, no logging, never trust the guest's values.
    /// </summary>
    public interface IIoDevice
    {
        /// <summary>Fills every byte of <paramref name="data"/> (the bus pre-fills it with 0xFF).</summary>
        void Read(ulong offset, Span<byte> data);

        void Write(ulong offset, ReadOnlySpan<byte> data);
    }
}
