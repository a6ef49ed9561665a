using System;

namespace Hv.Acpi
{
    /// <summary>Where a sub-structure keeps its type and length fields.</summary>
    public enum SubtableFormat
    {
        /// <summary>Type u8 at 0, Length u8 at 1: MADT entries (ACPI 6.5 §5.2.12), DMAR device scopes (VT-d §8.3.1).</summary>
        ByteTypeByteLength,
        /// <summary>Type u16 at 0, Length u16 at 2: DMAR remapping structures (VT-d 4.1 §8.2).</summary>
        WordTypeWordLength,
        /// <summary>Type u8 at 0, Flags u8 at 1, Length u16 at 2: IVRS IVHD/IVMD blocks (AMD IOMMU 48882 §5.2).</summary>
        ByteTypeWordLengthAt2,
    }

    /// <summary>One type-length-value sub-structure, as found by SubtableReader.</summary>
    public readonly ref struct Subtable
    {
        public readonly int Type;
        /// <summary>Offset from the start of the table (for messages and dumps).</summary>
        public readonly int Offset;
        /// <summary>Exactly Length bytes, starting with the type field.</summary>
        public readonly ReadOnlySpan<byte> Bytes;

        public int Length => Bytes.Length;

        public Subtable(int type, int offset, ReadOnlySpan<byte> bytes)
        {
            Type = type;
            Offset = offset;
            Bytes = bytes;
        }
    }

    /// <summary>
    /// Walks a run of type-length sub-structures without allocating. A length below the header
    /// size (0 included: it would never advance) or past the end stops the walk with an error,
    /// so hostile bytes cannot make it loop or read outside the area. Type-specific minimum
    /// lengths are the caller's check.
    /// </summary>
    public ref struct SubtableReader
    {
        private readonly ReadOnlySpan<byte> _area;
        private readonly int _base;
        private readonly uint _signature;
        private readonly SubtableFormat _format;
        private int _pos;
        private AcpiError _error;

        /// <param name="area">The bytes holding only sub-structures (the table from its first entry to Length).</param>
        /// <param name="baseOffset">Offset of <paramref name="area"/> in its table, so errors name table offsets.</param>
        /// <param name="signature">The table, for errors.</param>
        public SubtableReader(ReadOnlySpan<byte> area, int baseOffset, uint signature, SubtableFormat format)
        {
            _area = area;
            _base = baseOffset;
            _signature = signature;
            _format = format;
            _pos = 0;
            _error = AcpiError.None;
        }

        public AcpiError Error => _error;

        public int HeaderSize => _format == SubtableFormat.ByteTypeByteLength ? 2 : 4;

        /// <summary>The next sub-structure; false at the end or on an error (then Error says which).</summary>
        public bool Next(out Subtable entry)
        {
            entry = default;
            if (!_error.Ok || _pos >= _area.Length)
                return false;
            int left = _area.Length - _pos;
            int header = HeaderSize;
            if (left < header)
            {
                _error = AcpiError.Entry(AcpiErrorKind.Truncated, _signature, _base + _pos, -1, (ulong)left, (ulong)header);
                return false;
            }
            int type, length;
            switch (_format)
            {
                case SubtableFormat.ByteTypeByteLength:
                    type = _area[_pos];
                    length = _area[_pos + 1];
                    break;
                case SubtableFormat.WordTypeWordLength:
                    type = Le.U16(_area, _pos);
                    length = Le.U16(_area, _pos + 2);
                    break;
                default:
                    type = _area[_pos];
                    length = Le.U16(_area, _pos + 2);
                    break;
            }
            if (length < header)
            {
                _error = AcpiError.Entry(AcpiErrorKind.EntryTooShort, _signature, _base + _pos, type, (ulong)length, (ulong)header);
                return false;
            }
            if (length > left)
            {
                _error = AcpiError.Entry(AcpiErrorKind.EntryPastEnd, _signature, _base + _pos, type, (ulong)length, (ulong)left);
                return false;
            }
            entry = new Subtable(type, _base + _pos, _area.Slice(_pos, length));
            _pos += length;
            return true;
        }

        /// <summary>Stops the walk with an error found by the caller (a type-specific check).</summary>
        public void Fail(AcpiError error)
        {
            _error = error;
        }

        /// <summary>The standard "entry shorter than its type needs" error, recorded and returned.</summary>
        public bool FailTooShort(in Subtable entry, int minimum)
        {
            _error = AcpiError.Entry(AcpiErrorKind.EntryTooShort, _signature, entry.Offset, entry.Type, (ulong)entry.Length, (ulong)minimum);
            return false;
        }
    }
}
