using System;
using System.Collections.Generic;
using Hv.Loader;
using Xunit;

namespace Hv.Tests.Loader
{
    /// <summary>Every way an image can be wrong, each with the message that names it. Nothing is written.</summary>
    public class MultibootErrorTests
    {
        const ulong Ram16M = 16 << 20;

        sealed class Case
        {
            public byte[] Image;
            public ulong Ram = Ram16M;
            public string CommandLine = "";
            public byte[] Module = new byte[0];
            public ulong RefuseFrom = ulong.MaxValue;
            public string Expected;
        }

        static Case Elf(ElfBuilder b, string expected) => new Case { Image = b.Build(), Expected = expected };

        static Case Damaged(Action<byte[]> damage, string expected)
        {
            byte[] image = TestImages.Kernel().Build();
            damage(image);
            return new Case { Image = image, Expected = expected };
        }

        /// <summary>A flat image with the a.out-kludge header (flag bit 16) at file offset 0x20.</summary>
        static Case Aout(uint headerAddr, uint loadAddr, uint loadEnd, uint bssEnd, uint entry, string expected, int length = 0x200)
        {
            byte[] image = TestImages.Pattern(length, 11);
            byte[] h = TestImages.Header(0x00010000, headerAddr, loadAddr, loadEnd, bssEnd, entry);
            Array.Copy(h, 0, image, 0x20, h.Length);
            return new Case { Image = image, Expected = expected };
        }

        static ElfBuilder WithHeaderAt(int fileOffset, uint flags = 3)
        {
            var b = new ElfBuilder { Entry = 0x100000 };
            byte[] text = new byte[0x1100];
            Array.Copy(TestImages.Header(flags), 0, text, fileOffset - 0x1000, 12);
            b.Add(0x100000, text, (uint)text.Length);
            return b;
        }

