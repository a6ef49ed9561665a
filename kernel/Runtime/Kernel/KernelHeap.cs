// The kernel heap: bump allocation over regions handed in by the kernel, never freed (there is
// no GC; docs/runtime.md gives the rules this implies). Starts on an early region inside the
// image (.bss) so static constructors can run before UEFI memory is available.
using System;
using System.Threading;

namespace Internal.Runtime.Kernel
{
    public static unsafe class KernelHeap
    {
        private const int MaxRegions = 16;
        private static nuint* s_start;   // arrays of MaxRegions, in the early region itself
        private static nuint* s_end;
        private static nint s_cursor;     // next free byte of the current region
        private static int s_current;
        private static int s_count;
        private static long s_allocated;
        private static long s_capacity;
        private static int s_lock;

        public static long BytesAllocated => s_allocated;
        public static long BytesCapacity => s_capacity;

        internal static void InitializeEarly()
        {
            byte* early = Native.hv_early_heap(out nuint size);
            // The two region tables live at the start of the early region (zeroed by the loader).
            s_start = (nuint*)early;
            s_end = s_start + MaxRegions;
            nuint tables = (nuint)(2 * MaxRegions * sizeof(nuint));
            s_start[0] = (nuint)early + tables;
            s_end[0] = (nuint)early + size;
            s_count = 1;
            s_current = 0;
            s_cursor = (nint)s_start[0];
            s_capacity = (long)(size - tables);
        }

        /// <summary>Adds a region of memory (it is zeroed here). Returns false when the table is full.</summary>
        public static bool AddRegion(void* start, nuint size)
        {
            Buffer.ZeroMemory((byte*)start, size);
            bool irq = Lock();
            bool ok = s_count < MaxRegions;
            if (ok)
            {
                s_start[s_count] = (nuint)start;
                s_end[s_count] = (nuint)start + size;
                s_count++;
                s_capacity += (long)size;
            }
            Unlock(irq);
            return ok;
        }

        /// <summary>Zeroed, 16-byte aligned memory. Panics when the heap is exhausted.</summary>
        public static void* Alloc(nuint size)
        {
            size = (size + 15) & ~(nuint)15;
            bool irq = Lock();
            while (true)
            {
                nuint cursor = (nuint)s_cursor;
                if (size <= s_end[s_current] - cursor)
                {
                    s_cursor = (nint)(cursor + size);
                    s_allocated += (long)size;
                    Unlock(irq);
                    return (void*)cursor;
                }
                if (s_current + 1 >= s_count)
                {
                    Unlock(irq);
                    Panic.Fail("kernel heap exhausted", (ulong)size, "bytes requested");
                }
                s_current++;
                s_cursor = (nint)((s_start[s_current] + 15) & ~(nuint)15);
            }
        }

        // Interrupts are off while the lock is held: a thread preempted holding it would otherwise
        // deadlock the next allocation on its CPU.
        private static bool Lock()
        {
            bool irq = Native.hv_disable_interrupts() != 0;
            while (Interlocked.CompareExchange(ref s_lock, 1, 0) != 0) { }
            return irq;
        }

        private static void Unlock(bool irq)
        {
            Volatile.Write(ref s_lock, 0);
            if (irq) Native.hv_sti();
        }
    }
}
