// Copies between host buffers and guest RAM. The whole range is checked before the first byte moves,
// so a failed call changes nothing; a range may span adjacent regions with different host backing.
using System;

namespace Hv.Virt
{
    public sealed partial class GuestMemory
    {
        private const int ZeroChunk = 256;

        /// <summary>Copies guest RAM at <paramref name="gpa"/> into <paramref name="destination"/>; false (nothing read) if any byte is not RAM.</summary>
        public bool Read(ulong gpa, Span<byte> destination)
        {
            if (destination.IsEmpty || !IsRamRange(gpa, (ulong)destination.Length))
                return destination.IsEmpty;
            int done = 0;
            while (done < destination.Length)
            {
                int n = Piece(gpa, destination.Length - done, out ulong hpa);
                if (n == 0 || !_host.Read(hpa, destination.Slice(done, n)))
                    return false;
                done += n;
                gpa += (ulong)n;
            }
            return true;
        }

        /// <summary>Copies <paramref name="source"/> to guest RAM at <paramref name="gpa"/>; false (nothing written) if any byte is not RAM.</summary>
        public bool Write(ulong gpa, ReadOnlySpan<byte> source)
        {
            if (source.IsEmpty || !IsRamRange(gpa, (ulong)source.Length))
                return source.IsEmpty;
            int done = 0;
            while (done < source.Length)
            {
                int n = Piece(gpa, source.Length - done, out ulong hpa);
                if (n == 0 || !_host.Write(hpa, source.Slice(done, n)))
                    return false;
                done += n;
                gpa += (ulong)n;
            }
            return true;
        }

        /// <summary>Zeroes <paramref name="length"/> bytes of guest RAM; false (nothing written) if any byte is not RAM.</summary>
        public bool Zero(ulong gpa, ulong length)
        {
            if (length == 0 || !IsRamRange(gpa, length))
                return length == 0;
            Span<byte> zeros = stackalloc byte[ZeroChunk];
            zeros.Clear();
            while (length != 0)
            {
                int want = length < ZeroChunk ? (int)length : ZeroChunk;
                int n = Piece(gpa, want, out ulong hpa);
                if (n == 0 || !_host.Write(hpa, zeros.Slice(0, n)))
                    return false;
                length -= (ulong)n;
                gpa += (ulong)n;
            }
            return true;
        }

        /// <summary>Reads a little-endian value of 1-8 bytes (page-table entries, descriptors); false outside RAM.</summary>
        public bool ReadUInt64(ulong gpa, int size, out ulong value)
        {
            value = 0;
            Span<byte> b = stackalloc byte[8];
            if (size < 1 || size > 8 || !Read(gpa, b.Slice(0, size)))
                return false;
            for (int i = size - 1; i >= 0; i--)
                value = (value << 8) | b[i];
            return true;
        }

        /// <summary>How many of <paramref name="want"/> bytes from <paramref name="gpa"/> lie in its region, and where they are on the host.</summary>
        private int Piece(ulong gpa, int want, out ulong hpa)
        {
            hpa = 0;
            int i = FindRegion(gpa);
            if (i < 0)
                return 0;
            ulong offset = gpa - _regions[i].GuestPhysical;
            ulong room = _regions[i].Size - offset;
            hpa = _regions[i].HostPhysical + offset;
            return (ulong)want < room ? want : (int)room;
        }
    }
}
