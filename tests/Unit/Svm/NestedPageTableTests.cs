using Hv.Virt;
using Hv.Virt.Svm;
using Xunit;

namespace Hv.Tests.Unit.Svm
{
    /// <summary>The NPT builder, checked by walking its tables the way the CPU does (APM Vol. 2 §15.25.5).</summary>
    public unsafe class NestedPageTableTests
    {
        private const ulong MiB = 1ul << 20;

        /// <summary>Walks the tables independently of the builder: host address, leaf size, and the flags of every level.</summary>
        private static bool Walk(ulong root, ulong gpa, out ulong hpa, out ulong pageSize)
        {
            hpa = 0; pageSize = 0;
            ulong table = root;
            for (int level = 4; level >= 1; level--)
            {
                int shift = 12 + 9 * (level - 1);
                ulong e = ((ulong*)table)[(gpa >> shift) & 511];
                if ((e & 1) == 0) return false;
                Assert.Equal(7ul, e & 7); // present, writable, user at every level
                Assert.Equal(0ul, e & 0x18); // PWT = PCD = 0: host PAT entry 0, write-back
                if (level == 1 || (level == 2 && (e & 0x80) != 0))
                {
                    pageSize = 1ul << shift;
                    hpa = (e & 0x000F_FFFF_FFFF_F000 & ~(pageSize - 1)) | (gpa & (pageSize - 1));
                    return true;
                }
                Assert.Equal(0ul, e & 0x80);
                table = e & 0x000F_FFFF_FFFF_F000;
            }
            return false;
        }

        private static ulong Build(GuestRegion[] regions)
        {
            FakePhysical.SetBudget(-1);
            string error = NestedPageTables.Build(regions, &FakePhysical.AllocPage, out ulong root);
            Assert.Null(error);
            Assert.NotEqual(0ul, root);
            return root;
        }

        [Fact]
        public void PcLayout_RamTranslates_HolesAndMmioAreNotPresent()
        {
            var regions = new[]
            {
                new GuestRegion { GuestPhysical = 0, HostPhysical = 0x4000_0000, Size = 640 * 1024 },
                new GuestRegion { GuestPhysical = MiB, HostPhysical = 0x4010_0000, Size = 63 * MiB },
            };
            ulong root = Build(regions);

            Assert.True(Walk(root, 0x7C00, out ulong hpa, out ulong size));
            Assert.Equal(0x4000_7C00ul, hpa);
            Assert.Equal(0x1000ul, size);
            Assert.True(Walk(root, 640 * 1024 - 1, out hpa, out _));
            Assert.Equal(0x4000_0000ul + 640 * 1024 - 1, hpa);
            Assert.True(Walk(root, 0x30_1234, out hpa, out _));
            Assert.Equal(0x4030_1234ul, hpa);
            Assert.True(Walk(root, 64 * MiB - 1, out hpa, out _));
            Assert.Equal(0x4000_0000ul + 64 * MiB - 1, hpa);

            Assert.False(Walk(root, 640 * 1024, out _, out _));        // VGA hole
            Assert.False(Walk(root, 0xF_FFFF, out _, out _));
            Assert.False(Walk(root, 64 * MiB, out _, out _));          // just past RAM
            Assert.False(Walk(root, 0xFEE0_0000, out _, out _));       // LAPIC
            Assert.False(Walk(root, 0xFEC0_0000, out _, out _));       // IOAPIC
            Assert.False(Walk(root, 0x1_0000_0000, out _, out _));
        }

        [Fact]
        public void AlignedRam_Uses2MiBPages_Else4KiB()
        {
            ulong root = Build(new[] { new GuestRegion { GuestPhysical = MiB, HostPhysical = 0x4010_0000, Size = 6 * MiB } });

            Assert.True(Walk(root, MiB, out _, out ulong size));
            Assert.Equal(0x1000ul, size);                               // 1 MiB: gpa not 2 MiB aligned
            Assert.True(Walk(root, 2 * MiB, out _, out size));
            Assert.Equal(2 * MiB, size);                                // [2, 4) and [4, 6) MiB
            Assert.True(Walk(root, 5 * MiB, out _, out size));
            Assert.Equal(2 * MiB, size);
            Assert.True(Walk(root, 6 * MiB, out _, out size));
            Assert.Equal(0x1000ul, size);                               // [6, 8) would run past the region's end (7 MiB)
            Assert.False(Walk(root, 7 * MiB, out _, out _));
        }

