using System;
using Hv.Loader;
using Xunit;

namespace Hv.Tests.Loader
{
    /// <summary>Images the loader must accept, and exactly what it writes and returns for them.</summary>
    public class MultibootLoadTests
    {
        const ulong Ram16M = 16 << 20;

        static LoadResult LoadOk(byte[] image, FakeGuestRam ram, string cmdline = "", byte[] module = null)
        {
            LoadResult r = MultibootLoader.Load(image, ram, cmdline, module ?? new byte[0]);
            Assert.True(r.Ok, "load failed: " + r.Error);
            Assert.Null(r.Error);
            Assert.Empty(ram.OutOfRange);
            return r;
        }

        [Fact]
        public void SegmentsLandAtTheirPhysicalAddressesWithZeroFill()
        {
            ElfBuilder b = TestImages.Kernel();
            byte[] image = b.Build();
            var ram = new FakeGuestRam(Ram16M);
            LoadOk(image, ram);

            Assert.Equal(b.Segments[0].Data, ram.Read(TestImages.TextAddress, 0x200));
            Assert.Equal(b.Segments[1].Data, ram.Read(TestImages.DataAddress, 0x100));
            Assert.Equal(new byte[0x2000 - 0x100], ram.Read(TestImages.DataAddress + 0x100, 0x2000 - 0x100));
            // Nothing around the segments is touched.
            Assert.Equal(FakeGuestRam.Unwritten, ram.Read(TestImages.TextAddress - 1, 1)[0]);
            Assert.Equal(FakeGuestRam.Unwritten, ram.Read(TestImages.TextAddress + 0x200, 1)[0]);
            Assert.Equal(FakeGuestRam.Unwritten, ram.Read(TestImages.DataAddress - 1, 1)[0]);
            Assert.Equal(FakeGuestRam.Unwritten, ram.Read(TestImages.DataAddress + 0x2000, 1)[0]);
            // Segments + zero fill + the 4 KiB information area; nothing else.
            Assert.Equal(0x200UL + 0x2000 + 0x1000, ram.BytesTouched);
        }

        [Fact]
        public void ResultReportsTheKernelAndTheInformationArea()
        {
            var ram = new FakeGuestRam(Ram16M);
            LoadResult r = LoadOk(TestImages.Kernel().Build(), ram);
            Assert.Equal(0x100000UL, r.KernelStart);
            Assert.Equal(0x105000UL, r.KernelEnd);
            Assert.Equal(0x9000UL, r.InfoAddress);
            Assert.Equal(0UL, r.ModuleStart);
            Assert.Equal(0UL, r.ModuleEnd);
        }

        [Fact]
        public void EntryStateIsTheMultibootMachineState()
        {
            var ram = new FakeGuestRam(Ram16M);
            EntryState e = LoadOk(TestImages.Kernel().Build(), ram).Entry;

            Assert.Equal(0x2BADB002u, e.Eax);
            Assert.Equal(0x9000u, e.Ebx);
            Assert.Equal(TestImages.Entry, e.Eip);
            Assert.Equal(0u, e.Ecx | e.Edx | e.Esi | e.Edi | e.Ebp | e.Esp);
            Assert.Equal(0x2u, e.Eflags);                 // IF = 0, VM = 0, reserved bit 1
            Assert.Equal(0x11u, e.Cr0);                   // PE, ET; PG = 0
            Assert.Equal(0u, e.Cr3 | e.Cr4);
            Assert.Equal(0UL, e.Efer);

            Assert.Equal(0x08, e.Cs.Selector);
            Assert.Equal(0u, e.Cs.Base);
            Assert.Equal(0xFFFFFFFFu, e.Cs.Limit);
            Assert.Equal(0xC09B, e.Cs.Attributes);        // G, D, P, S, execute/read, accessed
            Assert.False(e.Cs.Unusable);
            foreach (SegmentState d in new[] { e.Ds, e.Es, e.Fs, e.Gs, e.Ss })
            {
                Assert.Equal(0x10, d.Selector);
                Assert.Equal(0u, d.Base);
                Assert.Equal(0xFFFFFFFFu, d.Limit);
                Assert.Equal(0xC093, d.Attributes);       // G, B, P, S, read/write, accessed
                Assert.False(d.Unusable);
            }
            Assert.Equal(0x8B, e.Tr.Attributes);          // present busy 32-bit TSS
            Assert.Equal(0x67u, e.Tr.Limit);
            Assert.False(e.Tr.Unusable);
            Assert.True(e.Ldtr.Unusable);
            Assert.Equal(0u, e.GdtrBase | e.IdtrBase);
            Assert.Equal(0, e.GdtrLimit | e.IdtrLimit);
        }