        static Case Build(string name)
        {
            ElfBuilder k = TestImages.Kernel();
            switch (name)
            {
                case "empty file":
                    return new Case { Image = new byte[0], Expected = "no Multiboot header (magic 0x1badb002, 4-byte aligned) in the first 8192 bytes" };
                case "no header":
                    k.Segments[0].Data = new byte[0x200];
                    return Elf(k, "no Multiboot header");
                case "header past 8192 bytes":
                    return Elf(WithHeaderAt(8184), "no Multiboot header");
                case "header not 4-byte aligned":
                    return Elf(WithHeaderAt(0x1002), "no Multiboot header");
                case "bad checksum":
                    return Damaged(f => f[0x1008] ^= 0x80,
                        "Multiboot header at offset 0x1000: bad checksum (magic + flags + checksum = 0xffffff80, must be 0)");
                case "video mode required":
                    return Elf(TestImages.Kernel(flags: 7),
                        "Multiboot header at offset 0x1000: flags 0x00000007 require bit 2 (video mode information: this loader has no display), which this loader does not support");
                case "unknown requirement":
                    return Elf(TestImages.Kernel(flags: 0x8003), "require bit 15 (unknown requirement)");
                case "a.out fields cut off":
                {
                    byte[] image = new byte[0x40];
                    Array.Copy(TestImages.Header(0x00010000), 0, image, 0x30, 12);
                    return new Case { Image = image, Expected = "address fields (flag bit 16) run past the end of the file" };
                }
                case "a.out header below load_addr":
                    return Aout(0x100000, 0x100020, 0, 0, 0x100020, "Multiboot a.out kludge: header_addr 0x00100000 is below load_addr 0x00100020");
                case "a.out load before the file":
                    return Aout(0x100040, 0x100000, 0, 0, 0x100000, "load_addr 0x00100000 would start before the beginning of the file");
                case "a.out load_end below load_addr":
                    return Aout(0x100020, 0x100000, 0xFFFFF, 0, 0x100000, "load_end_addr 0x000fffff is below load_addr 0x00100000");
                case "a.out bss_end below load_end":
                    return Aout(0x100020, 0x100000, 0x100100, 0x1000FF, 0x100000, "bss_end_addr 0x001000ff is below load_end_addr 0x00100100");
                case "a.out load_end past the file":
                    return Aout(0x100020, 0x100000, 0x100201, 0, 0x100000,
                        "the a.out-kludge load range: its file bytes (513 at offset 0x00000000) run past the end of the file (512 bytes)");
                case "a.out entry outside":
                    return Aout(0x100020, 0x100000, 0x100100, 0x101000, 0x101000, "the entry point 0x00101000 is not inside a loaded segment");
                case "a.out loads nothing":
                    return Aout(0x100020, 0x100000, 0x100000, 0, 0x100000, "no loadable segment");
                case "a.out range above 4 GiB":
                    return Aout(0xFFFFFF20, 0xFFFFFF00, 0, 0x00000000, 0xFFFFFF00, "ends above 4 GiB");
                case "truncated ELF header":
                {
                    byte[] image = new byte[40];
                    image[0] = 0x7F; image[1] = (byte)'E'; image[2] = (byte)'L'; image[3] = (byte)'F';
                    Array.Copy(TestImages.Header(3), 0, image, 16, 12);
                    return new Case { Image = image, Expected = "ELF: the file is 40 bytes, shorter than the 52-byte ELF header" };
                }
                case "not ELF":
                    return Damaged(f => f[1] = (byte)'X', "ELF: not an ELF file (no 7f 'E' 'L' 'F' at offset 0)");
                case "ELF64":
                    k.Class = 2;
                    return Elf(k, "ELF: class 2 is not ELFCLASS32 (1): a Multiboot kernel is a 32-bit ELF");
                case "big-endian":
                    k.DataEncoding = 2;
                    return Elf(k, "ELF: data encoding 2 is not little-endian (ELFDATA2LSB, 1)");
                case "ident version":
                    k.IdentVersion = 0;
                    return Elf(k, "ELF: ident version 0 is not EV_CURRENT (1)");
                case "shared object":
                    k.Type = 3;
                    return Elf(k, "ELF: type 3 is not ET_EXEC (2)");
                case "x86-64 machine":
                    k.Machine = 62;
                    return Elf(k, "ELF: machine 62 is not EM_386 (3)");
                case "ELF version":
                    k.Version = 0;
                    return Elf(k, "ELF: version 0 is not EV_CURRENT (1)");
                case "no program headers":
                    k.ProgramHeaderCountOverride = 0;
                    return Elf(k, "ELF: no program headers (e_phnum is 0)");
                case "program header too small":
                    k.ProgramHeaderEntrySize = 16;
                    return Elf(k, "ELF: program header size 16 is below 32 bytes");
                case "program headers past the end":
                    k.ProgramHeaderOffsetOverride = 0xFFFFFFF0;
                    return Elf(k, "ELF: the program headers (2 x 32 bytes at offset 0xfffffff0) run past the end of the file (8448 bytes)");
                case "too many program headers":
                    k.ProgramHeaderCountOverride = 0xFFFF;
                    return Elf(k, "ELF: the program headers (65535 x 32 bytes");
                case "segment file size past the end":
                    k.Segments[1].FileSizeOverride = 0x1000;
                    k.Segments[1].MemorySize = 0x2000;
                    return Elf(k, "segment 1: its file bytes (4096 at offset 0x00002000) run past the end of the file (8448 bytes)");
                case "segment offset past the end":
                    k.Segments[1].OffsetOverride = 0xFFFFFF00;
                    return Elf(k, "segment 1: its file bytes (256 at offset 0xffffff00) run past the end");
                case "file size above memory size":
                    k.Segments[1].MemorySize = 0x80;
                    return Elf(k, "segment 1: file size 0x00000100 is larger than its memory size 0x00000080");
                case "segment outside RAM":
                    k.Add(0x1000000, new byte[16], 16);
                    return Elf(k, "segment 2: 0x01000000..0x01000010 is outside guest RAM (0x00000000..0x01000000)");
                case "segment across RAM end":
                    k.Add(0xFFFFF0, new byte[16], 0x20);
                    return Elf(k, "segment 2: 0x00fffff0..0x01000010 is outside guest RAM");
                case "segment above 4 GiB":
                {
                    k.Add(0xFFFFF000, new byte[16], 0x2000);
                    Case c = Elf(k, "segment 2: 0xfffff000..0x100001000 ends above 4 GiB");
                    c.Ram = 8UL << 30;
                    return c;
                }
                case "segment overlaps the information area":
                    k.Add(0x9800, new byte[16], 16);
                    return Elf(k, "segment 2: 0x00009800..0x00009810 overlaps the Multiboot information area 0x00009000..0x0000a000");
                case "segment covers the information area":
                    k.Add(0, new byte[16], 0x100000);
                    return Elf(k, "overlaps the Multiboot information area");
                case "no loadable segment":
                    k.Segments[0].Type = 4;
                    k.Segments[1].Type = 4;
                    return Elf(k, "the image has no loadable segment");
                case "entry outside every segment":
                    k.Entry = 0x105000;
                    return Elf(k, "the entry point 0x00105000 is not inside a loaded segment");
                case "command line too long":
                {
                    Case c = Elf(k, "the command line is 2048 characters; Multiboot takes at most 2047");
                    c.CommandLine = new string('x', 2048);
                    return c;
                }
                case "RAM smaller than the information area":
                {
                    Case c = Elf(k, "guest RAM (32768 bytes) does not hold the Multiboot information area 0x00009000..0x0000a000");
                    c.Ram = 0x8000;
                    return c;
                }
                case "module too large":
                {
                    Case c = Elf(k, "the module (15708161 bytes) does not fit in guest RAM after the kernel: it needs 0x00105000..0x01000001, RAM ends at 0x01000000");
                    c.Module = new byte[0x1000000 - 0x105000 + 1];
                    return c;
                }
                case "RAM refuses a write":
                {
                    Case c = Elf(k, "guest RAM refused a write to 0x00103000..0x00103100");
                    c.RefuseFrom = 0x103000;
                    return c;
                }
                default:
                    throw new ArgumentException(name);
            }
        }