        [Fact]
        public void HostNot2MiBAligned_Uses4KiBPages()
        {
            ulong root = Build(new[] { new GuestRegion { GuestPhysical = 0, HostPhysical = 0x4000_1000, Size = 4 * MiB } });
            Assert.True(Walk(root, 2 * MiB + 5, out ulong hpa, out ulong size));
            Assert.Equal(0x1000ul, size);
            Assert.Equal(0x4020_1005ul, hpa);
        }

        [Fact]
        public void HighGuestAddresses_UseAllFourLevels()
        {
            ulong root = Build(new[] { new GuestRegion { GuestPhysical = 0x7F_C000_0000, HostPhysical = 0x8000_0000, Size = 4 * MiB } });
            Assert.True(Walk(root, 0x7F_C020_0010, out ulong hpa, out _));
            Assert.Equal(0x8020_0010ul, hpa);
            Assert.False(Walk(root, 0x3F_C020_0010, out _, out _));
        }

        [Theory]
        [InlineData(0x1000ul, 0x2000ul, 0ul, "is empty")]
        [InlineData(0x1800ul, 0x2000ul, 0x1000ul, "not 4 KiB aligned")]
        [InlineData(0x1000ul, 0x2800ul, 0x1000ul, "not 4 KiB aligned")]
        [InlineData(0x1000ul, 0x2000ul, 0x1800ul, "not 4 KiB aligned")]
        [InlineData(0xFFFF_FFFF_F000ul, 0x2000ul, 0x2000ul, "past guest-physical 2^48")]
        [InlineData(0x1000ul, 0xF_FFFF_FFFF_F000ul, 0x2000ul, "past host-physical 2^52")]
        public void BadRegion_IsRefused(ulong gpa, ulong hpa, ulong size, string why)
        {
            FakePhysical.SetBudget(-1);
            string error = NestedPageTables.Build(new[] { new GuestRegion { GuestPhysical = gpa, HostPhysical = hpa, Size = size } },
                &FakePhysical.AllocPage, out ulong root);
            Assert.Contains(why, error);
            Assert.Equal(0ul, root);
        }

        [Fact]
        public void OverlappingRegions_AreRefused()
        {
            FakePhysical.SetBudget(-1);
            string error = NestedPageTables.Build(new[]
            {
                new GuestRegion { GuestPhysical = 0, HostPhysical = 0x10_0000, Size = 0x10_0000 },
                new GuestRegion { GuestPhysical = 0xF_F000, HostPhysical = 0x80_0000, Size = 0x2000 },
            }, &FakePhysical.AllocPage, out _);
            Assert.Equal("memory region 1 overlaps memory region 0", error);
        }

        [Fact]
        public void AllocatorFailure_IsReported()
        {
            FakePhysical.SetBudget(2);
            string error = NestedPageTables.Build(new[] { new GuestRegion { GuestPhysical = 0, HostPhysical = 0, Size = 0x1000 } },
                &FakePhysical.AllocPage, out ulong root);
            Assert.Equal("out of memory for nested page tables", error);
            Assert.Equal(0ul, root);
        }

        [Fact]
        public void TablePages_OnePerLevelForOneSmallRegion()
        {
            FakePhysical.SetBudget(-1);
            Assert.Null(NestedPageTables.Build(new[] { new GuestRegion { GuestPhysical = 0, HostPhysical = 0, Size = 0x1000 } },
                &FakePhysical.AllocPage, out _));
            Assert.Equal(4, FakePhysical.Allocated);
        }
    }
}
