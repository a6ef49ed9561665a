using System;
using Hv.Loader;
using Hv.Virt;
using Xunit;

namespace Hv.Tests.Loader
{
    /// <summary>Images the Linux loader must accept, and exactly what it writes and returns for them.</summary>
    public class LinuxLoadTests
    {
        const ulong Ram64M = 64 << 20;

        internal static LoadResult LoadOk(byte[] image, FakeGuestRam ram, string cmdline = "", byte[] initrd = null, ulong rsdp = 0xE0000,
            GuestRange[] ranges = null)
        {
            LoadResult r = LinuxLoader.Load(image, ram, ranges ?? BzImageBuilder.Ram(ram.Size), cmdline, initrd ?? new byte[0], rsdp);
            Assert.True(r.Ok, "load failed: " + r.Error);
            Assert.Null(r.Error);
            Assert.Empty(ram.OutOfRange);
            return r;
        }

        [Fact]
        public void KernelGoesToPrefAddressAndTheResultSaysWhere()
        {
            var b = new BzImageBuilder();
            byte[] image = b.Build();
            var ram = new FakeGuestRam(Ram64M);
            LoadResult r = LoadOk(image, ram);
            Assert.Equal(0x1000000UL, r.KernelStart);
            Assert.Equal(0x1000000UL + b.InitSize, r.KernelEnd);
            Assert.Equal(0x9000UL, r.InfoAddress);
            Assert.Equal(0UL, r.ModuleStart);
            Assert.Equal(0UL, r.ModuleEnd);
            Assert.Equal(image.AsSpan(b.SetupBytes).ToArray(), ram.Read(0x1000000, b.KernelBytes));
            Assert.Equal(FakeGuestRam.Unwritten, ram.Read(0x1000000 + (ulong)b.KernelBytes, 1)[0]);
        }

        [Fact]
        public void EntryStateIs64BitModeAtLoadPlus0x200WithBootParamsInRsi()
        {
            var ram = new FakeGuestRam(Ram64M);
            EntryState e = LoadOk(new BzImageBuilder().Build(), ram).Entry;
            Assert.Equal(EntryMode.Long64, e.Mode);
            Assert.Equal(0x1000200u, e.Eip);
            Assert.Equal(0x9000u, e.Esi);
            Assert.Equal(0x3000u, e.Esp);
            Assert.Equal(0x3000u, e.Cr3);
            Assert.Equal(0x80000011u, e.Cr0);                 // PG | ET | PE
            Assert.Equal(0x20u, e.Cr4);                       // PAE
            Assert.Equal(0x500UL, e.Efer);                    // LMA | LME
            Assert.Equal(2u, e.Eflags);                       // IF = 0
            Assert.Equal((ushort)0x10, e.Cs.Selector);
            Assert.Equal((ushort)0xA09B, e.Cs.Attributes);   // L = 1, D = 0
            foreach (SegmentState s in new[] { e.Ds, e.Es, e.Ss, e.Fs, e.Gs })
            {
                Assert.Equal((ushort)0x18, s.Selector);
                Assert.Equal((ushort)0xC093, s.Attributes);
                Assert.Equal(0u, s.Base);
                Assert.Equal(0xFFFFFFFFu, s.Limit);
            }
            Assert.Equal(0x1000u, e.GdtrBase);
            Assert.Equal((ushort)31, e.GdtrLimit);
            Assert.True(e.Ldtr.Unusable);
            Assert.Equal((ushort)0x8B, e.Tr.Attributes);
            Assert.Equal(0u, e.Eax | e.Ebx | e.Ecx | e.Edx | e.Edi | e.Ebp);
        }

        [Fact]
        public void GdtHoldsBootCsAndBootDs()
        {
            var ram = new FakeGuestRam(Ram64M);
            LoadOk(new BzImageBuilder().Build(), ram);
            Assert.Equal(0UL, ram.U64(0x1000));
            Assert.Equal(0UL, ram.U64(0x1008));
            Assert.Equal(0x00AF9B000000FFFFUL, ram.U64(0x1010));   // base 0, limit 4 GiB, 64-bit code
            Assert.Equal(0x00CF93000000FFFFUL, ram.U64(0x1018));   // base 0, limit 4 GiB, read/write data
        }

