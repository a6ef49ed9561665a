// Lays host chunks (from GuestRamAllocator or a caller) onto the guest-physical ranges a VM wants as
// RAM, in order: the first chunk backs the start of the first range, and so on. A chunk may be split
// across ranges and a range may take several chunks; pieces that are contiguous on both sides are
// merged, so a VM backed by one 2 MiB-aligned run gets one region (and large EPT/NPT pages).
using System;

namespace Hv.Virt
{
    public static class GuestMemoryLayout
    {
        /// <summary>
        /// Builds the VM's memory. The ranges' total size must equal the chunks' total size; every
        /// piece must be 4 KiB aligned; the rest is checked by <see cref="GuestMemory.TryCreate"/>.
        /// Configuration time only: allocates the region list.
        /// </summary>
        public static bool TryBuild(ReadOnlySpan<GuestRange> ram, ReadOnlySpan<HostChunk> chunks, IHostPhysicalMemory host,
            out GuestMemory memory, out string error)
        {
            memory = null;
            ulong ramTotal = 0, chunkTotal = 0;
            for (int i = 0; i < ram.Length; i++)
                if (!Add(ref ramTotal, ram[i].Size)) { error = "guest RAM size overflows"; return false; }
            for (int i = 0; i < chunks.Length; i++)
                if (!Add(ref chunkTotal, chunks[i].Size)) { error = "host chunk size overflows"; return false; }
            if (ramTotal != chunkTotal)
            {
                error = "guest RAM is " + ramTotal.ToString() + " bytes but the host chunks hold " + chunkTotal.ToString();
                return false;
            }

            // At most ranges + chunks pieces: each step ends a range or a chunk (or both).
            var pieces = new GuestRegion[ram.Length + chunks.Length];
            int count = 0, c = 0;
            ulong chunkUsed = 0;
            for (int r = 0; r < ram.Length; r++)
            {
                ulong guest = ram[r].GuestPhysical, left = ram[r].Size;
                while (left != 0)
                {
                    while (chunkUsed == chunks[c].Size) { c++; chunkUsed = 0; }
                    ulong room = chunks[c].Size - chunkUsed;
                    ulong n = left < room ? left : room;
                    ulong hostBase = chunks[c].HostPhysical + chunkUsed;
                    if (count > 0 && Continues(pieces[count - 1], guest, hostBase))
                        pieces[count - 1].Size += n;
                    else
                        pieces[count++] = Region(guest, n, hostBase);
                    chunkUsed += n;
                    left -= n;
                    guest += n;   // cannot wrap past a checked range end: TryCreate refuses such ranges
                }
            }
            return GuestMemory.TryCreate(new ReadOnlySpan<GuestRegion>(pieces, 0, count), host, out memory, out error);
        }

        private static GuestRegion Region(ulong guest, ulong size, ulong host)
        {
            GuestRegion r;
            r.GuestPhysical = guest;
            r.HostPhysical = host;
            r.Size = size;
            return r;
        }

        private static bool Continues(GuestRegion last, ulong guest, ulong host) =>
            last.GuestPhysical + last.Size == guest && last.HostPhysical + last.Size == host;

        private static bool Add(ref ulong total, ulong size)
        {
            if (size > ulong.MaxValue - total)
                return false;
            total += size;
            return true;
        }
    }
}
