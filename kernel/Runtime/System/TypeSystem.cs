// Types the compiler and ilc need to exist: value-type and enum bases, Nullable, delegates, the
// reflection handles (only as opaque tokens: there is no reflection in the kernel) and Type.
using Internal.Runtime;

namespace System
{
    public abstract class ValueType { }

    public abstract class Enum : ValueType { }

    public struct Nullable<T> where T : struct
    {
        private readonly bool hasValue;
        internal T value;

        public Nullable(T value) { this.value = value; hasValue = true; }
        public bool HasValue => hasValue;
        public T Value
        {
            get
            {
                if (!hasValue) Internal.Runtime.Kernel.ThrowHelpers.ThrowInvalidOperationException();
                return value;
            }
        }
        public T GetValueOrDefault() => value;
        public T GetValueOrDefault(T defaultValue) => hasValue ? value : defaultValue;
        public static implicit operator T?(T value) => new T?(value);
        public static explicit operator T(T? value) => value.Value;
    }

    public abstract class Delegate
    {
        // Field names and order are ilc's delegate contract: target object, helper object,
        // extra info and the code pointer.
        internal object m_firstParameter;
        internal object m_helperObject;
        internal nint m_extraFunctionPointerOrData;
        internal nint m_functionPointer;
    }

    public abstract class MulticastDelegate : Delegate { }

    public struct RuntimeTypeHandle
    {
        internal nint _value;
        internal unsafe RuntimeTypeHandle(MethodTable* mt) { _value = (nint)mt; }
    }

    public struct RuntimeMethodHandle { private nint _value; }
    public struct RuntimeFieldHandle { private nint _value; }

    public abstract class Type
    {
        public static unsafe Type GetTypeFromHandle(RuntimeTypeHandle handle) => new RuntimeType((MethodTable*)handle._value);
        public abstract RuntimeTypeHandle TypeHandle { get; }
    }

    internal sealed unsafe class RuntimeType : Type
    {
        private readonly MethodTable* _mt;
        internal RuntimeType(MethodTable* mt) { _mt = mt; }
        public override RuntimeTypeHandle TypeHandle => new RuntimeTypeHandle(_mt);
    }

    public interface IEquatable<T> { bool Equals(T other); }
    public interface IComparable { int CompareTo(object obj); }
    public interface IComparable<T> { int CompareTo(T other); }
    public interface IDisposable { void Dispose(); }
    public interface IFormattable { }
    public interface ICloneable { object Clone(); }

    public readonly struct ArraySegment<T>
    {
        private readonly T[] _array;
        private readonly int _offset;
        private readonly int _count;

        public ArraySegment(T[] array)
        {
            if (array == null) Internal.Runtime.Kernel.ThrowHelpers.ThrowArgumentNullException();
            _array = array; _offset = 0; _count = array.Length;
        }

        public ArraySegment(T[] array, int offset, int count)
        {
            if (array == null) Internal.Runtime.Kernel.ThrowHelpers.ThrowArgumentNullException();
            if (offset < 0 || count < 0 || offset > array.Length - count) Internal.Runtime.Kernel.ThrowHelpers.ThrowArgumentOutOfRangeException();
            _array = array; _offset = offset; _count = count;
        }

        public T[] Array => _array;
        public int Offset => _offset;
        public int Count => _count;

        public T this[int index]
        {
            get
            {
                if ((uint)index >= (uint)_count) Internal.Runtime.Kernel.ThrowHelpers.ThrowArgumentOutOfRangeException();
                return _array[_offset + index];
            }
        }
    }
}