        /// <summary>Walks the loader's 4-level tables like the MMU (SDM Vol. 3A §5.5) and returns the physical address.</summary>
        static ulong Translate(FakeGuestRam ram, ulong cr3, ulong va)
        {
            ulong pml4e = ram.U64(cr3 + ((va >> 39) & 511) * 8);
            Assert.True((pml4e & 1) != 0, "PML4E not present for " + va.ToString("x"));
            ulong pdpte = ram.U64((pml4e & 0xFFFFFFFFFF000) + ((va >> 30) & 511) * 8);
            Assert.True((pdpte & 1) != 0, "PDPTE not present for " + va.ToString("x"));
            Assert.True((pdpte & 0x80) == 0, "no 1 GiB pages");
            ulong pde = ram.U64((pdpte & 0xFFFFFFFFFF000) + ((va >> 21) & 511) * 8);
            Assert.True((pde & 1) != 0 && (pde & 2) != 0, "PDE not present/writable for " + va.ToString("x"));
            Assert.True((pde & 0x80) != 0, "2 MiB page expected");
            return (pde & 0xFFFFFFFE00000) + (va & 0x1FFFFF);
        }

        [Fact]
        public void PageTablesIdentityMapTheFirst4GiBWith2MiBPages()
        {
            var ram = new FakeGuestRam(Ram64M);
            LoadResult r = LoadOk(new BzImageBuilder().Build(), ram, initrd: new byte[0x3000]);
            ulong cr3 = r.Entry.Cr3;
            foreach (ulong va in new ulong[] { 0, 0x1000, 0x9000, 0xA000, 0xE0000, r.Entry.Eip, r.KernelEnd - 1, r.ModuleStart, 0xB0000000, 0xFEE00000, 0xFFFFFFFF })
                Assert.Equal(va, Translate(ram, cr3, va));
            // Nothing above 4 GiB: PDPT entries 4.. and PML4 entries 1.. are empty.
            Assert.Equal(0UL, ram.U64(0x4000 + 4 * 8));
            Assert.Equal(0UL, ram.U64(0x3000 + 8));
        }

        [Fact]
        public void BootParamsCarryTheHeaderAndTheLoadersFields()
        {
            var b = new BzImageBuilder();
            byte[] image = b.Build();
            var ram = new FakeGuestRam(Ram64M);
            byte[] initrd = TestImages.Pattern(0x5432, 9);
            LoadResult r = LoadOk(image, ram, "console=ttyS0 quiet", initrd, 0xE0000);
            byte[] bp = ram.Read(0x9000, 4096);
            // The setup header is copied from 0x1F1 to its end (0x202 + 0x6A), except the loader's fields.
            int[] loaderFields = { 0x210, 0x211, 0x214, 0x215, 0x216, 0x217, 0x218, 0x219, 0x21A, 0x21B, 0x21C, 0x21D, 0x21E, 0x21F, 0x228, 0x229, 0x22A, 0x22B };
            for (int o = 0x1F1; o < 0x26C; o++)
                if (Array.IndexOf(loaderFields, o) < 0)
                    Assert.True(image[o] == bp[o], "header byte " + o.ToString("x") + " not copied");
            Assert.Equal(0xFF, bp[0x210]);                            // type_of_loader: undefined
            Assert.Equal(0x01, bp[0x211]);                            // LOADED_HIGH only
            Assert.Equal(0x1000000u, ElfBuilder.Get32(bp, 0x214));     // code32_start = load address
            Assert.Equal((uint)r.ModuleStart, ElfBuilder.Get32(bp, 0x218));
            Assert.Equal((uint)initrd.Length, ElfBuilder.Get32(bp, 0x21C));
            Assert.Equal(0xA000u, ElfBuilder.Get32(bp, 0x228));        // cmd_line_ptr
            Assert.Equal(0u, ElfBuilder.Get32(bp, 0x0C0));             // ext_ramdisk_image
            Assert.Equal(0u, ElfBuilder.Get32(bp, 0x0C4));             // ext_ramdisk_size
            Assert.Equal(0u, ElfBuilder.Get32(bp, 0x0C8));             // ext_cmd_line_ptr
            Assert.Equal(0xE0000UL, ElfBuilder.Get64(bp, 0x070));      // acpi_rsdp_addr
            Assert.Equal(0, bp[0x1EF]);                               // sentinel
            // Nothing before the header but the fields above (no screen_info, no EFI info).
            for (int o = 0; o < 0x1E8; o++)
                if (o < 0x070 || o >= 0x078)
                    Assert.True(bp[o] == 0, "boot_params byte " + o.ToString("x") + " is not 0");
            Assert.Equal("console=ttyS0 quiet", ram.CString(0xA000));
            Assert.Equal(initrd, ram.Read(r.ModuleStart, initrd.Length));
        }

