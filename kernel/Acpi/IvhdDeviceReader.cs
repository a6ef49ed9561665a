using System;

namespace Hv.Acpi
{
    /// <summary>
    /// Decodes the device entries of one IVHD block (AMD IOMMU 48882 §5.2.2.2) into ranges of
    /// DeviceIDs, without allocating:
    /// <code>
    /// 4-byte  (00h-3Fh): 0 Type, 1 DeviceID (u16), 3 DTE setting
    /// 8-byte  (40h-7Fh): as 4-byte, then 4..7: alias (42h/43h: 5 source DeviceID), extended (46h/47h: u32),
    ///                    special (48h: 4 handle, 5 used DeviceID, 7 variety)
    /// 16/32-byte (80h-FFh): reserved, skipped; F0h ACPI HID: 4 HID[8], 12 CID[8], 20 UID format, 21 UID length, 22 UID
    /// </code>
    /// A start-of-range entry (03h, 43h, 47h) opens a range that the next end-of-range entry (04h)
    /// closes; entries in between are decoded on their own (as Linux does). An end without a
    /// start, a second start, a start never closed, or an end below its start is an error.
    /// Pad and unknown entries are skipped.
    /// </summary>
    public ref struct IvhdDeviceReader
    {
        private const int AcpiHidFixed = 22;

        private readonly ReadOnlySpan<byte> _area;
        private readonly int _base;
        private int _pos;
        private AcpiError _error;
        private bool _open;             // a start-of-range entry waits for its end
        private IvhdDeviceRange _start;

        internal IvhdDeviceReader(ReadOnlySpan<byte> area, int baseOffset)
        {
            _area = area;
            _base = baseOffset;
            _pos = 0;
            _error = AcpiError.None;
            _open = false;
            _start = default;
        }

        public AcpiError Error => _error;

        public bool Next(out IvhdDeviceRange range)
        {
            range = default;
            while (_error.Ok)
            {
                int left = _area.Length - _pos;
                if (left <= 0)
                {
                    if (_open)
                        Fail(_start.Offset, (int)_start.Entry, "start of range without an end of range", _start.First, 0);
                    return false;
                }
                int offset = _base + _pos;
                byte type = _area[_pos];
                int length = EntryLength(type, left);
                if (length < 0)
                    return false;   // EntryLength recorded the error
                ReadOnlySpan<byte> e = _area.Slice(_pos, length);
                _pos += length;
                if (Decode(type, e, offset, ref range))
                    return true;
            }
            return false;
        }

        /// <summary>The entry's length from its type (and UID length for F0h), or -1 after recording an error.</summary>
        private int EntryLength(byte type, int left)
        {
            if (type == (byte)IvhdEntryType.AcpiHid)
            {
                if (left < AcpiHidFixed)
                {
                    _error = AcpiError.Entry(AcpiErrorKind.Truncated, AcpiSignature.Ivrs, _base + _pos, type, (ulong)left, AcpiHidFixed);
                    return -1;
                }
                int length = AcpiHidFixed + _area[_pos + 21];
                if (length > left)
                {
                    _error = AcpiError.Entry(AcpiErrorKind.EntryPastEnd, AcpiSignature.Ivrs, _base + _pos, type, (ulong)length, (ulong)left);
                    return -1;
                }
                return length;
            }
            int fixedLength = 4 << (type >> 6);
            if (fixedLength > left)
            {
                _error = AcpiError.Entry(AcpiErrorKind.EntryPastEnd, AcpiSignature.Ivrs, _base + _pos, type, (ulong)fixedLength, (ulong)left);
                return -1;
            }
            return fixedLength;
        }

        /// <summary>Fills <paramref name="range"/> and returns true when the entry completes a range.</summary>
        private bool Decode(byte type, ReadOnlySpan<byte> e, int offset, ref IvhdDeviceRange range)
        {
            IvhdDeviceRange r = default;
            r.Entry = (IvhdEntryType)type;
            r.Offset = offset;
            r.First = r.Last = Le.U16(e, 1);
            r.Dte = (DteSetting)e[3];
            switch ((IvhdEntryType)type)
            {
                case IvhdEntryType.All:
                    r.First = 0;
                    r.Last = 0xFFFF;
                    break;
                case IvhdEntryType.Select:
                    break;
                case IvhdEntryType.AliasSelect:
                    r.AliasSource = Le.U16(e, 5);
                    break;
                case IvhdEntryType.ExtendedSelect:
                    r.ExtendedSetting = Le.U32(e, 4);
                    break;
                case IvhdEntryType.Special:
                    r.Handle = e[4];
                    r.First = r.Last = Le.U16(e, 5);
                    r.Variety = (SpecialVariety)e[7];
                    break;
                case IvhdEntryType.AcpiHid:
                    r.Hid = Le.U64(e, 4);
                    r.Cid = Le.U64(e, 12);
                    break;
                case IvhdEntryType.RangeStart:
                case IvhdEntryType.AliasRangeStart:
                case IvhdEntryType.ExtendedRangeStart:
                    if (_open)
                        return Fail(offset, type, "start of range while another range is open", _start.First, r.First);
                    if (type == (byte)IvhdEntryType.AliasRangeStart)
                        r.AliasSource = Le.U16(e, 5);
                    if (type == (byte)IvhdEntryType.ExtendedRangeStart)
                        r.ExtendedSetting = Le.U32(e, 4);
                    _start = r;
                    _open = true;
                    return false;
                case IvhdEntryType.RangeEnd:
                    if (!_open)
                        return Fail(offset, type, "end of range without a start of range", r.First, 0);
                    if (r.First < _start.First)
                        return Fail(offset, type, "end of range below its start", _start.First, r.First);
                    _open = false;
                    ushort last = r.First;
                    r = _start;
                    r.Last = last;
                    break;
                default:
                    return false;   // Pad4, Pad8 and reserved types carry nothing
            }
            range = r;
            return true;
        }

        private bool Fail(int offset, int type, string detail, ulong a, ulong b)
        {
            _error = AcpiError.Field(AcpiSignature.Ivrs, offset, detail, a, b);
            _error.EntryType = type;
            return false;
        }
    }
}
