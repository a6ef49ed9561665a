// A VM's RAM: guest-physical regions backed by host-physical memory, fixed when the VM is created.
// Every host access on behalf of a guest goes through the checked translation here, so nothing
// outside the VM's own regions is ever reached (issue 4 item 8: isolation). Address arithmetic
// never overflows: ranges are compared by subtraction, and a range that would pass 2^64 is refused.
using System;

namespace Hv.Virt
{
    public sealed partial class GuestMemory
    {
        /// <summary>Guest-physical addresses stop at 2^48: what 4-level EPT (SDM Vol. 3C §29.3.2) and NPT reach.</summary>
        public const int MaxGuestPhysicalBits = 48;
        /// <summary>Host-physical addresses stop at 2^52 (MAXPHYADDR limit, SDM Vol. 3A §4.1.4).</summary>
        public const int MaxHostPhysicalBits = 52;
        public const ulong PageSize = 0x1000;

        private readonly GuestRegion[] _regions;   // sorted by GuestPhysical, non-empty, no overlaps
        private readonly IHostPhysicalMemory _host;

        private GuestMemory(GuestRegion[] regions, IHostPhysicalMemory host)
        {
            _regions = regions;
            _host = host;
            for (int i = 0; i < regions.Length; i++)
                TotalSize += regions[i].Size;
        }

        public int RegionCount => _regions.Length;
        public GuestRegion Region(int index) => _regions[index];
        /// <summary>A copy of the regions, sorted by guest address (for VcpuSetup.Memory; set-up time, allocates).</summary>
        public GuestRegion[] ToArray()
        {
            var copy = new GuestRegion[_regions.Length];
            for (int i = 0; i < copy.Length; i++)
                copy[i] = _regions[i];
            return copy;
        }
        /// <summary>Bytes of RAM in all regions.</summary>
        public ulong TotalSize { get; }
        /// <summary>One past the highest RAM byte (the regions' end), 0 without regions.</summary>
        public ulong End => _regions.Length == 0 ? 0 : Last(_regions[_regions.Length - 1]) + 1;

        /// <summary>
        /// Validates and copies <paramref name="regions"/> (any order): each non-empty and 4 KiB aligned,
        /// below 2^48 guest-physical and 2^52 host-physical, no two overlapping in guest-physical space,
        /// and no two sharing host memory (that would let one guest address alias another).
        /// </summary>
        public static bool TryCreate(ReadOnlySpan<GuestRegion> regions, IHostPhysicalMemory host, out GuestMemory memory, out string error)
        {
            memory = null;
            error = null;
            if (host == null) { error = "no host memory access"; return false; }
            var sorted = new GuestRegion[regions.Length];
            for (int i = 0; i < regions.Length; i++)
            {
                GuestRegion r = regions[i];
                error = CheckRegion(r);
                if (error != null)
                    return false;
                int j = i;
                while (j > 0 && sorted[j - 1].GuestPhysical > r.GuestPhysical) { sorted[j] = sorted[j - 1]; j--; }
                sorted[j] = r;
            }
            for (int i = 1; i < sorted.Length; i++)
                if (sorted[i].GuestPhysical <= Last(sorted[i - 1]))
                {
                    error = "guest range " + Describe(sorted[i].GuestPhysical, sorted[i].Size) + " overlaps " + Describe(sorted[i - 1].GuestPhysical, sorted[i - 1].Size);
                    return false;
                }
            for (int i = 0; i < sorted.Length; i++)
                for (int j = i + 1; j < sorted.Length; j++)
                    if (sorted[i].HostPhysical <= sorted[j].HostPhysical + (sorted[j].Size - 1) && sorted[j].HostPhysical <= sorted[i].HostPhysical + (sorted[i].Size - 1))
                    {
                        error = "host range " + Describe(sorted[j].HostPhysical, sorted[j].Size) + " backs two guest ranges";
                        return false;
                    }
            memory = new GuestMemory(sorted, host);
            return true;
        }