        public static readonly string[] Names =
        {
            "empty file", "no header", "header past 8192 bytes", "header not 4-byte aligned", "bad checksum",
            "video mode required", "unknown requirement", "a.out fields cut off", "a.out header below load_addr",
            "a.out load before the file", "a.out load_end below load_addr", "a.out bss_end below load_end",
            "a.out load_end past the file", "a.out entry outside", "a.out loads nothing", "a.out range above 4 GiB",
            "truncated ELF header", "not ELF", "ELF64", "big-endian", "ident version", "shared object", "x86-64 machine",
            "ELF version", "no program headers", "program header too small", "program headers past the end",
            "too many program headers", "segment file size past the end", "segment offset past the end",
            "file size above memory size", "segment outside RAM", "segment across RAM end", "segment above 4 GiB",
            "segment overlaps the information area", "segment covers the information area", "no loadable segment",
            "entry outside every segment", "command line too long", "RAM smaller than the information area",
            "module too large", "RAM refuses a write",
        };

        public static IEnumerable<object[]> AllCases()
        {
            foreach (string n in Names)
                yield return new object[] { n };
        }

        [Theory]
        [MemberData(nameof(AllCases))]
        public void IsRejectedWithItsMessage(string name)
        {
            Case c = Build(name);
            var ram = new FakeGuestRam(c.Ram) { RefuseFrom = c.RefuseFrom };
            LoadResult r = MultibootLoader.Load(c.Image, ram, c.CommandLine, c.Module);
            Assert.False(r.Ok, name + ": loaded");
            Assert.NotNull(r.Error);
            Assert.True(r.Error.Contains(c.Expected), name + ": got \"" + r.Error + "\"");
            Assert.Empty(ram.OutOfRange);
            if (c.RefuseFrom == ulong.MaxValue)
                Assert.Equal(0, ram.Calls);
        }

        [Fact]
        public void NullRamIsAnError()
        {
            LoadResult r = MultibootLoader.Load(TestImages.Kernel().Build(), null, "");
            Assert.False(r.Ok);
            Assert.Equal("no guest RAM to load into", r.Error);
        }

        [Fact]
        public void DefaultResultIsNotOk()
        {
            Assert.False(default(LoadResult).Ok);
        }
    }
}
