using Hv.Sched;
using Xunit;

namespace Hv.Tests.Unit.Sched
{
    /// <summary>The intrusive FIFO and the per-CPU lock on their own.</summary>
    public class RunQueueTests
    {
        private static KThread T(int id, ulong affinity = 0) => new KThread(id, "t" + id, null, 0, 0, affinity, ThreadFlags.None);

        [Fact]
        public void Fifo_RemoveFromMiddle_FirstAllowed()
        {
            var idle = new KThread(99, "idle", null, 0, 0, 1, ThreadFlags.Idle);
            var q = new RunQueue(2, idle);
            KThread a = T(1, 1ul << 0), b = T(2), c = T(3, 1ul << 2);
            q.Enqueue(a); q.Enqueue(b); q.Enqueue(c);
            Assert.Equal(3, q.Count);
            Assert.Equal(2, b.Cpu);
            Assert.Same(b, q.FirstAllowedOn(1));
            Assert.Same(a, q.FirstAllowedOn(0));
            q.Remove(b);
            Assert.Null(q.FirstAllowedOn(1));
            Assert.Same(c, q.FirstAllowedOn(2));
            Assert.Same(a, q.Dequeue());
            Assert.Same(c, q.Dequeue());
            Assert.Null(q.Dequeue());
            Assert.Equal(0, q.Count);
            Assert.Throws<System.InvalidOperationException>(() => q.Enqueue(idle));
            q.Enqueue(a);
            Assert.Throws<System.InvalidOperationException>(() => q.Enqueue(a));
            Assert.Throws<System.InvalidOperationException>(() => new RunQueue(3, idle).Remove(a));
        }

        [Fact]
        public void SpinLock_OwnerChecks()
        {
            var l = new KSpinLock();
            Assert.Equal(-1, l.Owner);
            l.Acquire(3);
            Assert.Equal(3, l.Owner);
            Assert.False(l.TryAcquire(1));
            Assert.Throws<System.InvalidOperationException>(() => { var copy = l; copy.Acquire(3); });
            Assert.Throws<System.InvalidOperationException>(() => { var copy = l; copy.Release(1); });
            l.Release(3);
            Assert.False(l.IsHeld);
            Assert.True(l.TryAcquire(1));
        }
    }
}