        /// <summary>The region's last guest-physical byte (inclusive: no overflow at the top).</summary>
        private static ulong Last(GuestRegion r) => r.GuestPhysical + (r.Size - 1);

        private static string CheckRegion(GuestRegion r)
        {
            if (r.Size == 0)
                return "empty region at guest " + Caps.Hex.Format(r.GuestPhysical, 1);
            if ((r.GuestPhysical | r.Size | r.HostPhysical) % PageSize != 0)
                return "region " + Describe(r.GuestPhysical, r.Size) + " is not 4 KiB aligned";
            ulong guestLimit = 1UL << MaxGuestPhysicalBits;
            if (r.GuestPhysical >= guestLimit || r.Size > guestLimit - r.GuestPhysical)
                return "region " + Describe(r.GuestPhysical, r.Size) + " passes 2^48 guest-physical";
            ulong hostLimit = 1UL << MaxHostPhysicalBits;
            if (r.HostPhysical >= hostLimit || r.Size > hostLimit - r.HostPhysical)
                return "region at host " + Caps.Hex.Format(r.HostPhysical, 1) + " passes 2^52 host-physical";
            return null;
        }

        private static string Describe(ulong start, ulong size) =>
            Caps.Hex.Format(start, 1) + "-" + Caps.Hex.Format(start + (size - 1), 1);

        /// <summary>Index of the region holding <paramref name="gpa"/>, or -1 (binary search, no allocation).</summary>
        public int FindRegion(ulong gpa)
        {
            int lo = 0, hi = _regions.Length - 1;
            while (lo <= hi)
            {
                int mid = (lo + hi) >> 1;
                if (gpa < _regions[mid].GuestPhysical)
                    hi = mid - 1;
                else if (gpa - _regions[mid].GuestPhysical >= _regions[mid].Size)
                    lo = mid + 1;
                else
                    return mid;
            }
            return -1;
        }

        public bool IsRam(ulong gpa) => FindRegion(gpa) >= 0;

        /// <summary>
        /// Host-physical address of [gpa, gpa + length): true only when the whole access lies inside
        /// one region. Length 0 is refused (a translation is for an access of at least one byte); so is
        /// anything that crosses a region end, leaves RAM, or would wrap past 2^64.
        /// </summary>
        public bool TryTranslate(ulong gpa, ulong length, out ulong hpa)
        {
            hpa = 0;
            int i = FindRegion(gpa);
            if (i < 0 || length == 0)
                return false;
            ulong offset = gpa - _regions[i].GuestPhysical;
            if (length > _regions[i].Size - offset)
                return false;
            hpa = _regions[i].HostPhysical + offset;
            return true;
        }

        /// <summary>True when every byte of [gpa, gpa + length) is RAM (adjacent regions may share the range).</summary>
        public bool IsRamRange(ulong gpa, ulong length)
        {
            while (length != 0)
            {
                int i = FindRegion(gpa);
                if (i < 0)
                    return false;
                ulong room = _regions[i].Size - (gpa - _regions[i].GuestPhysical);
                if (length <= room)
                    return true;
                length -= room;
                if (Last(_regions[i]) == ulong.MaxValue)
                    return false;
                gpa = Last(_regions[i]) + 1;
            }
            return false;
        }

        /// <summary>True when any byte of [gpa, gpa + length) is RAM (for refusing MMIO over RAM); a range past 2^64 is clipped.</summary>
        public bool Overlaps(ulong gpa, ulong length)
        {
            if (length == 0)
                return false;
            ulong last = length - 1 > ulong.MaxValue - gpa ? ulong.MaxValue : gpa + (length - 1);
            for (int i = 0; i < _regions.Length; i++)
                if (_regions[i].GuestPhysical <= last && gpa <= Last(_regions[i]))
                    return true;
            return false;
        }
    }
}
