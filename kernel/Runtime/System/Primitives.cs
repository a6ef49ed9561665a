// The primitive value types. Arithmetic on them is done by the compiler; these declarations give
// ilc their names and the few members kernel code uses (docs/runtime.md).
using System.Runtime.CompilerServices;

namespace System
{
    public struct Void { }

    public struct Boolean
    {
        private bool m_value;
        public override string ToString() => m_value ? "True" : "False";
    }

    public struct Char : IEquatable<char>
    {
        private char m_value;
        public const char MaxValue = (char)0xFFFF;
        public const char MinValue = (char)0;
        public bool Equals(char other) => m_value == other;
        public override bool Equals(object obj) => obj is char c && c == m_value;
        public override int GetHashCode() => m_value;
        public override string ToString() => string.FromChar(m_value);
    }

    public struct SByte : IEquatable<sbyte>
    {
        private sbyte m_value;
        public const sbyte MaxValue = 0x7F;
        public const sbyte MinValue = -0x80;
        public bool Equals(sbyte other) => m_value == other;
        public override int GetHashCode() => m_value;
        public override string ToString() => Number.Format(m_value);
    }

    public struct Byte : IEquatable<byte>
    {
        private byte m_value;
        public const byte MaxValue = 0xFF;
        public const byte MinValue = 0;
        public bool Equals(byte other) => m_value == other;
        public override int GetHashCode() => m_value;
        public override string ToString() => Number.Format((ulong)m_value);
    }

    public struct Int16 : IEquatable<short>
    {
        private short m_value;
        public const short MaxValue = 0x7FFF;
        public const short MinValue = -0x8000;
        public bool Equals(short other) => m_value == other;
        public override int GetHashCode() => m_value;
        public override string ToString() => Number.Format(m_value);
    }

    public struct UInt16 : IEquatable<ushort>
    {
        private ushort m_value;
        public const ushort MaxValue = 0xFFFF;
        public const ushort MinValue = 0;
        public bool Equals(ushort other) => m_value == other;
        public override int GetHashCode() => m_value;
        public override string ToString() => Number.Format((ulong)m_value);
    }

    public struct Int32 : IEquatable<int>
    {
        private int m_value;
        public const int MaxValue = 0x7FFFFFFF;
        public const int MinValue = unchecked((int)0x80000000);
        public bool Equals(int other) => m_value == other;
        public override bool Equals(object obj) => obj is int i && i == m_value;
        public override int GetHashCode() => m_value;
        public override string ToString() => Number.Format(m_value);
    }

    public struct UInt32 : IEquatable<uint>
    {
        private uint m_value;
        public const uint MaxValue = 0xFFFFFFFF;
        public const uint MinValue = 0;
        public bool Equals(uint other) => m_value == other;
        public override int GetHashCode() => (int)m_value;
        public override string ToString() => Number.Format((ulong)m_value);
    }

    public struct Int64 : IEquatable<long>
    {
        private long m_value;
        public const long MaxValue = 0x7FFFFFFFFFFFFFFF;
        public const long MinValue = unchecked((long)0x8000000000000000);
        public bool Equals(long other) => m_value == other;
        public override int GetHashCode() => (int)m_value ^ (int)(m_value >> 32);
        public override string ToString() => Number.Format(m_value);
    }

    public struct UInt64 : IEquatable<ulong>
    {
        private ulong m_value;
        public const ulong MaxValue = 0xFFFFFFFFFFFFFFFF;
        public const ulong MinValue = 0;
        public bool Equals(ulong other) => m_value == other;
        public override int GetHashCode() => (int)m_value ^ (int)(m_value >> 32);
        public override string ToString() => Number.Format(m_value);
    }

    public struct Single { private float m_value; }
    public struct Double { private double m_value; }

    // nint/nuint: with RuntimeFeature.NumericIntPtr the compiler treats IntPtr as nint.
    public unsafe struct IntPtr : IEquatable<nint>
    {
        private void* _value;
        public static readonly nint Zero;
        public static int Size => sizeof(nint);
        public IntPtr(void* value) { _value = value; }
        public IntPtr(int value) { _value = (void*)value; }
        public IntPtr(long value) { _value = (void*)value; }
        public void* ToPointer() => _value;
        public long ToInt64() => (long)_value;
        public int ToInt32() => (int)(long)_value;
        public bool Equals(nint other) => _value == (void*)other;
        public override int GetHashCode() => (int)(long)_value;
        public override string ToString() => Number.Format((long)_value);
    }

    public unsafe struct UIntPtr : IEquatable<nuint>
    {
        private void* _value;
        public static readonly nuint Zero;
        public UIntPtr(void* value) { _value = value; }
        public UIntPtr(ulong value) { _value = (void*)value; }
        public void* ToPointer() => _value;
        public ulong ToUInt64() => (ulong)_value;
        public bool Equals(nuint other) => _value == (void*)other;
        public override int GetHashCode() => (int)(ulong)_value;
        public override string ToString() => Number.Format((ulong)_value);
    }
}
