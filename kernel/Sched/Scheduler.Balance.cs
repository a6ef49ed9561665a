// Load balancing, kept to one rule: a CPU about to run its idle thread (its queue is empty and the
// current thread is leaving or is the idle thread) takes the oldest queued thread its index is
// allowed to run from the longest other queue; if that queue holds none it allowed, the next
// longest, and so on. Busy CPUs never push work; wake placement (ChooseCpu) already prefers idle
// CPUs, so queues only grow while every allowed CPU is busy.
namespace Hv.Sched
{
    public sealed partial class Scheduler
    {
        /// <summary>
        /// Takes one thread for c from another CPU's queue, or null. c.Lock is held, so the victim's
        /// lock is only tried (no lock-order constraint); a victim whose lock is busy is skipped and
        /// reported in <paramref name="contended"/> (the idle loop then retries instead of halting).
        /// The stolen thread is assigned to c (both locks held) and is in no queue.
        /// </summary>
        private KThread StealFor(CpuSched c, out bool contended)
        {
            contended = false;
            ulong tried = 1ul << c.Index;
            for (;;)
            {
                int victim = -1;
                int longest = 0;
                for (int i = 0; i < _cpus.Length; i++)
                {
                    int count = _cpus[i].Queue.Count; // racy hint; re-read under the victim's lock
                    if ((tried & (1ul << i)) == 0 && count > longest)
                    {
                        longest = count;
                        victim = i;
                    }
                }
                if (victim < 0) return null;
                tried |= 1ul << victim;
                CpuSched v = _cpus[victim];
                if (!v.Lock.TryAcquire(c.Index))
                {
                    contended = true;
                    continue;
                }
                KThread t = v.Queue.FirstAllowedOn(c.Index);
                if (t != null)
                {
                    v.Queue.Remove(t);
                    t.cpu = c.Index;
                    t.migrations++;
                    c.steals++;
                }
                v.Lock.Release(c.Index);
                if (t != null) return t;
            }
        }
    }
}
