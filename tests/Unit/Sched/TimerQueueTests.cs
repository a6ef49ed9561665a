using System;
using System.Collections.Generic;
using Hv.Sched;
using Xunit;

namespace Hv.Tests.Unit.Sched
{
    /// <summary>The per-CPU deadline queue on its own: order, FIFO ties, cancel, expiry.</summary>
    public class TimerQueueTests
    {
        private static OneShotTimer NewTimer() => new OneShotTimer(null);

        [Fact]
        public void ManyRandomDeadlines_PopInDeadlineOrder()
        {
            var q = new TimerQueue(0);
            var rng = new Random(1234);
            var timers = new OneShotTimer[500];
            var deadlines = new List<ulong>();
            for (int i = 0; i < timers.Length; i++)
            {
                timers[i] = NewTimer();
                ulong d = (ulong)rng.Next(1, 10_000);
                deadlines.Add(d);
                q.Add(timers[i], d);
            }
            deadlines.Sort();
            Assert.Equal(500, q.Count);
            Assert.Equal(deadlines[0], q.NextDeadline);
            for (int i = 0; i < deadlines.Count; i++)
            {
                OneShotTimer t = q.PopExpired(ulong.MaxValue - 1);
                Assert.NotNull(t);
                Assert.Equal(deadlines[i], t.Deadline);
                Assert.False(t.IsArmed);
            }
            Assert.Null(q.PopExpired(ulong.MaxValue - 1));
            Assert.Equal(ulong.MaxValue, q.NextDeadline);
        }

        [Fact]
        public void EqualDeadlines_FireInArmingOrder()
        {
            var q = new TimerQueue(0);
            var a = NewTimer(); var b = NewTimer(); var c = NewTimer(); var early = NewTimer(); var late = NewTimer();
            q.Add(late, 20);
            q.Add(a, 10);
            q.Add(b, 10);
            q.Add(early, 5);
            q.Add(c, 10);
            Assert.Same(early, q.PopExpired(100));
            Assert.Same(a, q.PopExpired(100));
            Assert.Same(b, q.PopExpired(100));
            Assert.Same(c, q.PopExpired(100));
            Assert.Same(late, q.PopExpired(100));
        }

        [Fact]
        public void PopExpired_OnlyTakesDeadlinesAtOrBeforeNow()
        {
            var q = new TimerQueue(0);
            var a = NewTimer(); var b = NewTimer();
            q.Add(a, 10);
            q.Add(b, 11);
            Assert.Null(q.PopExpired(9));
            Assert.Same(a, q.PopExpired(10));
            Assert.Null(q.PopExpired(10));
            Assert.Equal(11ul, q.NextDeadline);
        }

        [Fact]
        public void Cancel_HeadMiddleTail_AndNotArmed()
        {
            var q = new TimerQueue(0);
            var t = new OneShotTimer[5];
            for (int i = 0; i < t.Length; i++) { t[i] = NewTimer(); q.Add(t[i], (ulong)(10 * (i + 1))); }
            Assert.True(q.Remove(t[0]));
            Assert.True(q.Remove(t[2]));
            Assert.True(q.Remove(t[4]));
            Assert.False(q.Remove(t[2]));
            Assert.False(t[2].IsArmed);
            Assert.Equal(2, q.Count);
            Assert.Equal(20ul, q.NextDeadline);
            Assert.Same(t[1], q.PopExpired(100));
            Assert.Same(t[3], q.PopExpired(100));
            Assert.Null(q.PopExpired(100));
            Assert.False(new TimerQueue(1).Remove(NewTimer()));
        }

        [Fact]
        public void Rearm_MovesTheTimer_AcrossQueuesToo()
        {
            var q0 = new TimerQueue(0);
            var q1 = new TimerQueue(1);
            var a = NewTimer(); var b = NewTimer();
            q0.Add(a, 10);
            q0.Add(b, 20);
            q0.Add(a, 30);
            Assert.Equal(2, q0.Count);
            Assert.Same(b, q0.PopExpired(25));
            q1.Add(a, 5);
            Assert.Equal(0, q0.Count);
            Assert.Equal(1, q1.Count);
            Assert.Equal(5ul, q1.NextDeadline);
        }
    }
}
