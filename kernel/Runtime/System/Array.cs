// Arrays. ilc needs System.Array (the length word) and System.Array<T> (the template that
// single-dimension arrays T[] derive from).
using Internal.Runtime;
using Internal.Runtime.Kernel;
using System.Runtime.CompilerServices;

namespace System
{
    public abstract unsafe class Array
    {
        private int _numComponents;

        public int Length => _numComponents;
        public long LongLength => _numComponents;
        public int Rank => 1;

        internal ref byte GetRawArrayData() => ref Unsafe.As<RawArrayData>(this).Data;

        public static T[] Empty<T>() => EmptyArray<T>.Value;

        public static void Resize<T>(ref T[] array, int newSize)
        {
            if (newSize < 0) ThrowHelpers.ThrowArgumentOutOfRangeException();
            T[] old = array;
            T[] copy = new T[newSize];
            if (old != null)
            {
                int n = old.Length < newSize ? old.Length : newSize;
                for (int i = 0; i < n; i++) copy[i] = old[i];
            }
            array = copy;
        }

        public static void Copy(Array source, int sourceIndex, Array destination, int destinationIndex, int length)
        {
            if (source == null || destination == null) ThrowHelpers.ThrowArgumentNullException();
            MethodTable* mt = source.m_pMethodTable;
            if (mt != destination.m_pMethodTable) ThrowHelpers.ThrowArrayTypeMismatchException();
            if (sourceIndex < 0 || destinationIndex < 0 || length < 0 ||
                sourceIndex > source.Length - length || destinationIndex > destination.Length - length)
                ThrowHelpers.ThrowArgumentOutOfRangeException();
            nuint size = mt->ComponentSize;
            Buffer.Memmove(
                (byte*)Unsafe.AsPointer(ref destination.GetRawArrayData()) + (nuint)destinationIndex * size,
                (byte*)Unsafe.AsPointer(ref source.GetRawArrayData()) + (nuint)sourceIndex * size,
                (nuint)length * size);
        }

        public static void Copy(Array source, Array destination, int length) => Copy(source, 0, destination, 0, length);

        public static void Clear(Array array, int index, int length)
        {
            if (array == null) ThrowHelpers.ThrowArgumentNullException();
            if (index < 0 || length < 0 || index > array.Length - length) ThrowHelpers.ThrowArgumentOutOfRangeException();
            nuint size = array.m_pMethodTable->ComponentSize;
            Buffer.ZeroMemory((byte*)Unsafe.AsPointer(ref array.GetRawArrayData()) + (nuint)index * size, (nuint)length * size);
        }
    }

    public class Array<T> : Array { }

    internal static class EmptyArray<T>
    {
        internal static readonly T[] Value = new T[0];
    }
}
