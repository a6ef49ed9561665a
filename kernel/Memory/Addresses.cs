// Typed addresses: three address spaces that must never be mixed up, so each is its own struct
// with no conversions between them (a host-physical frame is not a guest-physical address even
// when EPT/NPT maps one to the other). Arithmetic is checked and returns false on overflow.
using System;

namespace Hv.Memory
{
    /// <summary>A host-physical address: what the CPU puts on the bus, what host page tables and EPT/NPT leaves hold.</summary>
    public readonly struct HostPhysical : IEquatable<HostPhysical>, IComparable<HostPhysical>
    {
        public HostPhysical(ulong value) { Value = value; }

        public ulong Value { get; }

        /// <summary>The 4 KiB page number (address >> 12).</summary>
        public ulong PageNumber => Value >> PageSize.Shift4K;
        public ulong PageOffset => Value & (PageSize.Size4K - 1);
        public bool IsPageAligned => PageOffset == 0;

        /// <summary>The address of 4 KiB page <paramref name="pageNumber"/>; false when it does not fit in 64 bits.</summary>
        public static bool TryFromPageNumber(ulong pageNumber, out HostPhysical address)
        {
            bool ok = AddressMath.TryMultiply(pageNumber, PageSize.Size4K, out ulong v);
            address = new HostPhysical(v);
            return ok;
        }

        /// <summary>True when <paramref name="alignment"/> is a power of two and divides the address.</summary>
        public bool IsAligned(ulong alignment) => AddressMath.IsAligned(Value, alignment);

        public bool TryAdd(ulong bytes, out HostPhysical result)
        {
            bool ok = AddressMath.TryAdd(Value, bytes, out ulong v);
            result = new HostPhysical(v);
            return ok;
        }

        public bool TrySubtract(ulong bytes, out HostPhysical result)
        {
            bool ok = AddressMath.TrySubtract(Value, bytes, out ulong v);
            result = new HostPhysical(v);
            return ok;
        }

        /// <summary>Bytes from this address up to <paramref name="end"/>; false when <paramref name="end"/> is below it.</summary>
        public bool TryDistanceTo(HostPhysical end, out ulong bytes) => AddressMath.TrySubtract(end.Value, Value, out bytes);

        public bool TryAlignUp(ulong alignment, out HostPhysical result)
        {
            bool ok = AddressMath.TryAlignUp(Value, alignment, out ulong v);
            result = new HostPhysical(v);
            return ok;
        }

        public bool TryAlignDown(ulong alignment, out HostPhysical result)
        {
            bool ok = AddressMath.TryAlignDown(Value, alignment, out ulong v);
            result = new HostPhysical(v);
            return ok;
        }

        public bool Equals(HostPhysical other) => Value == other.Value;
        public override bool Equals(object obj) => obj is HostPhysical other && other.Value == Value;
        public override int GetHashCode() => Value.GetHashCode();
        public int CompareTo(HostPhysical other) => Value < other.Value ? -1 : Value > other.Value ? 1 : 0;
        public override string ToString() => AddressMath.Hex(Value);

        public static bool operator ==(HostPhysical a, HostPhysical b) => a.Value == b.Value;
        public static bool operator !=(HostPhysical a, HostPhysical b) => a.Value != b.Value;
        public static bool operator <(HostPhysical a, HostPhysical b) => a.Value < b.Value;
        public static bool operator >(HostPhysical a, HostPhysical b) => a.Value > b.Value;
        public static bool operator <=(HostPhysical a, HostPhysical b) => a.Value <= b.Value;
        public static bool operator >=(HostPhysical a, HostPhysical b) => a.Value >= b.Value;
    }

