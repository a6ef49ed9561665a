// Kernel stacks (boot, AP, IST, threads): 4 KiB aligned, each with a not-present guard page
// directly below, so an overflow faults (on the IST #DF stack) instead of corrupting the heap.
// Stacks made before the address space is ready get their guard pages once it is.
namespace Hv.Arch.Paging
{
    public static unsafe class Stacks
    {
        private const int MaxPending = 32;
        private static readonly ulong[] s_pending = new ulong[MaxPending];
        private static int s_pendingCount;
        private static bool s_ready;

        /// <summary>Set by the kernel once the frame allocator exists: N contiguous zeroed pages.</summary>
        public static delegate*<ulong, ulong> PageSource;

        /// <summary>Returns the top of a new stack of <paramref name="bytes"/> (rounded to pages).</summary>
        public static ulong Allocate(ulong bytes)
        {
            bytes = (bytes + 4095) & ~4095UL;
            ulong guard;
            if (PageSource != null) guard = PageSource(bytes / 4096 + 1);
            else guard = ((ulong)Internal.Runtime.Kernel.KernelHeap.Alloc((nuint)(bytes + 2 * 4096)) + 4095) & ~4095UL;
            AddGuard(guard);
            return guard + 4096 + bytes;
        }

        public static void AddGuard(ulong page)
        {
            if (s_ready) { KernelAddressSpace.MakeGuardPage(page); return; }
            if (s_pendingCount < MaxPending) s_pending[s_pendingCount++] = page;
        }

        /// <summary>Called once the kernel address space can change: applies the guard pages recorded so far.</summary>
        public static void AddressSpaceReady()
        {
            s_ready = true;
            for (int i = 0; i < s_pendingCount; i++) KernelAddressSpace.MakeGuardPage(s_pending[i]);
            s_pendingCount = 0;
        }
    }
}
