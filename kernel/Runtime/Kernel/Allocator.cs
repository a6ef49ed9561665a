// Object allocation entry points that ilc-generated code calls (.NET 10 names).
// An object reference points at the MethodTable pointer; an 8-byte header lies before it
// and is counted in BaseSize.
using System;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace Internal.Runtime.Kernel
{
    internal static unsafe class Allocator
    {
        [RuntimeExport("RhpNewFast")]
        internal static object NewObject(MethodTable* mt)
        {
            byte* block = (byte*)KernelHeap.Alloc(mt->BaseSize);
            *(MethodTable**)(block + 8) = mt;
            return ObjectAt(block + 8);
        }

        [RuntimeExport("RhpNewFinalizable")]
        internal static object NewFinalizable(MethodTable* mt) => NewObject(mt); // finalizers never run

        [RuntimeExport("RhpNewArrayFast")]
        internal static object NewArray(MethodTable* mt, int length)
        {
            if (length < 0) ThrowHelpers.ThrowOverflowException();
            ulong size = mt->BaseSize + (ulong)length * mt->ComponentSize;
            if (size > 1UL << 31) Panic.Fail("array too large", size, "bytes requested");
            size = (size + 7) & ~7UL;
            byte* block = (byte*)KernelHeap.Alloc((nuint)size);
            *(MethodTable**)(block + 8) = mt;
            *(int*)(block + 16) = length;
            return ObjectAt(block + 8);
        }

        [RuntimeExport("RhpNewPtrArrayFast")]
        internal static object NewPtrArray(MethodTable* mt, int length) => NewArray(mt, length);

        [RuntimeExport("RhpNewArray")]
        internal static object NewArraySlow(MethodTable* mt, int length) => NewArray(mt, length);

        [RuntimeExport("RhNewString")]
        internal static object NewString(MethodTable* mt, int length) => NewArray(mt, length);

        private static object ObjectAt(byte* p) => Unsafe.As<IntPtr, object>(ref *(IntPtr*)&p);
    }
}
