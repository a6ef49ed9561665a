// The root of the type system. ilc requires the field name m_pMethodTable (toolchain.md).
using Internal.Runtime;
using System.Runtime.CompilerServices;

namespace System
{
    public unsafe class Object
    {
        // The object's type: the first word of every object (the 8-byte header lies before it).
        internal MethodTable* m_pMethodTable;

        public Object() { }

        public virtual bool Equals(object obj) => this == obj;
        public virtual int GetHashCode() => (int)(nint)Unsafe.AsPointer(ref Unsafe.As<RawData>(this).Data);
        public virtual string ToString() => "System.Object";

        public static bool ReferenceEquals(object a, object b) => a == b;

        internal MethodTable* GetMethodTable() => m_pMethodTable;
    }

    /// <summary>View of an object's fields, used to get the address of its first field.</summary>
    internal class RawData
    {
        public byte Data;
    }

    /// <summary>View of an array: length word, then elements (padded to pointer alignment on x64).</summary>
    internal class RawArrayData
    {
        public uint Length;
        public uint Padding;
        public byte Data;
    }
}
