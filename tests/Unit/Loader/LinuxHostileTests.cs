using System;
using Hv.Loader;
using Hv.Virt;
using Xunit;

namespace Hv.Tests.Loader
{
    /// <summary>
    /// Hostile bzImages: every prefix, random byte damage in and around the setup header, and
    /// boundary values in every field the loader reads. The loader must answer, never throw; a
    /// rejected image writes nothing; an accepted one lands in RAM above 1 MiB and below 4 GiB,
    /// with the entry inside the kernel and the initrd clear of it. Seeds are fixed.
    /// </summary>
    public class LinuxHostileTests
    {
        const ulong Ram = 128 << 20;
        static readonly GuestRange[] Ranges = BzImageBuilder.Ram(Ram);
        static readonly byte[] Initrd = new byte[0x3000];

        static void Check(byte[] image, string what)
        {
            var ram = new FakeGuestRam(Ram, store: false);
            LoadResult r;
            try
            {
                r = LinuxLoader.Load(image, ram, Ranges, "console=ttyS0", Initrd, 0xE0000);
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
            Assert.True(r.KernelStart >= 0x100000 && r.KernelStart < r.KernelEnd && r.KernelEnd <= Ram, what + ": kernel range");
            Assert.Equal(r.KernelStart + 0x200, (ulong)r.Entry.Eip);
            Assert.Equal(EntryMode.Long64, r.Entry.Mode);
            Assert.True(r.ModuleStart >= 0x100000 && r.ModuleEnd <= Ram && r.ModuleEnd - r.ModuleStart == (ulong)Initrd.Length, what + ": initrd range");
            Assert.True(r.ModuleEnd <= r.KernelStart || r.ModuleStart >= r.KernelEnd, what + ": initrd overlaps the kernel");
            foreach (var (start, length) in ram.Ranges)
                Assert.True(start + length <= 0xB000 || start >= 0x100000, what + ": a write between the boot area and 1 MiB");
        }

        static byte[] Seed() => new BzImageBuilder { KernelBytes = 0x400 }.Build();

        [Fact]
        public void EveryPrefixOfAGoodImage()
        {
            byte[] seed = Seed();
            int accepted = 0;
            for (int n = 0; n <= seed.Length; n++)
            {
                byte[] prefix = seed.AsSpan(0, n).ToArray();
                Check(prefix, "prefix " + n);
                if (LinuxLoader.Load(prefix, new FakeGuestRam(Ram, store: false), Ranges, "", Initrd, 0).Ok)
                    accepted++;
            }
            // syssize is 0x40 paragraphs: only prefixes that keep all but the last paragraph's
            // padding (the final 15 bytes may be missing) hold the whole kernel.
            Assert.Equal(16, accepted);
        }

        [Fact]
        public void RandomByteDamage()
        {
            var rng = new Random(20250505);
            byte[] seed = Seed();
            int accepted = 0;
            for (int iteration = 0; iteration < 20000; iteration++)
            {
                byte[] image = (byte[])seed.Clone();
                int flips = 1 + rng.Next(6);
                for (int i = 0; i < flips; i++)
                {
                    // Mostly the header (where damage changes decisions), sometimes anywhere.
                    int at = rng.Next(4) != 0 ? 0x1F1 + rng.Next(0x26C - 0x1F1) : rng.Next(image.Length);
                    image[at] = (byte)rng.Next(256);
                }
                Check(image, "iteration " + iteration);
                var ram = new FakeGuestRam(Ram, store: false);
                if (LinuxLoader.Load(image, ram, Ranges, "", Initrd, 0).Ok)
                    accepted++;
            }
            Assert.True(accepted > 1000, "damage outside the checked fields should still load (" + accepted + ")");
        }

        [Fact]
        public void BoundaryValuesInEveryField()
        {
            (int Offset, int Width)[] fields =
            {
                (0x1F1, 1), (0x1F4, 4), (0x1FE, 2), (0x200, 1), (0x201, 1), (0x202, 4), (0x206, 2), (0x211, 1),
                (0x22C, 4), (0x230, 4), (0x234, 1), (0x236, 2), (0x238, 4), (0x258, 4), (0x25C, 4), (0x260, 4),
            };
            ulong[] values = { 0, 1, 2, 0x7F, 0x80, 0xEB, 0xFF, 0x100, 0x20C, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x100000, 0x1000000,
                0x7FFFFFFF, 0x80000000, 0xFFFFF000, 0xFFFFFFFE, 0xFFFFFFFF };
            byte[] seed = Seed();
            foreach (var (offset, width) in fields)
                foreach (ulong v in values)
                {
                    byte[] image = (byte[])seed.Clone();
                    for (int i = 0; i < width; i++)
                        image[offset + i] = (byte)(v >> (8 * i));
                    Check(image, "field " + offset.ToString("x") + " = " + v.ToString("x"));
                }
        }

        [Fact]
        public void HostileRamRangesNeverCrash()
        {
            var rng = new Random(7);
            byte[] image = Seed();
            for (int iteration = 0; iteration < 5000; iteration++)
            {
                var ranges = new GuestRange[rng.Next(4)];
                for (int i = 0; i < ranges.Length; i++)
                {
                    ulong start = rng.Next(3) == 0 ? 0 : (ulong)rng.NextInt64() & ~0xFFFUL >> rng.Next(40);
                    ulong size = (ulong)rng.NextInt64() >> rng.Next(60);
                    ranges[i] = new GuestRange(start, rng.Next(2) == 0 ? size & ~0xFFFUL : size);
                }
                var ram = new FakeGuestRam(Ram, store: false);
                LoadResult r = LinuxLoader.Load(image, ram, ranges, "", Initrd, 0);
                Assert.Empty(ram.OutOfRange);
                if (!r.Ok)
                    Assert.Equal(0, ram.Calls);
            }
        }
    }
}
