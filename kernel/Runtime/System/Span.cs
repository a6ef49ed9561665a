// Span<T> and ReadOnlySpan<T>: a ref to the first element and a length (needs ref fields,
// RuntimeFeature.ByRefFields). Bounds are checked on every index.
using Internal.Runtime.Kernel;
using System.Runtime.CompilerServices;

namespace System
{
    public readonly ref struct Span<T>
    {
        internal readonly ref T _reference;
        private readonly int _length;

        public Span(T[] array)
        {
            if (array == null) { this = default; return; }
            _reference = ref Unsafe.As<byte, T>(ref array.GetRawArrayData());
            _length = array.Length;
        }

        public Span(T[] array, int start, int length)
        {
            if (array == null) { if (start != 0 || length != 0) ThrowHelpers.ThrowArgumentOutOfRangeException(); this = default; return; }
            if ((uint)start > (uint)array.Length || (uint)length > (uint)(array.Length - start)) ThrowHelpers.ThrowArgumentOutOfRangeException();
            _reference = ref Unsafe.Add(ref Unsafe.As<byte, T>(ref array.GetRawArrayData()), start);
            _length = length;
        }

        public unsafe Span(void* pointer, int length)
        {
            if (length < 0) ThrowHelpers.ThrowArgumentOutOfRangeException();
            _reference = ref Unsafe.AsRef<T>(pointer);
            _length = length;
        }

        public Span(ref T reference) { _reference = ref reference; _length = 1; }

        internal Span(ref T reference, int length) { _reference = ref reference; _length = length; }

        public ref T this[int index]
        {
            get
            {
                if ((uint)index >= (uint)_length) ThrowHelpers.ThrowIndexOutOfRangeException();
                return ref Unsafe.Add(ref _reference, index);
            }
        }

        public int Length => _length;
        public bool IsEmpty => _length == 0;
        public static Span<T> Empty => default;

        public Span<T> Slice(int start)
        {
            if ((uint)start > (uint)_length) ThrowHelpers.ThrowArgumentOutOfRangeException();
            return new Span<T>(ref Unsafe.Add(ref _reference, start), _length - start);
        }

        public Span<T> Slice(int start, int length)
        {
            if ((uint)start > (uint)_length || (uint)length > (uint)(_length - start)) ThrowHelpers.ThrowArgumentOutOfRangeException();
            return new Span<T>(ref Unsafe.Add(ref _reference, start), length);
        }

        public ref T GetPinnableReference() => ref (_length != 0 ? ref _reference : ref Unsafe.NullRef<T>());

        public void Clear() { for (int i = 0; i < _length; i++) Unsafe.Add(ref _reference, i) = default; }
        public void Fill(T value) { for (int i = 0; i < _length; i++) Unsafe.Add(ref _reference, i) = value; }

        public void CopyTo(Span<T> destination)
        {
            if ((uint)_length > (uint)destination.Length) ThrowHelpers.ThrowArgumentException();
            // Overlap-safe element copy (direction chosen by address).
            if (Unsafe.IsAddressLessThan(ref destination._reference, ref _reference))
                for (int i = 0; i < _length; i++) Unsafe.Add(ref destination._reference, i) = Unsafe.Add(ref _reference, i);
            else
                for (int i = _length - 1; i >= 0; i--) Unsafe.Add(ref destination._reference, i) = Unsafe.Add(ref _reference, i);
        }

        public T[] ToArray()
        {
            var a = new T[_length];
            for (int i = 0; i < _length; i++) a[i] = Unsafe.Add(ref _reference, i);
            return a;
        }

        public static implicit operator Span<T>(T[] array) => new Span<T>(array);
        public static implicit operator ReadOnlySpan<T>(Span<T> span) => new ReadOnlySpan<T>(ref span._reference, span._length);

        public Enumerator GetEnumerator() => new Enumerator(this);

        public ref struct Enumerator
        {
            private readonly Span<T> _span;
            private int _index;
            internal Enumerator(Span<T> span) { _span = span; _index = -1; }
            public bool MoveNext() => ++_index < _span.Length;
            public ref T Current => ref _span[_index];
        }
    }

