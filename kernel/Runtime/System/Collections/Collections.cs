// Collection interfaces and a minimal List<T> (docs/runtime.md: Add, Count, indexer, Clear,
// ToArray; iterate with `for`). Iced's decoder needs the interfaces and List<T> to exist.
using Internal.Runtime.Kernel;

namespace System.Collections
{
    public interface IEnumerable { IEnumerator GetEnumerator(); }
    public interface IEnumerator { bool MoveNext(); object Current { get; } void Reset(); }
    public interface ICollection : IEnumerable { int Count { get; } }
    public interface IList : ICollection { }
}

namespace System.Collections.Generic
{
    public interface IEnumerable<out T> : IEnumerable { new IEnumerator<T> GetEnumerator(); }
    public interface IEnumerator<out T> : IDisposable, IEnumerator { new T Current { get; } }
    public interface IReadOnlyCollection<out T> : IEnumerable<T> { int Count { get; } }
    public interface IReadOnlyList<out T> : IReadOnlyCollection<T> { T this[int index] { get; } }
    public interface ICollection<T> : IEnumerable<T> { int Count { get; } void Add(T item); void Clear(); }
    public interface IList<T> : ICollection<T> { T this[int index] { get; set; } }
    public interface IEqualityComparer<in T> { bool Equals(T x, T y); int GetHashCode(T obj); }
    public interface IComparer<in T> { int Compare(T x, T y); }

    public class List<T>
    {
        private T[] _items;
        private int _size;

        public List() { _items = Array.Empty<T>(); }

        public List(int capacity)
        {
            if (capacity < 0) ThrowHelpers.ThrowArgumentOutOfRangeException();
            _items = capacity == 0 ? Array.Empty<T>() : new T[capacity];
        }

        public int Count => _size;
        public int Capacity => _items.Length;

        public T this[int index]
        {
            get
            {
                if ((uint)index >= (uint)_size) ThrowHelpers.ThrowArgumentOutOfRangeException();
                return _items[index];
            }
            set
            {
                if ((uint)index >= (uint)_size) ThrowHelpers.ThrowArgumentOutOfRangeException();
                _items[index] = value;
            }
        }

        public void Add(T item)
        {
            if (_size == _items.Length) Grow(_size + 1);
            _items[_size++] = item;
        }

        public void Insert(int index, T item)
        {
            if ((uint)index > (uint)_size) ThrowHelpers.ThrowArgumentOutOfRangeException();
            if (_size == _items.Length) Grow(_size + 1);
            for (int i = _size; i > index; i--) _items[i] = _items[i - 1];
            _items[index] = item;
            _size++;
        }

        public void RemoveAt(int index)
        {
            if ((uint)index >= (uint)_size) ThrowHelpers.ThrowArgumentOutOfRangeException();
            _size--;
            for (int i = index; i < _size; i++) _items[i] = _items[i + 1];
            _items[_size] = default;
        }

        public void Clear()
        {
            for (int i = 0; i < _size; i++) _items[i] = default;
            _size = 0;
        }

        public T[] ToArray()
        {
            var a = new T[_size];
            for (int i = 0; i < _size; i++) a[i] = _items[i];
            return a;
        }

        private void Grow(int min)
        {
            int cap = _items.Length == 0 ? 4 : _items.Length * 2;
            if (cap < min) cap = min;
            Array.Resize(ref _items, cap);
        }
    }
}