        [Fact]
        public void SvmAttributeFormIsDerivableFromTheDocumentedLayout()
        {
            // EntryState documents VMCB attrib = (a & 0xFF) | ((a >> 4) & 0xF00).
            ushort code = SegmentAttributes.FlatCode32;
            Assert.Equal(0xC9B, (code & 0xFF) | ((code >> 4) & 0xF00));
        }

        [Fact]
        public void HigherHalfEntryIsTranslatedToItsPhysicalAddress()
        {
            var b = new ElfBuilder { Entry = 0xC010000C };
            byte[] text = TestImages.Pattern(0x100, 3);
            Array.Copy(TestImages.Header(3), text, 12);
            b.Add(0x100000, text, 0x100, virtualAddress: 0xC0100000);
            var ram = new FakeGuestRam(Ram16M);
            LoadResult r = LoadOk(b.Build(), ram);
            Assert.Equal(0x10000Cu, r.Entry.Eip);
            Assert.Equal(text, ram.Read(0x100000, 0x100));
        }

        [Fact]
        public void EntryInAPhysicalRangeIsKeptWhenNoVirtualRangeHoldsIt()
        {
            var b = new ElfBuilder { Entry = 0x100010 };
            byte[] text = TestImages.Pattern(0x100, 3);
            Array.Copy(TestImages.Header(3), text, 12);
            b.Add(0x100000, text, 0x100, virtualAddress: 0xC0100000);
            Assert.Equal(0x100010u, LoadOk(b.Build(), new FakeGuestRam(Ram16M)).Entry.Eip);
        }

        [Fact]
        public void ProgramHeadersThatLoadNothingAreIgnored()
        {
            ElfBuilder b = TestImages.Kernel();
            b.Add(0xFFFFF000, new byte[16], 16).Type = 4;          // PT_NOTE, outside RAM: not loaded
            b.Add(0, new byte[0], 0).Type = 0x6474E551;            // PT_GNU_STACK
            b.Add(0x50000000, new byte[0], 0);                     // PT_LOAD of size 0
            var ram = new FakeGuestRam(Ram16M);
            LoadResult r = LoadOk(b.Build(), ram);
            Assert.Equal(0x105000UL, r.KernelEnd);
            Assert.Equal(0x200UL + 0x2000 + 0x1000, ram.BytesTouched);
        }

        [Fact]
        public void PureBssSegmentNeedsNoFileBytes()
        {
            ElfBuilder b = TestImages.Kernel();
            ElfBuilder.Segment bss = b.Add(0x200000, new byte[0], 0x3000);
            bss.OffsetOverride = 0xFFFFFFF0;                       // never read: p_filesz is 0
            var ram = new FakeGuestRam(Ram16M);
            LoadOk(b.Build(), ram);
            Assert.Equal(new byte[0x3000], ram.Read(0x200000, 0x3000));
        }

        [Fact]
        public void LargerProgramHeaderEntriesAreStepped()
        {
            ElfBuilder b = TestImages.Kernel();
            b.ProgramHeaderEntrySize = 40;
            var ram = new FakeGuestRam(Ram16M);
            LoadOk(b.Build(), ram);
            Assert.Equal(b.Segments[1].Data, ram.Read(TestImages.DataAddress, 0x100));
        }

