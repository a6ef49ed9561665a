using System;
using System.Collections.Generic;
using System.Threading;
using Hv.Memory;
using Xunit;

namespace Hv.Tests.Unit.Memory
{
    /// <summary>Random sequences against a model, and all CPUs allocating at once.</summary>
    public class FrameAllocatorStressTests
    {
        private static MemoryRange[] Fragmented() => new[]
        {
            Maps.R(0x0, 0x9F, MemoryKind.ConventionalMemory),
            Maps.R(0x10_0000, 0x233, MemoryKind.ConventionalMemory),      // odd sizes: partial last words
            Maps.R(0x33_3000, 0x41, MemoryKind.BootServicesData),
            Maps.R(0x40_0000, 0x10, MemoryKind.AcpiNvs),
            Maps.R(0x41_0000, 0x5EF, MemoryKind.BootServicesCode),
            Maps.R(0xA0_0000, 0x100, MemoryKind.LoaderData),
            Maps.R(0xB0_0000, 0x801, MemoryKind.ConventionalMemory),
        };

        [Fact]
        public void RandomSequence_KeepsCountersAndModelInStep()
        {
            MemoryRange[] map = Fragmented();
            PhysicalFrameAllocator a = Maps.Allocator(map);
            HashSet<ulong> model = new HashSet<ulong>();
            List<(ulong Start, ulong Frames)> held = new List<(ulong, ulong)>();
            Random random = new Random(1234);

            for (int step = 0; step < 20000; step++)
            {
                int op = random.Next(100);
                if (op < 40)
                {
                    if (a.TryAllocate(out HostPhysical f))
                        Take(model, held, map, f.Value, 1);
                    else
                        Assert.Equal(a.UsableFrames, (ulong)model.Count);
                }
                else if (op < 55)
                {
                    ulong frames = (ulong)random.Next(1, 40);
                    ulong alignment = PageSize.Size4K << random.Next(0, 6);
                    if (a.TryAllocateContiguous(frames, alignment, out HostPhysical run))
                    {
                        Assert.True(run.IsAligned(alignment));
                        Take(model, held, map, run.Value, frames);
                    }
                }
                else if (op < 95 && held.Count > 0)
                {
                    int i = random.Next(held.Count);
                    (ulong start, ulong frames) = held[i];
                    held[i] = held[held.Count - 1];
                    held.RemoveAt(held.Count - 1);
                    Assert.True(frames == 1 ? a.Free(new HostPhysical(start)) : a.FreeContiguous(new HostPhysical(start), frames));
                    for (ulong k = 0; k < frames; k++)
                        model.Remove(start + k * PageSize.Size4K);
                    Assert.False(a.Free(new HostPhysical(start)));    // now a double free
                }
                else
                {
                    // Hostile frees: random addresses, mostly not allocated or not managed.
                    ulong address = (ulong)random.Next(0, 0x140_0000) & ~0x7FFul;
                    if (!model.Contains(address))
                        Assert.False(a.Free(new HostPhysical(address)));
                }

                FrameCounts c = a.Counts;
                Assert.Equal(c.Usable, c.Free + c.Allocated);
                Assert.Equal((ulong)model.Count, c.Allocated);
                if (step % 1000 == 0)
                    Assert.True(a.CheckConsistency());
            }

            foreach ((ulong start, ulong frames) in held)
                Assert.True(a.FreeContiguous(new HostPhysical(start), frames));
            Assert.Equal(a.UsableFrames, a.FreeFrames);
            Assert.Equal(0ul, a.AllocatedFrames);
            Assert.True(a.CheckConsistency());
        }

        private static void Take(HashSet<ulong> model, List<(ulong, ulong)> held, MemoryRange[] map, ulong start, ulong frames)
        {
            for (ulong k = 0; k < frames; k++)
            {
                ulong f = start + k * PageSize.Size4K;
                Assert.True(f >= 0x10_0000 && Maps.InsideUsable(map, new HostPhysical(f)), AddressMath.Hex(f));
                Assert.True(model.Add(f), AddressMath.Hex(f) + " handed out twice");
            }
            held.Add((start, frames));
        }

        [Fact]
        public void ManyThreads_AllocatingAtOnce_NeverShareAFrame()
        {
            PhysicalFrameAllocator a = Maps.Allocator(Fragmented());
            const int threads = 8;
            List<ulong>[] got = new List<ulong>[threads];
            Thread[] workers = new Thread[threads];
            for (int t = 0; t < threads; t++)
            {
                List<ulong> mine = got[t] = new List<ulong>();
                int seed = t;
                workers[t] = new Thread(() =>
                {
                    Random random = new Random(seed);
                    while (true)
                    {
                        if (random.Next(4) == 0)
                        {
                            if (!a.TryAllocateContiguous(4, 0x4000, out HostPhysical run))
                                continue;
                            for (ulong k = 0; k < 4; k++)
                                mine.Add(run.Value + k * PageSize.Size4K);
                        }
                        else if (a.TryAllocate(out HostPhysical f))
                            mine.Add(f.Value);
                        else
                            break;
                    }
                });
            }
            foreach (Thread w in workers)
                w.Start();
            foreach (Thread w in workers)
                w.Join();

            HashSet<ulong> all = new HashSet<ulong>();
            foreach (List<ulong> list in got)
                foreach (ulong f in list)
                    Assert.True(all.Add(f), AddressMath.Hex(f) + " handed out twice");
            Assert.Equal(a.UsableFrames, (ulong)all.Count);
            Assert.True(a.CheckConsistency());
        }
    }
}
