using System;
using System.Collections.Generic;
using Hv.Loader;

namespace Hv.Tests.Loader
{
    /// <summary>
    /// Guest RAM for loader tests: sparse 4 KiB pages, so a VM of any size costs only what is
    /// written. Bytes never written read as 0xCC, so a missed zero fill shows. Every call is
    /// recorded; a call outside [0, Size) fails the test (the loader must check first).
    /// </summary>
    sealed class FakeGuestRam : IGuestRam
    {
        public const byte Unwritten = 0xCC;
        readonly Dictionary<ulong, byte[]> _pages = new Dictionary<ulong, byte[]>();
        readonly bool _store;

        public ulong Size { get; }
        public int Calls { get; private set; }
        public ulong BytesTouched { get; private set; }
        /// <summary>The guest-physical address at or above which Write/Zero refuse (to test the loader's handling).</summary>
        public ulong RefuseFrom = ulong.MaxValue;
        public readonly List<string> OutOfRange = new List<string>();
        /// <summary>Every accepted Write/Zero as (start, length), in call order.</summary>
        public readonly List<(ulong Start, ulong Length)> Ranges = new List<(ulong Start, ulong Length)>();

        public FakeGuestRam(ulong size, bool store = true)
        {
            Size = size;
            _store = store;
        }

        public bool Write(ulong gpa, ReadOnlySpan<byte> data) => Touch(gpa, (ulong)data.Length, data, false);

        public bool Zero(ulong gpa, ulong length) => Touch(gpa, length, default, true);

        bool Touch(ulong gpa, ulong length, ReadOnlySpan<byte> data, bool zero)
        {
            Calls++;
            if (gpa > Size || length > Size - gpa)
            {
                OutOfRange.Add("0x" + gpa.ToString("x") + "+0x" + length.ToString("x"));
                return false;
            }
            if (gpa + length > RefuseFrom)
                return false;
            BytesTouched += length;
            Ranges.Add((gpa, length));
            if (!_store)
                return true;
            for (ulong i = 0; i < length; i++)
                Page(gpa + i)[(gpa + i) & 0xFFF] = zero ? (byte)0 : data[(int)i];
            return true;
        }

        byte[] Page(ulong gpa)
        {
            ulong key = gpa >> 12;
            if (!_pages.TryGetValue(key, out byte[] page))
            {
                page = new byte[4096];
                Array.Fill(page, Unwritten);
                _pages[key] = page;
            }
            return page;
        }

        public byte[] Read(ulong gpa, int length)
        {
            byte[] b = new byte[length];
            for (int i = 0; i < length; i++)
                b[i] = _pages.TryGetValue((gpa + (ulong)i) >> 12, out byte[] page) ? page[(gpa + (ulong)i) & 0xFFF] : Unwritten;
            return b;
        }

        public uint U32(ulong gpa) => ElfBuilder.Get32(Read(gpa, 4), 0);

        public ulong U64(ulong gpa) => ElfBuilder.Get64(Read(gpa, 8), 0);

        /// <summary>The NUL-terminated ASCII string at gpa (at most 4096 bytes).</summary>
        public string CString(ulong gpa)
        {
            var chars = new List<char>();
            for (ulong a = gpa; a < gpa + 4096; a++)
            {
                byte b = Read(a, 1)[0];
                if (b == 0)
                    break;
                chars.Add((char)b);
            }
            return new string(chars.ToArray());
        }
    }
}
