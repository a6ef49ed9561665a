// A shared device model on a VM bus, behind the VM's platform lock (PlatformContracts.cs): vCPUs of one
// VM exit concurrently, and the models are written single-threaded. After each access the shared
// timers' earliest deadline is recomputed, since a register write may have (re)armed one (a PIT count,
// an RTC rate, a UART transmit).
using System;
using Hv.Devices;

namespace Hv.Virt.Platform
{
    public sealed class LockedDevice : IIoDevice
    {
        private readonly VmPlatform _platform;
        private readonly IIoDevice _device;

        public LockedDevice(VmPlatform platform, IIoDevice device)
        {
            _platform = platform;
            _device = device;
        }

        public void Read(ulong offset, Span<byte> data)
        {
            _platform.Lock.Enter();
            _device.Read(offset, data);
            _platform.DevicesChangedLocked();
            _platform.Lock.Exit();
        }

        public void Write(ulong offset, ReadOnlySpan<byte> data)
        {
            _platform.Lock.Enter();
            _device.Write(offset, data);
            _platform.DevicesChangedLocked();
            _platform.Lock.Exit();
        }
    }
}