        [Fact]
        public void ModuleGoesOnThePageAfterTheKernel()
        {
            byte[] module = TestImages.Pattern(5000, 9);
            var ram = new FakeGuestRam(Ram16M);
            LoadResult r = LoadOk(TestImages.Kernel().Build(), ram, "", module);
            Assert.Equal(0x105000UL, r.ModuleStart);
            Assert.Equal(0x105000UL + 5000, r.ModuleEnd);
            Assert.Equal(module, ram.Read(0x105000, 5000));
            Assert.Equal(1u, ram.U32(0x9000 + 20));                 // mods_count
            Assert.Equal(0x9100u, ram.U32(0x9000 + 24));            // mods_addr
            Assert.Equal(0x105000u, ram.U32(0x9100));               // mod_start
            Assert.Equal(0x105000u + 5000, ram.U32(0x9104));        // mod_end
            Assert.Equal("initrd", ram.CString(ram.U32(0x9108)));
            Assert.Equal(0u, ram.U32(0x910C));
            Assert.Equal(0x24Du, ram.U32(0x9000));                  // flags: + mods (bit 3)
        }

        [Fact]
        public void ModuleOfAKernelBelowOneMiBGoesAtOneMiB()
        {
            var b = new ElfBuilder { Entry = 0x2000C };
            byte[] text = TestImages.Pattern(0x100, 4);
            Array.Copy(TestImages.Header(3), text, 12);
            b.Add(0x20000, text, 0x100);
            LoadResult r = LoadOk(b.Build(), new FakeGuestRam(Ram16M), "", new byte[10]);
            Assert.Equal(0x100000UL, r.ModuleStart);
        }

        [Fact]
        public void AoutKludgeLoadsAFlatImageFromTheHeaderAddresses()
        {
            // A flat binary linked at 0x200000 with its header at file offset 0x40:
            // header_addr 0x200040, load_addr 0x200000, load_end 0x200100, bss_end 0x201000, entry 0x200060.
            byte[] image = TestImages.Pattern(0x180, 5);            // 0x80 bytes past load_end: not loaded
            byte[] header = TestImages.Header(0x00010003, 0x200040, 0x200000, 0x200100, 0x201000, 0x200060);
            Array.Copy(header, 0, image, 0x40, header.Length);
            var ram = new FakeGuestRam(Ram16M);
            LoadResult r = LoadOk(image, ram);
            Assert.Equal(0x200060u, r.Entry.Eip);
            Assert.Equal(0x200000UL, r.KernelStart);
            Assert.Equal(0x201000UL, r.KernelEnd);
            Assert.Equal(image.AsSpan(0, 0x100).ToArray(), ram.Read(0x200000, 0x100));
            Assert.Equal(new byte[0xF00], ram.Read(0x200100, 0xF00));
            Assert.Equal(FakeGuestRam.Unwritten, ram.Read(0x201000, 1)[0]);
        }

        [Fact]
        public void AoutKludgeWithZeroEndsLoadsTheRestOfTheFile()
        {
            // The header sits at file offset 0x10 and says it is at load_addr + 0x10.
            byte[] image = TestImages.Pattern(0x300, 6);
            byte[] header = TestImages.Header(0x00010000, 0x300010, 0x300000, 0, 0, 0x300000);
            Array.Copy(header, 0, image, 0x10, header.Length);
            var ram = new FakeGuestRam(Ram16M);
            LoadResult r = LoadOk(image, ram);
            Assert.Equal(0x300300UL, r.KernelEnd);
            Assert.Equal(image, ram.Read(0x300000, 0x300));
        }

        [Fact]
        public void AoutKludgeMayStartTheLoadInsideTheFile()
        {
            // A 0x40-byte prefix (say, a.out's own header) that is not loaded: the header is at
            // file offset 0x50 and at load_addr + 0x10.
            byte[] image = TestImages.Pattern(0x200, 7);
            byte[] header = TestImages.Header(0x00010000, 0x400010, 0x400000, 0x400100, 0, 0x400000);
            Array.Copy(header, 0, image, 0x50, header.Length);
            var ram = new FakeGuestRam(Ram16M);
            LoadOk(image, ram);
            Assert.Equal(image.AsSpan(0x40, 0x100).ToArray(), ram.Read(0x400000, 0x100));
        }

