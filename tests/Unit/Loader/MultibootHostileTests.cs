using System;
using Hv.Loader;
using Xunit;

namespace Hv.Tests.Loader
{
    /// <summary>
    /// Hostile images: every prefix, random byte damage, and boundary values in every header
    /// field. The loader must answer with a result, never throw; an accepted image must lie in
    /// RAM below 4 GiB clear of the information area, and a rejected one must write nothing.
    /// Seeds are fixed, so a failure reproduces.
    /// </summary>
    public class MultibootHostileTests
    {
        const ulong Ram = 64 << 20;

        static void Check(byte[] image, string what)
        {
            var ram = new FakeGuestRam(Ram, store: false);
            LoadResult r;
            try
            {
                r = MultibootLoader.Load(image, ram, "x");
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException(what + ": the loader threw " + e.GetType().Name + ": " + e.Message);
            }
            Assert.True(ram.OutOfRange.Count == 0, what + ": RAM call out of range " + string.Join(", ", ram.OutOfRange));
            if (!r.Ok)
            {
                Assert.False(string.IsNullOrEmpty(r.Error), what + ": rejected without a message");
                Assert.True(ram.Calls == 0, what + ": rejected after writing");
                return;
            }
            Assert.True(r.KernelStart < r.KernelEnd, what);
            Assert.True(r.KernelEnd <= Ram && r.KernelEnd <= 0x100000000, what);
            foreach (var (start, length) in ram.Ranges)
                if (!(start == 0x9000 && length == 0x1000))
                    Assert.True(start + length <= 0x9000 || start >= 0xA000, what + ": a write over the information area");
            Assert.Equal((0x9000UL, 0x1000UL), ram.Ranges[ram.Ranges.Count - 1]);
            Assert.True(r.Entry.Eip >= r.KernelStart && r.Entry.Eip < r.KernelEnd, what + ": entry outside the kernel");
        }

        static byte[][] Seeds()
        {
            ElfBuilder higherHalf = new ElfBuilder { Entry = 0xC010000C };
            byte[] text = TestImages.Pattern(0x300, 3);
            Array.Copy(TestImages.Header(3), text, 12);
            higherHalf.Add(0x100000, text, 0x400, virtualAddress: 0xC0100000);

            byte[] aout = TestImages.Pattern(0x200, 5);
            byte[] h = TestImages.Header(0x00010003, 0x200040, 0x200000, 0x200100, 0x201000, 0x200060);
            Array.Copy(h, 0, aout, 0x40, h.Length);

            return new[] { TestImages.Kernel().Build(), higherHalf.Build(), aout };
        }

        [Fact]
        public void EveryPrefixOfAGoodImage()
        {
            foreach (byte[] seed in Seeds())
                for (int n = 0; n <= seed.Length; n++)
                    Check(seed.AsSpan(0, n).ToArray(), "prefix " + n);
        }

        [Fact]
        public void RandomByteDamage()
        {
            var rng = new Random(20240404);
            byte[][] seeds = Seeds();
            int accepted = 0;
            for (int iteration = 0; iteration < 20000; iteration++)
            {
                byte[] seed = seeds[iteration % seeds.Length];
                byte[] image = (byte[])seed.Clone();
                int flips = 1 + rng.Next(8);
                for (int i = 0; i < flips; i++)
                {
                    // Mostly the headers (where damage changes decisions), sometimes anywhere.
                    int at = rng.Next(4) == 0 ? rng.Next(image.Length) : rng.Next(Math.Min(image.Length, 0x1000 + 48));
                    if (at >= 0x1000 + 12 && seed != seeds[2])
                        at = rng.Next(116);
                    image[at] = (byte)rng.Next(256);
                }
                if (rng.Next(10) == 0)
                    image = image.AsSpan(0, rng.Next(image.Length + 1)).ToArray();
                Check(image, "iteration " + iteration);
                var ram = new FakeGuestRam(Ram, store: false);
                if (MultibootLoader.Load(image, ram, "").Ok)
                    accepted++;
            }
            Assert.True(accepted > 100, "the damage is too heavy to exercise the accepting paths: " + accepted);
        }

        static readonly uint[] Boundaries =
        {
            0, 1, 2, 3, 4, 12, 31, 32, 33, 52, 0x8FFF, 0x9000, 0x9FFF, 0xA000, 0xFFFF, 0x10000, 0x100000, 0x20FF,
            0x2100, 0x2101, 0x3FFFFFF, 0x4000000, 0x4000001, 0x7FFFFFFF, 0x80000000, 0xFFFFF000, 0xFFFFFFF0, 0xFFFFFFFF,
        };

        [Fact]
        public void BoundaryValuesInEveryHeaderField()
        {
            byte[] good = TestImages.Kernel().Build();
            // 16-bit ELF fields: e_type, e_machine, e_phentsize, e_phnum.
            foreach (int o in new[] { 16, 18, 42, 44 })
                foreach (uint v in Boundaries)
                {
                    byte[] image = (byte[])good.Clone();
                    ElfBuilder.Put16(image, o, v);
                    Check(image, "u16 at " + o + " = " + v);
                }
            // 32-bit ELF fields: e_version, e_entry, e_phoff; every program header field; the
            // Multiboot flags and checksum.
            int[] fields = { 20, 24, 28, 52, 56, 60, 64, 68, 72, 84, 88, 92, 96, 100, 104, 0x1004, 0x1008 };
            foreach (int o in fields)
                foreach (uint v in Boundaries)
                {
                    byte[] image = (byte[])good.Clone();
                    ElfBuilder.Put32(image, o, v);
                    Check(image, "u32 at " + o + " = " + v);
                }
        }

        [Fact]
        public void BoundaryValuesInTheAoutFields()
        {
            byte[] seed = Seeds()[2];
            for (int field = 0; field < 5; field++)
                foreach (uint v in Boundaries)
                {
                    byte[] image = (byte[])seed.Clone();
                    ElfBuilder.Put32(image, 0x40 + 12 + 4 * field, v);
                    Check(image, "a.out field " + field + " = " + v);
                }
        }

        [Fact]
        public void RandomFiles()
        {
            var rng = new Random(7);
            for (int i = 0; i < 2000; i++)
            {
                byte[] image = new byte[rng.Next(0, 9000)];
                rng.NextBytes(image);
                if (image.Length >= 64 && rng.Next(2) == 0)
                {
                    // Give half of them a valid header so the later stages see random bytes.
                    int at = rng.Next((Math.Min(image.Length, 8192) - 12) / 4) * 4;
                    Array.Copy(TestImages.Header((uint)rng.Next() & 0xFFFF0003), 0, image, at, 12);
                    if (rng.Next(2) == 0)
                    {
                        image[0] = 0x7F; image[1] = (byte)'E'; image[2] = (byte)'L'; image[3] = (byte)'F';
                        image[4] = 1; image[5] = 1; image[6] = 1;
                    }
                }
                Check(image, "random file " + i);
            }
        }
    }
}
