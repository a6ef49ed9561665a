using System;
using System.Collections.Generic;
using Hv.Virt;
using Hv.Virt.Vmx;

namespace Hv.Tests.Unit.Vmx
{
    /// <summary>Host-physical pages as arrays, handed out from a made-up address upwards; also guest RAM for PDPTE loads.</summary>
    internal sealed class FakePageMemory : IPageMemory, IHostPhysicalMemory
    {
        private readonly Dictionary<ulong, ulong[]> _pages = new Dictionary<ulong, ulong[]>();
        private ulong _next;
        private int _limit;

        public FakePageMemory(ulong firstPage = 0x1_0000_0000, int maxPages = int.MaxValue)
        {
            _next = firstPage;
            _limit = maxPages;
        }

        public int Allocated => _pages.Count;

        public ulong AllocateZeroedPage()
        {
            if (_pages.Count >= _limit) return 0;
            ulong p = _next;
            _next += 4096;
            _pages[p] = new ulong[512];
            return p;
        }

        public ulong ReadWord(ulong page, int index) => Page(page)[index];

        public void WriteWord(ulong page, int index, ulong value) => Page(page)[index] = value;

        private ulong[] Page(ulong page)
        {
            if ((page & 0xFFF) != 0 || !_pages.ContainsKey(page)) throw new InvalidOperationException("not a page of this memory: 0x" + page.ToString("x"));
            return _pages[page];
        }


        /// <summary>Byte view (little-endian) for IHostPhysicalMemory; pages appear on first write.</summary>
        public bool Read(ulong hostPhysical, Span<byte> destination)
        {
            for (int i = 0; i < destination.Length; i++)
            {
                ulong a = hostPhysical + (ulong)i;
                if (!_pages.TryGetValue(a & ~0xFFFul, out ulong[] p)) return false;
                destination[i] = (byte)(p[(a & 0xFFF) >> 3] >> (int)(8 * (a & 7)));
            }
            return true;
        }

        public bool Write(ulong hostPhysical, ReadOnlySpan<byte> source)
        {
            for (int i = 0; i < source.Length; i++)
            {
                ulong a = hostPhysical + (ulong)i;
                if (!_pages.TryGetValue(a & ~0xFFFul, out ulong[] p)) _pages[a & ~0xFFFul] = p = new ulong[512];
                int shift = (int)(8 * (a & 7));
                ref ulong w = ref p[(a & 0xFFF) >> 3];
                w = (w & ~(0xFFul << shift)) | ((ulong)source[i] << shift);
            }
            return true;
        }
    }
}
