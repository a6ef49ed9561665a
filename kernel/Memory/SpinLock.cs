using System.Threading;

namespace Hv.Memory
{
    /// <summary>
    /// A test-and-set spin lock for short critical sections shared by all CPUs (the frame allocator).
    /// Keep it a field of its owner and call it in place: a copy is a different lock. Not re-entrant,
    /// and not for interrupt handlers (an interrupt taken while this CPU holds it would deadlock;
    /// docs/runtime.md already keeps allocation out of them).
    /// </summary>
    public struct SpinLock
    {
        private int _state;

        public void Enter()
        {
            // The locked CMPXCHG is a full barrier: the critical section's accesses cannot move above it.
            while (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
            {
            }
        }

        public bool TryEnter() => Interlocked.CompareExchange(ref _state, 1, 0) == 0;

        /// <summary>Releases with a locked XCHG (a full barrier), so the critical section's stores are visible first.</summary>
        public void Exit() => Interlocked.Exchange(ref _state, 0);

        public bool IsHeld => Interlocked.CompareExchange(ref _state, 0, 0) != 0;
    }
}
