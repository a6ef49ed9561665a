// Exercises what the corelib promises (docs/runtime.md) inside the image. .NET 10 stack-allocates
// objects that do not escape and folds calls it can see through, so every object here is stored
// in a static first (toolchain.md): the test then measures the runtime, not the optimiser.
// Returns null on success, else what failed. Also runs on the host (tests/Unit/SelfTest).
using System;

namespace Hv.SelfTest
{
    public static unsafe class RuntimeSelfTest
    {
        private interface IShape { int Area(); string Name { get; } }
        private interface IScaled { int Scale(int k); }
        private abstract class Shape : IShape
        {
            public abstract int Area();
            public virtual string Name => "shape";
        }
        private sealed class Rect : Shape, IScaled
        {
            public int W, H;
            public override int Area() => W * H;
            public override string Name => "rect";
            public int Scale(int k) => W * H * k;
        }
        private sealed class Square : Shape
        {
            public int S;
            public override int Area() => S * S;
        }
        private struct Pair<T> { public T A, B; }
        private sealed class Box<T> { public T Value; public T Get() => Value; }

        private static class Lazy
        {
            public static readonly int[] Table = Make();
            public static int Constructed;
            private static int[] Make() { Constructed++; var t = new int[16]; for (int i = 0; i < t.Length; i++) t[i] = i * i; return t; }
        }

        private static object s_escape;
        private static IShape[] s_shapes;
        private static int s_counter = 41;

        private static int Twice(int x) => 2 * x;

        public static string Run()
        {
            // Objects, fields, virtual and interface dispatch (two types behind one call site,
            // which makes the monomorphic cache miss and resolve again).
            s_shapes = new IShape[] { new Rect { W = 3, H = 4 }, new Square { S = 5 }, new Rect { W = 1, H = 2 } };
            int sum = 0;
            for (int round = 0; round < 3; round++)
                for (int i = 0; i < s_shapes.Length; i++) sum += s_shapes[i].Area();
            if (sum != 3 * (12 + 25 + 2)) return "interface dispatch: sum " + sum.ToString();
            if (s_shapes[0].Name != "rect" || s_shapes[1].Name != "shape") return "virtual property dispatch";

            // Casts: is/as over classes and interfaces, failed casts give null.
            s_escape = s_shapes[0];
            if (!(s_escape is IScaled scaled) || scaled.Scale(2) != 24) return "cast to a second interface";
            s_escape = s_shapes[1];
            if (s_escape is IScaled) return "cast to an interface the type lacks";
            if (!(s_escape is Shape) || s_escape is Rect) return "class casts";
            object arr = new string[] { "x" };
            s_escape = arr;
            if (!(s_escape is object[]) || !(s_escape is string[])) return "array covariance cast";

            // Strings.
            string s = "hyper" + "visor";
            s_escape = s;
            string t = (string)s_escape;
            if (t.Length != 10 || t[5] != 'v' || t != "hypervisor" || t.Substring(5) != "visor") return "string operations";
            if ((-1234567890123L).ToString() != "-1234567890123" || ulong.MaxValue.ToString() != "18446744073709551615") return "integer formatting";

            // Arrays, generics over value and reference types.
            var pairs = new Pair<long>[4];
            for (int i = 0; i < pairs.Length; i++) { pairs[i].A = i; pairs[i].B = (long)i << 40; }
            if (pairs[3].B != 3L << 40) return "array of generic structs";
            var box = new Box<string> { Value = "boxed" };
            var ibox = new Box<int> { Value = 7 };
            s_escape = box;
            if (((Box<string>)s_escape).Get() != "boxed" || ibox.Get() != 7) return "generic classes";
            var list = new System.Collections.Generic.List<int>();
            for (int i = 0; i < 100; i++) list.Add(i);
            if (list.Count != 100 || list[99] != 99) return "List<T>";
            object boxed = 42;
            s_escape = boxed;
            if (!(s_escape is int bi) || bi != 42) return "boxing and unboxing";

            // Statics: a static constructor runs once, on first use; preinitialised statics hold.
            if (Lazy.Table[7] != 49 || Lazy.Table[15] != 225 || Lazy.Constructed != 1) return "static constructor";
            if (++s_counter != 42) return "static field";

            // Span, stackalloc, function pointers.
            System.Span<int> span = stackalloc int[8];
            for (int i = 0; i < span.Length; i++) span[i] = i + 1;
            int spanSum = 0;
            foreach (int v in span.Slice(2, 3)) spanSum += v;
            if (spanSum != 3 + 4 + 5) return "Span slice and enumeration";
            System.ReadOnlySpan<char> chars = "abcdef".AsSpan(1, 3);
            if (chars.Length != 3 || chars[2] != 'd') return "string AsSpan";
            delegate*<int, int> fp = &Twice;
            if (fp(21) != 42) return "function pointer";

            // 2 MiB of small objects: the heap grows past the early region without trouble.
            object last = null;
            for (int i = 0; i < 20000; i++) last = new byte[100];
            s_escape = last;
            if (((byte[])s_escape).Length != 100) return "many allocations";
            return null;
        }
    }
}
