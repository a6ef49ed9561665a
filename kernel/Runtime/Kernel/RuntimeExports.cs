// Boxing and unboxing helpers that ilc-generated code calls (System.Runtime.RuntimeExports).
// Nullable<T> boxing is not supported (the kernel does not box nullables) and panics.
using Internal.Runtime;
using Internal.Runtime.Kernel;
using System.Runtime.CompilerServices;

namespace System.Runtime
{
    internal static unsafe class RuntimeExports
    {
        public static object RhBox(MethodTable* type, ref byte data)
        {
            object result = Allocator.NewObject(type);
            nuint size = PayloadSize(type);
            fixed (byte* src = &data)
                Buffer.Memmove((byte*)Unsafe.AsPointer(ref Unsafe.As<RawData>(result).Data), src, size);
            return result;
        }

        public static object RhBoxAny(ref byte data, MethodTable* type)
        {
            if (!type->IsValueType) return Unsafe.As<byte, object>(ref data);
            return RhBox(type, ref data);
        }

        public static ref byte RhUnbox2(MethodTable* expected, object obj)
        {
            if (obj == null || obj.m_pMethodTable != expected) ThrowHelpers.ThrowInvalidCastException();
            return ref Unsafe.As<RawData>(obj).Data;
        }

        public static void RhUnboxAny(object o, ref byte data, MethodTable* type)
        {
            if (type->IsValueType)
            {
                if (o == null || o.m_pMethodTable != type) ThrowHelpers.ThrowInvalidCastException();
                nuint size = PayloadSize(type);
                fixed (byte* dst = &data)
                    Buffer.Memmove(dst, (byte*)Unsafe.AsPointer(ref Unsafe.As<RawData>(o).Data), size);
            }
            else
            {
                if (o != null && !TypeCast.IsAssignable(o.m_pMethodTable, type)) ThrowHelpers.ThrowInvalidCastException();
                Unsafe.As<byte, object>(ref data) = o;
            }
        }

        public static void RhUnboxNullable(ref byte data, MethodTable* type, object obj) =>
            Panic.Fail("unboxing to Nullable<T> is not supported by the kernel runtime");

        /// <summary>
        /// Bytes of a boxed value. Primitives have exact sizes; for other structs the boxed size less
        /// header and type pointer (it may include tail padding, which both sides of a copy own).
        /// </summary>
        private static nuint PayloadSize(MethodTable* type)
        {
            switch (type->ElementType)
            {
                case 0x02: case 0x04: case 0x05: return 1;  // bool, sbyte, byte
                case 0x03: case 0x06: case 0x07: return 2;  // char, short, ushort
                case 0x08: case 0x09: case 0x0E: return 4;  // int, uint, float
                case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x0F: return 8;
                default: return type->BaseSize - (nuint)(2 * sizeof(nint));
            }
        }

        public static object RhNewObject(MethodTable* type) => Allocator.NewObject(type);
        public static object RhNewArray(MethodTable* type, int length) => Allocator.NewArray(type, length);
    }
}
