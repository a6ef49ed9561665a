// Casts and array-store checks that ilc-generated code calls (isinst/castclass/stelem.ref).
// Supported: class hierarchy, interfaces listed in a type's interface map, arrays whose element
// types are identical or (for reference elements) assignable. Generic variance is not.
using Internal.Runtime;
using Internal.Runtime.Kernel;
using System.Runtime.CompilerServices;

namespace System.Runtime
{
    internal static unsafe class TypeCast
    {
        internal static bool IsAssignable(MethodTable* source, MethodTable* target)
        {
            if (source == target) return true;
            if (target->IsInterface) return ImplementsInterface(source, target);
            if (source->IsArray)
            {
                if (target == MethodTable.Of<Array>() || target == MethodTable.Of<object>()) return true;
                if (!target->IsArray || source->BaseSize != target->BaseSize) return false;
                MethodTable* se = source->RelatedType, te = target->RelatedType;
                if (se == te) return true;
                return !se->IsValueType && !te->IsValueType && IsAssignable(se, te);
            }
            for (MethodTable* t = source->BaseType; t != null; t = t->BaseType)
                if (t == target) return true;
            return false;
        }

        private static bool ImplementsInterface(MethodTable* type, MethodTable* iface)
        {
            MethodTable** map = type->InterfaceMap;
            for (int i = 0; i < type->NumInterfaces; i++)
                if (map[i] == iface) return true;
            return false;
        }

        public static object IsInstanceOfClass(MethodTable* target, object obj) =>
            obj == null || IsAssignable(obj.m_pMethodTable, target) ? obj : null;
        public static object IsInstanceOfInterface(MethodTable* target, object obj) => IsInstanceOfClass(target, obj);
        public static object IsInstanceOfAny(MethodTable* target, object obj) => IsInstanceOfClass(target, obj);
        public static object IsInstanceOfException(MethodTable* target, object obj) => IsInstanceOfClass(target, obj);

        public static object CheckCastAny(MethodTable* target, object obj) => Check(target, obj);
        public static object CheckCastInterface(MethodTable* target, object obj) => Check(target, obj);
        public static object CheckCastClass(MethodTable* target, object obj) => Check(target, obj);
        public static object CheckCastClassSpecial(MethodTable* target, object obj) => Check(target, obj);
        public static object ChkCastAny(MethodTable* target, object obj) => Check(target, obj);
        public static object ChkCastInterface(MethodTable* target, object obj) => Check(target, obj);
        public static object ChkCastClass(MethodTable* target, object obj) => Check(target, obj);
        public static object ChkCastClassSpecial(MethodTable* target, object obj) => Check(target, obj);

        private static object Check(MethodTable* target, object obj)
        {
            if (obj == null || IsAssignable(obj.m_pMethodTable, target)) return obj;
            ThrowHelpers.ThrowInvalidCastException();
            return null;
        }

        public static void StelemRef(object[] array, nint index, object obj)
        {
            if ((nuint)index >= (nuint)array.Length) ThrowHelpers.ThrowIndexOutOfRangeException();
            ref object slot = ref Unsafe.Add(ref Unsafe.As<byte, object>(ref array.GetRawArrayData()), index);
            if (obj != null && !IsAssignable(obj.m_pMethodTable, array.m_pMethodTable->RelatedType))
                ThrowHelpers.ThrowArrayTypeMismatchException();
            slot = obj;
        }

        public static ref object LdelemaRef(object[] array, nint index, MethodTable* elementType)
        {
            if ((nuint)index >= (nuint)array.Length) ThrowHelpers.ThrowIndexOutOfRangeException();
            if (elementType != array.m_pMethodTable->RelatedType) ThrowHelpers.ThrowArrayTypeMismatchException();
            return ref Unsafe.Add(ref Unsafe.As<byte, object>(ref array.GetRawArrayData()), index);
        }

        public static bool AreTypesEquivalent(MethodTable* a, MethodTable* b) => a == b;
    }
}
