// The one-shot timer service's data structures: a timer is an intrusive node (no allocation when it
// is armed, fired or cancelled) and a TimerQueue keeps a CPU's armed timers sorted by deadline.
// A sorted doubly linked list: O(1) earliest/pop/cancel, insertion scans from the tail (new
// deadlines are usually the latest), so equal deadlines stay FIFO. A CPU holds a few timers (its
// sleeping threads, its vCPUs' emulated timers), where this beats a heap's bookkeeping.
// Not thread-safe: Scheduler guards each CPU's queue with that CPU's lock.
namespace Hv.Sched
{
    /// <summary>Called on the CPU whose queue the timer expired in, interrupts off, no scheduler lock held.</summary>
    public interface ITimerCallback
    {
        void OnTimer(OneShotTimer timer, ulong now);
    }

    public sealed class OneShotTimer
    {
        internal OneShotTimer next, prev;
        internal TimerQueue queue;
        internal ulong deadline;
        internal readonly KThread sleeper;

        public ITimerCallback Callback { get; }

        public OneShotTimer(ITimerCallback callback) { Callback = callback; }

        private OneShotTimer(KThread sleeper) { this.sleeper = sleeper; }

        /// <summary>A thread's sleep timer: expiry wakes the thread.</summary>
        internal static OneShotTimer ForSleeper(KThread sleeper) => new OneShotTimer(sleeper);

        public bool IsArmed => queue != null;
        /// <summary>The absolute time (platform ticks) it was last armed for.</summary>
        public ulong Deadline => deadline;
    }

    public sealed class TimerQueue
    {
        private OneShotTimer _head, _tail;
        private int _count;

        /// <summary>The CPU this queue belongs to (whose lock guards it).</summary>
        public int Cpu { get; }
        public int Count => _count;

        public TimerQueue(int cpu) { Cpu = cpu; }

        /// <summary>The earliest deadline, or ulong.MaxValue when empty (nothing to program).</summary>
        public ulong NextDeadline => _head == null ? ulong.MaxValue : _head.deadline;

        /// <summary>Arms the timer for the absolute deadline; a timer armed elsewhere is moved.</summary>
        public void Add(OneShotTimer t, ulong deadline)
        {
            if (t.queue != null) t.queue.Remove(t);
            t.deadline = deadline;
            t.queue = this;
            OneShotTimer after = _tail;
            while (after != null && after.deadline > deadline) after = after.prev;
            t.prev = after;
            t.next = after == null ? _head : after.next;
            if (t.next != null) t.next.prev = t; else _tail = t;
            if (after != null) after.next = t; else _head = t;
            _count++;
        }

        /// <summary>Disarms the timer; false when it was not armed in this queue.</summary>
        public bool Remove(OneShotTimer t)
        {
            if (t.queue != this) return false;
            if (t.prev != null) t.prev.next = t.next; else _head = t.next;
            if (t.next != null) t.next.prev = t.prev; else _tail = t.prev;
            t.next = t.prev = null;
            t.queue = null;
            _count--;
            return true;
        }

        /// <summary>Removes and returns the earliest timer whose deadline is at or before now, or null.</summary>
        public OneShotTimer PopExpired(ulong now)
        {
            OneShotTimer t = _head;
            if (t == null || t.deadline > now) return null;
            Remove(t);
            return t;
        }
    }
}
