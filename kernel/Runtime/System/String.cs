// System.String. Layout fixed by ilc: length (int) then UTF-16 chars, NUL-terminated.
// ilc turns `new string(...)` into calls of the static Ctor methods of the same signature.
using Internal.Runtime;
using Internal.Runtime.Kernel;
using System.Runtime.CompilerServices;

namespace System
{
    public sealed unsafe class String : IEquatable<string>
    {
        private int _stringLength;
        private char _firstChar;

        public static readonly string Empty = "";

        public int Length => _stringLength;

        [IndexerName("Chars")]
        public char this[int index]
        {
            get
            {
                if ((uint)index >= (uint)_stringLength) ThrowHelpers.ThrowIndexOutOfRangeException();
                return Unsafe.Add(ref _firstChar, index);
            }
        }

        internal ref char GetRawStringData() => ref _firstChar;

        internal static string FastAllocateString(int length)
        {
            if (length == 0) return Empty;
            if (length < 0) ThrowHelpers.ThrowOverflowException();
            return Unsafe.As<string>(Allocator.NewArray(MethodTable.Of<string>(), length));
        }

        [MethodImpl(MethodImplOptions.InternalCall)] public extern String(char[] value, int startIndex, int length);
        [MethodImpl(MethodImplOptions.InternalCall)] public extern String(char* value, int startIndex, int length);
        [MethodImpl(MethodImplOptions.InternalCall)] public extern String(ReadOnlySpan<char> value);
        [MethodImpl(MethodImplOptions.InternalCall)] public extern String(char c, int count);

        private static string Ctor(char[] value, int startIndex, int length)
        {
            if (value == null || (uint)startIndex > (uint)value.Length || (uint)length > (uint)(value.Length - startIndex))
                ThrowHelpers.ThrowArgumentOutOfRangeException();
            fixed (char* p = value) return Ctor(p, startIndex, length);
        }

        private static string Ctor(char* value, int startIndex, int length)
        {
            string s = FastAllocateString(length);
            for (int i = 0; i < length; i++) Unsafe.Add(ref s._firstChar, i) = value[startIndex + i];
            return s;
        }

        private static string Ctor(ReadOnlySpan<char> value)
        {
            string s = FastAllocateString(value.Length);
            for (int i = 0; i < value.Length; i++) Unsafe.Add(ref s._firstChar, i) = value[i];
            return s;
        }

        private static string Ctor(char c, int count)
        {
            string s = FastAllocateString(count);
            for (int i = 0; i < count; i++) Unsafe.Add(ref s._firstChar, i) = c;
            return s;
        }

        internal static string FromChar(char c) => Ctor(c, 1);

        public string Substring(int startIndex) => Substring(startIndex, _stringLength - startIndex);

        public string Substring(int startIndex, int length)
        {
            if ((uint)startIndex > (uint)_stringLength || (uint)length > (uint)(_stringLength - startIndex))
                ThrowHelpers.ThrowArgumentOutOfRangeException();
            if (startIndex == 0 && length == _stringLength) return this;
            fixed (char* p = &_firstChar) return Ctor(p, startIndex, length);
        }

        public static string Concat(string a, string b) => Concat(a, b, null, null);
        public static string Concat(string a, string b, string c) => Concat(a, b, c, null);

        public static string Concat(string a, string b, string c, string d)
        {
            int len = (a?.Length ?? 0) + (b?.Length ?? 0) + (c?.Length ?? 0) + (d?.Length ?? 0);
            string s = FastAllocateString(len);
            int pos = 0;
            Append(s, ref pos, a); Append(s, ref pos, b); Append(s, ref pos, c); Append(s, ref pos, d);
            return s;
        }

        public static string Concat(params string[] values)
        {
            string r = Empty;
            if (values != null) for (int i = 0; i < values.Length; i++) r = Concat(r, values[i]);
            return r;
        }

        public static string Concat(object a, object b) => Concat(a?.ToString(), b?.ToString());
        public static string Concat(object a, object b, object c) => Concat(a?.ToString(), b?.ToString(), c?.ToString());

        private static void Append(string dst, ref int pos, string src)
        {
            if (src == null) return;
            for (int i = 0; i < src.Length; i++) Unsafe.Add(ref dst._firstChar, pos + i) = src[i];
            pos += src.Length;
        }

        public static bool IsNullOrEmpty(string s) => s == null || s.Length == 0;

        public static bool Equals(string a, string b)
        {
            if ((object)a == b) return true;
            if (a is null || b is null || a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) return false;
            return true;
        }

        public bool Equals(string other) => Equals(this, other);
        public override bool Equals(object obj) => obj is string s && Equals(this, s);
        public static bool operator ==(string a, string b) => Equals(a, b);
        public static bool operator !=(string a, string b) => !Equals(a, b);

        public override int GetHashCode()
        {
            // FNV-1a over the UTF-16 units: deterministic (no per-boot seed; no hash-flooding input here).
            uint h = 2166136261;
            for (int i = 0; i < _stringLength; i++) h = (h ^ this[i]) * 16777619;
            return (int)h;
        }

        public override string ToString() => this;

        public static implicit operator ReadOnlySpan<char>(string value) =>
            value == null ? default : new ReadOnlySpan<char>(ref value._firstChar, value._stringLength);
    }
}
