namespace System
{
    public static unsafe class Buffer
    {
        /// <summary>Overlap-safe copy.</summary>
        internal static void Memmove(byte* dest, byte* src, nuint len)
        {
            if (dest == src || len == 0) return;
            if (dest < src || dest >= src + len)
                for (nuint i = 0; i < len; i++) dest[i] = src[i];
            else
                for (nuint i = len; i > 0; i--) dest[i - 1] = src[i - 1];
        }

        internal static void ZeroMemory(byte* dest, nuint len)
        {
            for (nuint i = 0; i < len; i++) dest[i] = 0;
        }

        // ilc calls this for struct copies that contain object references (no GC: a plain move).
        internal static void BulkMoveWithWriteBarrier(ref byte destination, ref byte source, nuint byteCount)
        {
            fixed (byte* d = &destination, s = &source) Memmove(d, s, byteCount);
        }

        public static void MemoryCopy(void* source, void* destination, long destinationSizeInBytes, long sourceBytesToCopy)
        {
            if (sourceBytesToCopy > destinationSizeInBytes) Internal.Runtime.Kernel.ThrowHelpers.ThrowArgumentOutOfRangeException();
            Memmove((byte*)destination, (byte*)source, (nuint)sourceBytesToCopy);
        }
    }
}