        [Fact]
        public void HeaderFieldsAfterTheJumpTargetAreNotCopied()
        {
            var b = new BzImageBuilder { JumpOffset = 0x66 };   // header ends at 0x268: kernel_info_offset is not part of it
            var ram = new FakeGuestRam(Ram64M);
            LoadOk(b.Build(), ram);
            Assert.Equal(0x190u, ram.U32(0x9000 + 0x264));
            Assert.Equal(0u, ram.U32(0x9000 + 0x268));
        }

        [Fact]
        public void E820MapOf64MiB()
        {
            var ram = new FakeGuestRam(Ram64M);
            LoadOk(new BzImageBuilder().Build(), ram);
            var map = ReadE820(ram);
            Assert.Equal(new (ulong, ulong, uint)[]
            {
                (0, 0x9FC00, 1),
                (0x9FC00, 0x100000 - 0x9FC00, 2),
                (0x100000, Ram64M - 0x100000, 1),
                (0xB0000000, 0x10000000, 2),
            }, map);
        }

        [Fact]
        public void E820MapOf6GiBSplitsAroundTheMmioHole()
        {
            const ulong six = 6UL << 30;
            var ram = new FakeGuestRam(0x100000000 + six - 0xB0000000);
            LoadOk(new BzImageBuilder().Build(), ram, ranges: BzImageBuilder.Ram(six));
            var map = ReadE820(ram);
            Assert.Equal(new (ulong, ulong, uint)[]
            {
                (0, 0x9FC00, 1),
                (0x9FC00, 0x100000 - 0x9FC00, 2),
                (0x100000, 0xB0000000 - 0x100000, 1),
                (0xB0000000, 0x10000000, 2),
                (0x100000000, six - 0xB0000000, 1),
            }, map);
        }

        internal static (ulong, ulong, uint)[] ReadE820(FakeGuestRam ram)
        {
            int n = ram.Read(0x9000 + 0x1E8, 1)[0];
            var map = new (ulong, ulong, uint)[n];
            for (int i = 0; i < n; i++)
            {
                ulong o = 0x9000 + 0x2D0 + (ulong)i * 20;
                map[i] = (ram.U64(o), ram.U64(o + 8), ram.U32(o + 16));
            }
            return map;
        }

        [Fact]
        public void InitrdGoesPageAlignedAsHighAsRamAllows()
        {
            var ram = new FakeGuestRam(Ram64M);
            LoadResult r = LoadOk(new BzImageBuilder().Build(), ram, initrd: new byte[0x5432]);
            Assert.Equal((Ram64M - 0x5432) & ~0xFFFUL, r.ModuleStart);
            Assert.Equal(r.ModuleStart + 0x5432, r.ModuleEnd);
            Assert.True(r.ModuleEnd <= Ram64M);
        }