    public readonly ref struct ReadOnlySpan<T>
    {
        internal readonly ref T _reference;
        private readonly int _length;

        public ReadOnlySpan(T[] array)
        {
            if (array == null) { this = default; return; }
            _reference = ref Unsafe.As<byte, T>(ref array.GetRawArrayData());
            _length = array.Length;
        }

        public ReadOnlySpan(T[] array, int start, int length)
        {
            if (array == null) { if (start != 0 || length != 0) ThrowHelpers.ThrowArgumentOutOfRangeException(); this = default; return; }
            if ((uint)start > (uint)array.Length || (uint)length > (uint)(array.Length - start)) ThrowHelpers.ThrowArgumentOutOfRangeException();
            _reference = ref Unsafe.Add(ref Unsafe.As<byte, T>(ref array.GetRawArrayData()), start);
            _length = length;
        }

        public unsafe ReadOnlySpan(void* pointer, int length)
        {
            if (length < 0) ThrowHelpers.ThrowArgumentOutOfRangeException();
            _reference = ref Unsafe.AsRef<T>(pointer);
            _length = length;
        }

        public ReadOnlySpan(ref readonly T reference) { _reference = ref Unsafe.AsRef(in reference); _length = 1; }

        internal ReadOnlySpan(ref T reference, int length) { _reference = ref reference; _length = length; }

        public ref readonly T this[int index]
        {
            get
            {
                if ((uint)index >= (uint)_length) ThrowHelpers.ThrowIndexOutOfRangeException();
                return ref Unsafe.Add(ref _reference, index);
            }
        }

        public int Length => _length;
        public bool IsEmpty => _length == 0;
        public static ReadOnlySpan<T> Empty => default;

        public ReadOnlySpan<T> Slice(int start)
        {
            if ((uint)start > (uint)_length) ThrowHelpers.ThrowArgumentOutOfRangeException();
            return new ReadOnlySpan<T>(ref Unsafe.Add(ref _reference, start), _length - start);
        }

        public ReadOnlySpan<T> Slice(int start, int length)
        {
            if ((uint)start > (uint)_length || (uint)length > (uint)(_length - start)) ThrowHelpers.ThrowArgumentOutOfRangeException();
            return new ReadOnlySpan<T>(ref Unsafe.Add(ref _reference, start), length);
        }

        public ref readonly T GetPinnableReference() => ref (_length != 0 ? ref _reference : ref Unsafe.NullRef<T>());

        public void CopyTo(Span<T> destination) => new Span<T>(ref _reference, _length).CopyTo(destination);

        public T[] ToArray()
        {
            var a = new T[_length];
            for (int i = 0; i < _length; i++) a[i] = Unsafe.Add(ref _reference, i);
            return a;
        }

        public static implicit operator ReadOnlySpan<T>(T[] array) => new ReadOnlySpan<T>(array);

        public Enumerator GetEnumerator() => new Enumerator(this);

        public ref struct Enumerator
        {
            private readonly ReadOnlySpan<T> _span;
            private int _index;
            internal Enumerator(ReadOnlySpan<T> span) { _span = span; _index = -1; }
            public bool MoveNext() => ++_index < _span.Length;
            public ref readonly T Current => ref _span[_index];
        }
    }

    public static class MemoryExtensions
    {
        // C# 14 compiles its built-in string -> ReadOnlySpan<char> conversion to a call of this
        // method, so it must build the span itself (converting would call itself).
        public static ReadOnlySpan<char> AsSpan(this string text) =>
            text == null ? default : new ReadOnlySpan<char>(ref text.GetRawStringData(), text.Length);

        public static ReadOnlySpan<char> AsSpan(this string text, int start) => AsSpan(text).Slice(start);

        public static ReadOnlySpan<char> AsSpan(this string text, int start, int length) => AsSpan(text).Slice(start, length);

        public static Span<T> AsSpan<T>(this T[] array) => new Span<T>(array);

        public static Span<T> AsSpan<T>(this T[] array, int start, int length) => new Span<T>(array, start, length);

        public static bool SequenceEqual<T>(this ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : IEquatable<T>
        {
            if (a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++) if (!a[i].Equals(b[i])) return false;
            return true;
        }

        public static bool SequenceEqual<T>(this Span<T> a, ReadOnlySpan<T> b) where T : IEquatable<T> => SequenceEqual((ReadOnlySpan<T>)a, b);
    }
}
