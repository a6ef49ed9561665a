// System.Runtime.CompilerServices.Unsafe: ilc supplies the IL of these [Intrinsic] methods
// itself (it recognises the type by name); the bodies here are never used.
namespace System.Runtime.CompilerServices
{
    public static unsafe class Unsafe
    {
        [Intrinsic] public static void* AsPointer<T>(ref readonly T value) => throw null;
        [Intrinsic] public static ref T AsRef<T>(void* source) => throw null;
        [Intrinsic] public static ref T AsRef<T>(scoped ref readonly T source) => throw null;
        [Intrinsic] public static T As<T>(object o) where T : class => throw null;
        [Intrinsic] public static ref TTo As<TFrom, TTo>(ref TFrom source) => throw null;
        [Intrinsic] public static ref T Add<T>(ref T source, int elementOffset) => throw null;
        [Intrinsic] public static ref T Add<T>(ref T source, nint elementOffset) => throw null;
        [Intrinsic] public static ref T Add<T>(ref T source, nuint elementOffset) => throw null;
        [Intrinsic] public static void* Add<T>(void* source, int elementOffset) => throw null;
        [Intrinsic] public static ref T Subtract<T>(ref T source, int elementOffset) => throw null;
        [Intrinsic] public static ref T AddByteOffset<T>(ref T source, nint byteOffset) => throw null;
        [Intrinsic] public static ref T AddByteOffset<T>(ref T source, nuint byteOffset) => throw null;
        [Intrinsic] public static nint ByteOffset<T>(ref readonly T origin, ref readonly T target) => throw null;
        [Intrinsic] public static int SizeOf<T>() => throw null;
        [Intrinsic] public static bool AreSame<T>(ref readonly T left, ref readonly T right) => throw null;
        [Intrinsic] public static bool IsAddressLessThan<T>(ref readonly T left, ref readonly T right) => throw null;
        [Intrinsic] public static bool IsAddressGreaterThan<T>(ref readonly T left, ref readonly T right) => throw null;
        [Intrinsic] public static bool IsNullRef<T>(ref readonly T source) => throw null;
        [Intrinsic] public static ref T NullRef<T>() => throw null;
        [Intrinsic] public static T Read<T>(void* source) => throw null;
        [Intrinsic] public static void Write<T>(void* destination, T value) => throw null;
        [Intrinsic] public static T ReadUnaligned<T>(void* source) => throw null;
        [Intrinsic] public static T ReadUnaligned<T>(scoped ref readonly byte source) => throw null;
        [Intrinsic] public static void WriteUnaligned<T>(void* destination, T value) => throw null;
        [Intrinsic] public static void WriteUnaligned<T>(ref byte destination, T value) => throw null;
        [Intrinsic] public static void SkipInit<T>(out T value) => throw null;
        [Intrinsic] public static void InitBlock(void* startAddress, byte value, uint byteCount) => throw null;
        [Intrinsic] public static void CopyBlock(void* destination, void* source, uint byteCount) => throw null;
    }

    public static class RuntimeHelpers
    {
        // Expanded by ilc when the field handle is a constant (array initialisers from C#).
        [Intrinsic] public static void InitializeArray(Array array, RuntimeFieldHandle fldHandle) => throw null;
        [Intrinsic] public static bool IsReferenceOrContainsReferences<T>() => throw null;
        [Intrinsic] public static bool IsKnownConstant(int t) => false;
        public static int OffsetToStringData => 12;
        public static int GetHashCode(object o) => o == null ? 0 : o.GetHashCode();
        public static ReadOnlySpan<T> CreateSpan<T>(RuntimeFieldHandle fldHandle) => throw null;
    }
}

namespace System.Threading
{
    using System.Runtime.CompilerServices;

    public static class Interlocked
    {
        [Intrinsic] public static int CompareExchange(ref int location1, int value, int comparand) => CompareExchange(ref location1, value, comparand);
        [Intrinsic] public static long CompareExchange(ref long location1, long value, long comparand) => CompareExchange(ref location1, value, comparand);
        [Intrinsic] public static nint CompareExchange(ref nint location1, nint value, nint comparand) => (nint)CompareExchange(ref System.Runtime.CompilerServices.Unsafe.As<nint, long>(ref location1), (long)value, (long)comparand);
        public static ulong CompareExchange(ref ulong location1, ulong value, ulong comparand) =>
            (ulong)CompareExchange(ref Unsafe.As<ulong, long>(ref location1), (long)value, (long)comparand);
        public static uint CompareExchange(ref uint location1, uint value, uint comparand) =>
            (uint)CompareExchange(ref Unsafe.As<uint, int>(ref location1), (int)value, (int)comparand);
        [Intrinsic] public static int Exchange(ref int location1, int value) => Exchange(ref location1, value);
        [Intrinsic] public static long Exchange(ref long location1, long value) => Exchange(ref location1, value);
        public static ulong Exchange(ref ulong location1, ulong value) => (ulong)Exchange(ref Unsafe.As<ulong, long>(ref location1), (long)value);
        public static uint Exchange(ref uint location1, uint value) => (uint)Exchange(ref Unsafe.As<uint, int>(ref location1), (int)value);
        [Intrinsic] public static int ExchangeAdd(ref int location1, int value) => ExchangeAdd(ref location1, value);
        [Intrinsic] public static long ExchangeAdd(ref long location1, long value) => ExchangeAdd(ref location1, value);
        public static int Add(ref int location1, int value) => ExchangeAdd(ref location1, value) + value;
        public static long Add(ref long location1, long value) => ExchangeAdd(ref location1, value) + value;
        public static int Increment(ref int location) => Add(ref location, 1);
        public static long Increment(ref long location) => Add(ref location, 1);
        public static int Decrement(ref int location) => Add(ref location, -1);
        public static long Decrement(ref long location) => Add(ref location, -1);
        [Intrinsic] public static void MemoryBarrier() => MemoryBarrier();
    }

    public static class Volatile
    {
        public static int Read(ref readonly int location) => location;
        public static long Read(ref readonly long location) => location;
        public static ulong Read(ref readonly ulong location) => location;
        public static bool Read(ref readonly bool location) => location;
        public static void Write(ref int location, int value) { location = value; }
    }
}
