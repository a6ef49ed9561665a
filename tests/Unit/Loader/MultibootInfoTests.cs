using System;
using Hv.Loader;
using Xunit;

namespace Hv.Tests.Loader
{
    /// <summary>
    /// The Multiboot information structure in guest RAM, byte for byte. Offsets are written out
    /// here from the specification (Multiboot 0.6.96 §3.3), not taken from the loader's constants.
    /// </summary>
    public class MultibootInfoTests
    {
        const ulong Mbi = 0x9000;

        static FakeGuestRam Load(ulong ramSize, string cmdline)
        {
            var ram = new FakeGuestRam(ramSize);
            LoadResult r = MultibootLoader.Load(TestImages.Kernel().Build(), ram, cmdline);
            Assert.True(r.Ok, r.Error);
            return ram;
        }

        [Fact]
        public void EveryFieldOfTheStructure()
        {
            FakeGuestRam ram = Load(32 << 20, "--verbose seed=42");

            Assert.Equal(0x245u, ram.U32(Mbi + 0));            // flags: mem (0), cmdline (2), mmap (6), boot_loader_name (9)
            Assert.Equal(639u, ram.U32(Mbi + 4));              // mem_lower: KiB from 0
            Assert.Equal(31u * 1024, ram.U32(Mbi + 8));        // mem_upper: KiB from 1 MiB
            Assert.Equal(0u, ram.U32(Mbi + 12));               // boot_device: not given
            Assert.Equal(0x9200u, ram.U32(Mbi + 16));          // cmdline
            Assert.Equal("--verbose seed=42", ram.CString(0x9200));
            Assert.Equal(0u, ram.U32(Mbi + 20));               // mods_count
            Assert.Equal(0u, ram.U32(Mbi + 24));               // mods_addr
            for (int o = 28; o < 44; o += 4)
                Assert.Equal(0u, ram.U32(Mbi + (ulong)o));     // syms
            Assert.Equal(48u, ram.U32(Mbi + 44));              // mmap_length: two 24-byte entries
            Assert.Equal(0x9080u, ram.U32(Mbi + 48));          // mmap_addr
            for (int o = 52; o < 64; o += 4)
                Assert.Equal(0u, ram.U32(Mbi + (ulong)o));     // drives, config_table
            Assert.Equal(0x9110u, ram.U32(Mbi + 64));          // boot_loader_name
            Assert.Equal("hv", ram.CString(0x9110));
            for (int o = 68; o < 116; o += 4)
                Assert.Equal(0u, ram.U32(Mbi + (ulong)o));     // apm, vbe, framebuffer
        }

        [Fact]
        public void MemoryMapEntries()
        {
            FakeGuestRam ram = Load(32 << 20, "");
            // Entry: size (4, not counting itself), base_addr (8), length (8), type (4).
            Assert.Equal(20u, ram.U32(0x9080));
            Assert.Equal(0UL, ram.U64(0x9084));
            Assert.Equal(0x9FC00UL, ram.U64(0x908C));
            Assert.Equal(1u, ram.U32(0x9094));
            Assert.Equal(20u, ram.U32(0x9098));
            Assert.Equal(0x100000UL, ram.U64(0x909C));
            Assert.Equal((32UL << 20) - 0x100000, ram.U64(0x90A4));
            Assert.Equal(1u, ram.U32(0x90AC));
            Assert.Equal(0u, ram.U32(0x90B0));                 // nothing after the map
        }

        [Fact]
        public void RamAboveFourGiBIsReportedIn64BitFields()
        {
            FakeGuestRam ram = Load(6UL << 30, "");
            Assert.Equal((uint)(((6UL << 30) - 0x100000) / 1024), ram.U32(Mbi + 8));
            Assert.Equal((6UL << 30) - 0x100000, ram.U64(0x90A4));
        }

        [Fact]
        public void EmptyCommandLineIsAnEmptyString()
        {
            FakeGuestRam ram = Load(16 << 20, "");
            Assert.Equal(0x9200u, ram.U32(Mbi + 16));
            Assert.Equal(0, ram.Read(0x9200, 1)[0]);
        }

        [Fact]
        public void CommandLineBytesOutsidePrintableAsciiBecomeQuestionMarks()
        {
            FakeGuestRam ram = Load(16 << 20, "a\u00e9b\0c\u007fd\te");
            Assert.Equal("a?b?c?d\te", ram.CString(0x9200));
        }

        [Fact]
        public void LongestCommandLineFitsWithItsNul()
        {
            string cmdline = new string('x', 2047);
            FakeGuestRam ram = Load(16 << 20, cmdline);
            Assert.Equal(cmdline, ram.CString(0x9200));
            Assert.Equal(0, ram.Read(0x9200 + 2047, 1)[0]);
        }

        [Fact]
        public void TheAreaRegionsDoNotOverlap()
        {
            Assert.True(MultibootInfo.StructOffset + MultibootInfo.StructSize <= MultibootInfo.MemoryMapOffset);
            Assert.True(MultibootInfo.MemoryMapOffset + 2 * MultibootInfo.MemoryMapEntrySize <= MultibootInfo.ModuleOffset);
            Assert.True(MultibootInfo.ModuleOffset + MultibootInfo.ModuleEntrySize <= MultibootInfo.LoaderNameOffset);
            Assert.True(MultibootInfo.LoaderNameOffset + 3 <= MultibootInfo.ModuleStringOffset);
            Assert.True(MultibootInfo.ModuleStringOffset + 7 <= MultibootInfo.CommandLineOffset);
            Assert.True(MultibootInfo.CommandLineOffset + MultibootInfo.MaxCommandLine + 1 <= MultibootInfo.AreaSize);
        }
    }
}