        [Fact]
        public void HeaderAtTheLastAlignedOffsetOfTheSearchAreaIsFound()
        {
            // 8192 - 12 = 8180 is 4-aligned: the header still ends within the first 8192 bytes.
            var b = new ElfBuilder { Entry = 0x100000 };
            byte[] text = new byte[0x2000 - 0x1000 + 0x100];
            Array.Copy(TestImages.Header(3), 0, text, 8180 - 0x1000, 12);
            b.Add(0x100000, text, (uint)text.Length);
            LoadOk(b.Build(), new FakeGuestRam(Ram16M));
        }

        [Fact]
        public void AValidHeaderAfterOneWithABadChecksumIsUsed()
        {
            ElfBuilder b = TestImages.Kernel();
            byte[] text = b.Segments[0].Data;
            byte[] bad = TestImages.Header(3);
            bad[8] ^= 1;
            Array.Copy(bad, 0, text, 0, 12);
            Array.Copy(TestImages.Header(3), 0, text, 0x20, 12);
            LoadOk(b.Build(), new FakeGuestRam(Ram16M));
        }

        [Fact]
        public void OptionalFlagBitsAreIgnored()
        {
            LoadOk(TestImages.Kernel(flags: 0xFFFE0003).Build(), new FakeGuestRam(Ram16M));
            LoadOk(TestImages.Kernel(flags: 0).Build(), new FakeGuestRam(Ram16M));
        }

        [Fact]
        public void SegmentMayEndExactlyAtRamEnd()
        {
            var b = new ElfBuilder { Entry = 0xFFF000 };
            byte[] text = TestImages.Pattern(0x1000, 8);
            Array.Copy(TestImages.Header(3), text, 12);
            b.Add(0xFFF000, text, 0x1000);
            LoadOk(b.Build(), new FakeGuestRam(Ram16M));
        }

        [Fact]
        public void SegmentsMayTouchTheInformationAreaWithoutOverlappingIt()
        {
            var b = new ElfBuilder { Entry = 0x8000 };
            byte[] text = TestImages.Pattern(0x1000, 8);
            Array.Copy(TestImages.Header(3), text, 12);
            b.Add(0x8000, text, 0x1000);                         // ends at 0x9000
            b.Add(0xA000, new byte[16], 0x10);                   // starts at 0xA000
            LoadOk(b.Build(), new FakeGuestRam(Ram16M));
        }

        [Fact]
        public void OneMiBOfRamHasOnlyLowMemory()
        {
            var b = new ElfBuilder { Entry = 0x2000C };
            byte[] text = TestImages.Pattern(0x100, 4);
            Array.Copy(TestImages.Header(3), text, 12);
            b.Add(0x20000, text, 0x100);
            var ram = new FakeGuestRam(1 << 20);
            LoadOk(b.Build(), ram);
            Assert.Equal(639u, ram.U32(0x9004));
            Assert.Equal(0u, ram.U32(0x9008));
            Assert.Equal(24u, ram.U32(0x9000 + 44));                // one mmap entry
            Assert.Equal(0x9FC00UL, ram.U64(0x9080 + 12));
        }

        [Fact]
        public void NothingIsWrittenWhenTheLastSegmentIsBad()
        {
            ElfBuilder b = TestImages.Kernel();
            b.Add(0x2000000, new byte[16], 16);                    // 32 MiB: outside 16 MiB of RAM
            var ram = new FakeGuestRam(Ram16M);
            LoadResult r = MultibootLoader.Load(b.Build(), ram, "");
            Assert.False(r.Ok);
            Assert.Equal(0, ram.Calls);
        }
    }
}