    /// <summary>A host-virtual address: what the hypervisor dereferences through its own page tables (CR3).</summary>
    public readonly struct HostVirtual : IEquatable<HostVirtual>, IComparable<HostVirtual>
    {
        public HostVirtual(ulong value) { Value = value; }

        public ulong Value { get; }

        /// <summary>The 4 KiB page number (address >> 12).</summary>
        public ulong PageNumber => Value >> PageSize.Shift4K;
        public ulong PageOffset => Value & (PageSize.Size4K - 1);
        public bool IsPageAligned => PageOffset == 0;

        /// <summary>The address of 4 KiB page <paramref name="pageNumber"/>; false when it does not fit in 64 bits.</summary>
        public static bool TryFromPageNumber(ulong pageNumber, out HostVirtual address)
        {
            bool ok = AddressMath.TryMultiply(pageNumber, PageSize.Size4K, out ulong v);
            address = new HostVirtual(v);
            return ok;
        }

        /// <summary>True when <paramref name="alignment"/> is a power of two and divides the address.</summary>
        public bool IsAligned(ulong alignment) => AddressMath.IsAligned(Value, alignment);

        public bool TryAdd(ulong bytes, out HostVirtual result)
        {
            bool ok = AddressMath.TryAdd(Value, bytes, out ulong v);
            result = new HostVirtual(v);
            return ok;
        }

        public bool TrySubtract(ulong bytes, out HostVirtual result)
        {
            bool ok = AddressMath.TrySubtract(Value, bytes, out ulong v);
            result = new HostVirtual(v);
            return ok;
        }

        /// <summary>Bytes from this address up to <paramref name="end"/>; false when <paramref name="end"/> is below it.</summary>
        public bool TryDistanceTo(HostVirtual end, out ulong bytes) => AddressMath.TrySubtract(end.Value, Value, out bytes);

        public bool TryAlignUp(ulong alignment, out HostVirtual result)
        {
            bool ok = AddressMath.TryAlignUp(Value, alignment, out ulong v);
            result = new HostVirtual(v);
            return ok;
        }

        public bool TryAlignDown(ulong alignment, out HostVirtual result)
        {
            bool ok = AddressMath.TryAlignDown(Value, alignment, out ulong v);
            result = new HostVirtual(v);
            return ok;
        }

        public bool Equals(HostVirtual other) => Value == other.Value;
        public override bool Equals(object obj) => obj is HostVirtual other && other.Value == Value;
        public override int GetHashCode() => Value.GetHashCode();
        public int CompareTo(HostVirtual other) => Value < other.Value ? -1 : Value > other.Value ? 1 : 0;
        public override string ToString() => AddressMath.Hex(Value);

        public static bool operator ==(HostVirtual a, HostVirtual b) => a.Value == b.Value;
        public static bool operator !=(HostVirtual a, HostVirtual b) => a.Value != b.Value;
        public static bool operator <(HostVirtual a, HostVirtual b) => a.Value < b.Value;
        public static bool operator >(HostVirtual a, HostVirtual b) => a.Value > b.Value;
        public static bool operator <=(HostVirtual a, HostVirtual b) => a.Value <= b.Value;
        public static bool operator >=(HostVirtual a, HostVirtual b) => a.Value >= b.Value;
    }

    /// <summary>A guest-physical address: what the guest's page tables produce, translated by EPT/NPT.</summary>
    public readonly struct GuestPhysical : IEquatable<GuestPhysical>, IComparable<GuestPhysical>
    {
        public GuestPhysical(ulong value) { Value = value; }

        public ulong Value { get; }

        /// <summary>The 4 KiB page number (address >> 12).</summary>
        public ulong PageNumber => Value >> PageSize.Shift4K;
        public ulong PageOffset => Value & (PageSize.Size4K - 1);
        public bool IsPageAligned => PageOffset == 0;

        /// <summary>The address of 4 KiB page <paramref name="pageNumber"/>; false when it does not fit in 64 bits.</summary>
        public static bool TryFromPageNumber(ulong pageNumber, out GuestPhysical address)
        {
            bool ok = AddressMath.TryMultiply(pageNumber, PageSize.Size4K, out ulong v);
            address = new GuestPhysical(v);
            return ok;
        }

        /// <summary>True when <paramref name="alignment"/> is a power of two and divides the address.</summary>
        public bool IsAligned(ulong alignment) => AddressMath.IsAligned(Value, alignment);

        public bool TryAdd(ulong bytes, out GuestPhysical result)
        {
            bool ok = AddressMath.TryAdd(Value, bytes, out ulong v);
            result = new GuestPhysical(v);
            return ok;
        }

        public bool TrySubtract(ulong bytes, out GuestPhysical result)
        {
            bool ok = AddressMath.TrySubtract(Value, bytes, out ulong v);
            result = new GuestPhysical(v);
            return ok;
        }

        /// <summary>Bytes from this address up to <paramref name="end"/>; false when <paramref name="end"/> is below it.</summary>
        public bool TryDistanceTo(GuestPhysical end, out ulong bytes) => AddressMath.TrySubtract(end.Value, Value, out bytes);

        public bool TryAlignUp(ulong alignment, out GuestPhysical result)
        {
            bool ok = AddressMath.TryAlignUp(Value, alignment, out ulong v);
            result = new GuestPhysical(v);
            return ok;
        }

        public bool TryAlignDown(ulong alignment, out GuestPhysical result)
        {
            bool ok = AddressMath.TryAlignDown(Value, alignment, out ulong v);
            result = new GuestPhysical(v);
            return ok;
        }

        public bool Equals(GuestPhysical other) => Value == other.Value;
        public override bool Equals(object obj) => obj is GuestPhysical other && other.Value == Value;
        public override int GetHashCode() => Value.GetHashCode();
        public int CompareTo(GuestPhysical other) => Value < other.Value ? -1 : Value > other.Value ? 1 : 0;
        public override string ToString() => AddressMath.Hex(Value);

        public static bool operator ==(GuestPhysical a, GuestPhysical b) => a.Value == b.Value;
        public static bool operator !=(GuestPhysical a, GuestPhysical b) => a.Value != b.Value;
        public static bool operator <(GuestPhysical a, GuestPhysical b) => a.Value < b.Value;
        public static bool operator >(GuestPhysical a, GuestPhysical b) => a.Value > b.Value;
        public static bool operator <=(GuestPhysical a, GuestPhysical b) => a.Value <= b.Value;
        public static bool operator >=(GuestPhysical a, GuestPhysical b) => a.Value >= b.Value;
    }
}
