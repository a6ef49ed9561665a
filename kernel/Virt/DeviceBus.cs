// A port-I/O or MMIO bus: devices claim address ranges, accesses are routed to the device whose range
// holds them. Ranges are kept sorted in parallel arrays and found by binary search, so the exit path
// allocates nothing. Registration happens while the VM is being built (Vm refuses it later), so
// lookups need no lock. Overlapping claims are refused with a reason.
using System;
using Hv.Devices;

namespace Hv.Virt
{
    public sealed class DeviceBus
    {
        /// <summary>Value of every byte nobody answers: an open ISA bus / unclaimed MMIO reads all-ones.</summary>
        public const byte OpenBusByte = 0xFF;

        private ulong[] _first = new ulong[8];
        private ulong[] _last = new ulong[8];
        private IIoDevice[] _devices = new IIoDevice[8];
        private int _count;

        /// <param name="name">"io" or "mmio", for error messages.</param>
        /// <param name="lastAddress">Highest address of the bus: 0xFFFF for ports, ulong.MaxValue for MMIO.</param>
        public DeviceBus(string name, ulong lastAddress)
        {
            Name = name;
            LastAddress = lastAddress;
        }

        public string Name { get; }
        public ulong LastAddress { get; }
        public int Count => _count;

        /// <summary>
        /// Claims [start, start + length) for <paramref name="device"/>. False, with a reason, for an
        /// empty range, one past the bus's end (or past 2^64), or one that overlaps an existing claim.
        /// </summary>
        public bool TryRegister(ulong start, ulong length, IIoDevice device, out string reason)
        {
            reason = null;
            if (device == null) { reason = Name + ": no device"; return false; }
            if (length == 0) { reason = Name + ": empty range at " + Caps.Hex.Format(start, 1); return false; }
            if (start > LastAddress || length - 1 > LastAddress - start)
            {
                reason = Name + ": range at " + Caps.Hex.Format(start, 1) + " passes the end of the bus";
                return false;
            }
            ulong last = start + (length - 1);
            int at = 0;
            while (at < _count && _first[at] < start)
                at++;
            int clash = at < _count && _first[at] <= last ? at : at > 0 && _last[at - 1] >= start ? at - 1 : -1;
            if (clash >= 0)
            {
                reason = Name + ": " + Range(start, last) + " overlaps the device at " + Range(_first[clash], _last[clash]);
                return false;
            }
            if (_count == _first.Length)
                Grow();
            for (int i = _count; i > at; i--)
            {
                _first[i] = _first[i - 1];
                _last[i] = _last[i - 1];
                _devices[i] = _devices[i - 1];
            }
            _first[at] = start;
            _last[at] = last;
            _devices[at] = device;
            _count++;
            return true;
        }

        /// <summary>Index of the claim holding <paramref name="address"/>, or -1.</summary>
        public int Find(ulong address)
        {
            int lo = 0, hi = _count - 1, found = -1;
            while (lo <= hi)
            {
                int mid = (lo + hi) >> 1;
                if (_first[mid] <= address) { found = mid; lo = mid + 1; }
                else hi = mid - 1;
            }
            return found >= 0 && address <= _last[found] ? found : -1;
        }

        /// <summary>
        /// Reads data.Length bytes at <paramref name="address"/>. An access inside one device's range
        /// goes to it whole; one that straddles ranges is split into bytes. Bytes nobody claims read
        /// 0xFF. Returns false when no byte reached a device (the caller counts that).
        /// </summary>
        public bool Read(ulong address, Span<byte> data)
        {
            data.Fill(OpenBusByte);
            int i = Find(address);
            if (i >= 0 && (ulong)(data.Length - 1) <= _last[i] - address)
            {
                _devices[i].Read(address - _first[i], data);
                return true;
            }
            bool any = false;
            for (int k = 0; k < data.Length; k++)
            {
                if (!ByteAddress(address, k, out ulong a) || (i = Find(a)) < 0)
                    continue;
                _devices[i].Read(a - _first[i], data.Slice(k, 1));
                any = true;
            }
            return any;
        }

        /// <summary>Writes data at <paramref name="address"/> (split like Read); bytes nobody claims are dropped. False when none reached a device.</summary>
        public bool Write(ulong address, ReadOnlySpan<byte> data)
        {
            int i = Find(address);
            if (i >= 0 && (ulong)(data.Length - 1) <= _last[i] - address)
            {
                _devices[i].Write(address - _first[i], data);
                return true;
            }
            bool any = false;
            for (int k = 0; k < data.Length; k++)
            {
                if (!ByteAddress(address, k, out ulong a) || (i = Find(a)) < 0)
                    continue;
                _devices[i].Write(a - _first[i], data.Slice(k, 1));
                any = true;
            }
            return any;
        }

        /// <summary>Address of byte k of an access; false past the bus's end (a 4-byte OUT to port 0xFFFF).</summary>
        private bool ByteAddress(ulong address, int k, out ulong a)
        {
            a = address + (ulong)k;
            return address <= LastAddress && (ulong)k <= LastAddress - address;
        }

        private void Grow()
        {
            int size = _first.Length * 2;
            var first = new ulong[size];
            var last = new ulong[size];
            var devices = new IIoDevice[size];
            for (int i = 0; i < _count; i++)
            {
                first[i] = _first[i];
                last[i] = _last[i];
                devices[i] = _devices[i];
            }
            _first = first;
            _last = last;
            _devices = devices;
        }

        private static string Range(ulong first, ulong last) => Caps.Hex.Format(first, 1) + "-" + Caps.Hex.Format(last, 1);
    }
}