        [Fact]
        public void InitrdStaysBelowInitrdAddrMax()
        {
            var b = new BzImageBuilder { InitrdAddrMax = 0x2FFFFFF };   // highest byte: 48 MiB - 1
            var ram = new FakeGuestRam(Ram64M);
            LoadResult r = LoadOk(b.Build(), ram, initrd: new byte[0x2000]);
            Assert.Equal(0x3000000UL - 0x2000, r.ModuleStart);
            Assert.Equal(0x3000000UL, r.ModuleEnd);
        }

        [Fact]
        public void InitrdGoesBelowTheKernelWhenAboveIsFull()
        {
            var ram = new FakeGuestRam(32 << 20);                       // kernel [16, 24) MiB, 8 MiB above it
            LoadResult r = LoadOk(new BzImageBuilder().Build(), ram, initrd: new byte[12 << 20]);
            Assert.Equal(4UL << 20, r.ModuleStart);                     // [4, 16) MiB
            Assert.Equal(16UL << 20, r.ModuleEnd);
        }

        [Fact]
        public void RelocatableKernelWithLowPrefAddressGoesToTheFirstAlignedAddressAbove1MiB()
        {
            var b = new BzImageBuilder { PrefAddress = 0x100000 };
            var ram = new FakeGuestRam(Ram64M);
            LoadResult r = LoadOk(b.Build(), ram);
            Assert.Equal(0x200000UL, r.KernelStart);
            Assert.Equal(0x200200u, r.Entry.Eip);
        }

        [Fact]
        public void NonRelocatableKernelLoadsAtPrefAddress()
        {
            var b = new BzImageBuilder { Relocatable = 0, PrefAddress = 0x1400000, KernelAlignment = 0 };
            var ram = new FakeGuestRam(Ram64M);
            LoadResult r = LoadOk(b.Build(), ram);
            Assert.Equal(0x1400000UL, r.KernelStart);
        }

        [Fact]
        public void SetupSectsZeroMeansFour()
        {
            var b = new BzImageBuilder { SetupSects = 0 };
            byte[] image = b.Build();
            var ram = new FakeGuestRam(Ram64M);
            LoadOk(image, ram);
            Assert.Equal(image.AsSpan(5 * 512, 64).ToArray(), ram.Read(0x1000000, 64));
        }

        [Fact]
        public void CommandLineBytesOutsidePrintableAsciiBecomeQuestionMarks()
        {
            var ram = new FakeGuestRam(Ram64M);
            LoadOk(new BzImageBuilder().Build(), ram, "a\u00e9b\u0000c");
            Assert.Equal("a?b?c", ram.CString(0xA000));
        }

        [Fact]
        public void CommandLineOfExactlyCmdlineSizeIsAccepted()
        {
            var ram = new FakeGuestRam(Ram64M);
            LoadOk(new BzImageBuilder().Build(), ram, new string('x', 2047));
            Assert.Equal(2047, ram.CString(0xA000).Length);
            Assert.Equal(0, ram.Read(0xA000 + 2047, 1)[0]);
        }

        [Fact]
        public void NoRsdpLeavesTheFieldZero()
        {
            var ram = new FakeGuestRam(Ram64M);
            LoadOk(new BzImageBuilder().Build(), ram, rsdp: 0);
            Assert.Equal(0UL, ram.U64(0x9000 + 0x70));
        }

        [Fact]
        public void WritesOnlyTheBootStructuresTheKernelAndTheInitrd()
        {
            var b = new BzImageBuilder();
            var ram = new FakeGuestRam(Ram64M);
            LoadResult r = LoadOk(b.Build(), ram, "x", new byte[0x1800]);
            var expected = new (ulong, ulong)[]
            {
                (0x1000, 0x1000), (0x2000, 0x1000), (0x3000, 0x1000), (0x4000, 0x1000),
                (0x5000, 0x1000), (0x6000, 0x1000), (0x7000, 0x1000), (0x8000, 0x1000),
                (0x9000, 0x1000), (0xA000, 0x1000), (0x1000000, (ulong)b.KernelBytes), (r.ModuleStart, 0x1800),
            };
            Assert.Equal(expected, ram.Ranges.ToArray());
        }
    }
}
