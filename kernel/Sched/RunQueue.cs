// A CPU's runnable threads: FIFO round robin through links inside KThread (no allocation on
// enqueue or dequeue), plus the CPU's idle thread, which is never queued and runs when the queue
// is empty. Not thread-safe: Scheduler guards it with the CPU's lock.
namespace Hv.Sched
{
    /// <summary>Enqueue assigns the thread to this queue's CPU (KThread.Cpu).</summary>
    public sealed class RunQueue
    {
        private KThread _head, _tail;
        private int _count;

        public int Cpu { get; }
        public KThread Idle { get; }
        /// <summary>Threads waiting in the queue (not counting the CPU's current thread).</summary>
        public int Count => _count;
        public KThread Head => _head;

        public RunQueue(int cpu, KThread idle)
        {
            Cpu = cpu;
            Idle = idle;
        }

        public void Enqueue(KThread t)
        {
            if (t.queued || t.IsIdle) SchedInvariant.Fail("enqueue of a queued or idle thread");
            t.queued = true;
            t.cpu = Cpu;
            t.queueNext = null;
            t.queuePrev = _tail;
            if (_tail != null) _tail.queueNext = t; else _head = t;
            _tail = t;
            _count++;
        }

        /// <summary>The thread at the head, removed; null when empty.</summary>
        public KThread Dequeue()
        {
            KThread t = _head;
            if (t != null) Remove(t);
            return t;
        }

        /// <summary>Unlinks a thread from anywhere in this queue (stealing, migration).</summary>
        public void Remove(KThread t)
        {
            if (!t.queued || t.cpu != Cpu) SchedInvariant.Fail("remove of a thread not in this queue");
            if (t.queuePrev != null) t.queuePrev.queueNext = t.queueNext; else _head = t.queueNext;
            if (t.queueNext != null) t.queueNext.queuePrev = t.queuePrev; else _tail = t.queuePrev;
            t.queueNext = t.queuePrev = null;
            t.queued = false;
            _count--;
        }

        /// <summary>The first queued thread (from the head) allowed to run on the given CPU, or null.</summary>
        public KThread FirstAllowedOn(int cpu)
        {
            for (KThread t = _head; t != null; t = t.queueNext)
                if (t.AllowedOn(cpu)) return t;
            return null;
        }

        public static KThread Next(KThread t) => t.queueNext;
    }
}
