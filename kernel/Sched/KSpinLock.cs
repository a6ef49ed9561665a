// The per-CPU scheduler lock: a test-and-set spinlock on an int, owned by a CPU index (0 = free,
// cpu + 1 = held by that CPU) so that re-acquiring on the same CPU, which would spin forever,
// panics instead, and releasing someone else's lock is caught.
// Every operation is an Interlocked one (a locked instruction, a full barrier on x86): the corelib's
// Volatile is a plain access that the compiler could hoist out of a spin loop.
// Callers hold it with interrupts off (an interrupt handler on the same CPU may take it).
using System.Threading;

namespace Hv.Sched
{
    public struct KSpinLock
    {
        private int _owner;

        public bool IsHeld => Interlocked.CompareExchange(ref _owner, 0, 0) != 0;

        /// <summary>The CPU holding it, or -1.</summary>
        public int Owner => Interlocked.CompareExchange(ref _owner, 0, 0) - 1;

        public void Acquire(int cpu)
        {
            int me = cpu + 1;
            for (;;)
            {
                int seen = Interlocked.CompareExchange(ref _owner, me, 0);
                if (seen == 0) return;
                if (seen == me) SchedInvariant.Fail("spinlock re-acquired by its owner CPU");
            }
        }

        public bool TryAcquire(int cpu) => Interlocked.CompareExchange(ref _owner, cpu + 1, 0) == 0;

        public void Release(int cpu)
        {
            if (Interlocked.CompareExchange(ref _owner, 0, cpu + 1) != cpu + 1)
                SchedInvariant.Fail("spinlock released by a CPU that does not hold it");
        }
    }
}
