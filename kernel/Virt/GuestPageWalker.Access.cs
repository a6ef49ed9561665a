// Reading and writing guest memory by linear address, page by page (an access may cross into a page
// with other rights or no mapping). Outside long mode linear addresses are 32 bits and wrap at 4 GiB.
using System;

namespace Hv.Virt
{
    /// <summary>How far a linear access got, and why it stopped.</summary>
    public struct LinearAccessResult
    {
        /// <summary>Bytes transferred before the failure (all of them on success).</summary>
        public int Count;
        public LinearTranslation Status;
        /// <summary>The linear address that failed: CR2 for an injected #PF.</summary>
        public ulong FaultLinear;
        public uint ErrorCode;
    }

    public readonly partial struct GuestPageWalker
    {
        private const ulong GuestPageSize = 0x1000;

        /// <summary>Reads <paramref name="destination"/>.Length bytes at <paramref name="linear"/> with the rights of <paramref name="access"/> (Read or Execute).</summary>
        public LinearAccessResult ReadLinear(ulong linear, Span<byte> destination, AccessKind access)
        {
            var r = new LinearAccessResult { Status = LinearTranslation.Ok };
            while (r.Count < destination.Length)
            {
                int n = PieceLength(linear, destination.Length - r.Count);
                LinearTranslation t = Translate(linear, access, out ulong gpa, out uint code);
                if (t == LinearTranslation.Ok && !_memory.Read(gpa, destination.Slice(r.Count, n)))
                    t = LinearTranslation.NotInRam;
                if (t != LinearTranslation.Ok)
                    return Stopped(ref r, t, linear, code);
                r.Count += n;
                linear = Next(linear, n);
            }
            return r;
        }

        /// <summary>Writes <paramref name="source"/> at <paramref name="linear"/> with write rights, page by page.</summary>
        public LinearAccessResult WriteLinear(ulong linear, ReadOnlySpan<byte> source)
        {
            var r = new LinearAccessResult { Status = LinearTranslation.Ok };
            while (r.Count < source.Length)
            {
                int n = PieceLength(linear, source.Length - r.Count);
                LinearTranslation t = Translate(linear, AccessKind.Write, out ulong gpa, out uint code);
                if (t == LinearTranslation.Ok && !_memory.Write(gpa, source.Slice(r.Count, n)))
                    t = LinearTranslation.NotInRam;
                if (t != LinearTranslation.Ok)
                    return Stopped(ref r, t, linear, code);
                r.Count += n;
                linear = Next(linear, n);
            }
            return r;
        }

        private static int PieceLength(ulong linear, int want)
        {
            ulong room = GuestPageSize - (linear & (GuestPageSize - 1));
            return (ulong)want < room ? want : (int)room;
        }

        private ulong Next(ulong linear, int n)
        {
            ulong next = linear + (ulong)n;
            return _state.LongMode ? next : next & 0xFFFF_FFFF;
        }

        private static LinearAccessResult Stopped(ref LinearAccessResult r, LinearTranslation t, ulong linear, uint code)
        {
            r.Status = t;
            r.FaultLinear = linear;
            r.ErrorCode = code;
            return r;
        }
    }
}
