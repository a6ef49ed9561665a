using System;
using System.Collections.Generic;

namespace Hv.Tests.Loader
{
    /// <summary>
    /// Writes small ELF32 images for the loader tests: the file header, the program header table
    /// right after it, and each segment's bytes at its own page-aligned file offset (as linkers
    /// lay them out). Every field can be set to a wrong value; offsets of what was written are
    /// kept so tests can damage one field of the built bytes.
    /// </summary>
    sealed class ElfBuilder
    {
        public sealed class Segment
        {
            public uint Type = 1;          // PT_LOAD
            public uint VirtualAddress;
            public uint PhysicalAddress;
            public byte[] Data = new byte[0];
            public uint MemorySize;
            public uint Flags = 5;         // R + X
            public uint Align = 0x1000;
            /// <summary>When set, written as p_offset instead of the real offset (the data is still placed).</summary>
            public uint? OffsetOverride;
            /// <summary>When set, written as p_filesz instead of Data.Length.</summary>
            public uint? FileSizeOverride;
        }

        public readonly List<Segment> Segments = new List<Segment>();
        public uint Entry;
        public byte Class = 1, DataEncoding = 1, IdentVersion = 1;
        public ushort Type = 2, Machine = 3;
        public uint Version = 1;
        public ushort ProgramHeaderEntrySize = 32;
        public ushort? ProgramHeaderCountOverride;
        public uint? ProgramHeaderOffsetOverride;

        /// <summary>File offset of segment i's data, after Build.</summary>
        public readonly List<int> SegmentOffsets = new List<int>();
        public const int ProgramHeaderOffset = 52;

        public Segment Add(uint physical, byte[] data, uint memorySize, uint? virtualAddress = null)
        {
            var s = new Segment { PhysicalAddress = physical, VirtualAddress = virtualAddress ?? physical, Data = data, MemorySize = memorySize };
            Segments.Add(s);
            return s;
        }

        public byte[] Build()
        {
            int phEnd = ProgramHeaderOffset + Segments.Count * ProgramHeaderEntrySize;
            int at = Align(phEnd, 0x1000);
            SegmentOffsets.Clear();
            foreach (Segment s in Segments)
            {
                SegmentOffsets.Add(at);
                at = Align(at + s.Data.Length, 0x1000);
            }
            int length = Segments.Count == 0 ? phEnd : SegmentOffsets[Segments.Count - 1] + Segments[Segments.Count - 1].Data.Length;
            byte[] f = new byte[Math.Max(length, phEnd)];
            f[0] = 0x7F; f[1] = (byte)'E'; f[2] = (byte)'L'; f[3] = (byte)'F';
            f[4] = Class; f[5] = DataEncoding; f[6] = IdentVersion;
            Put16(f, 16, Type);
            Put16(f, 18, Machine);
            Put32(f, 20, Version);
            Put32(f, 24, Entry);
            Put32(f, 28, ProgramHeaderOffsetOverride ?? ProgramHeaderOffset);
            Put32(f, 32, 0);                      // e_shoff: no sections
            Put16(f, 40, 52);                     // e_ehsize
            Put16(f, 42, ProgramHeaderEntrySize);
            Put16(f, 44, ProgramHeaderCountOverride ?? (ushort)Segments.Count);
            for (int i = 0; i < Segments.Count; i++)
            {
                Segment s = Segments[i];
                int o = ProgramHeaderOffset + i * ProgramHeaderEntrySize;
                Put32(f, o, s.Type);
                Put32(f, o + 4, s.OffsetOverride ?? (uint)SegmentOffsets[i]);
                Put32(f, o + 8, s.VirtualAddress);
                Put32(f, o + 12, s.PhysicalAddress);
                Put32(f, o + 16, s.FileSizeOverride ?? (uint)s.Data.Length);
                Put32(f, o + 20, s.MemorySize);
                Put32(f, o + 24, s.Flags);
                Put32(f, o + 28, s.Align);
                Array.Copy(s.Data, 0, f, SegmentOffsets[i], s.Data.Length);
            }
            return f;
        }

        static int Align(int v, int a) => (v + a - 1) / a * a;

        public static void Put16(byte[] b, int o, uint v) { b[o] = (byte)v; b[o + 1] = (byte)(v >> 8); }

        public static void Put32(byte[] b, int o, uint v)
        {
            b[o] = (byte)v; b[o + 1] = (byte)(v >> 8); b[o + 2] = (byte)(v >> 16); b[o + 3] = (byte)(v >> 24);
        }

        public static uint Get32(byte[] b, int o) => (uint)(b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24));

        public static ulong Get64(byte[] b, int o) => Get32(b, o) | ((ulong)Get32(b, o + 4) << 32);
    }

    /// <summary>The images most tests start from.</summary>
    static class TestImages
    {
        public const uint Magic = 0x1BADB002;
        public const uint TextAddress = 0x100000;
        public const uint DataAddress = 0x103000;
        public const uint Entry = 0x10000C;   // just after the 12-byte Multiboot header

        /// <summary>A Multiboot header (magic, flags, checksum) with extra header words after it.</summary>
        public static byte[] Header(uint flags, params uint[] more)
        {
            byte[] h = new byte[12 + 4 * more.Length];
            ElfBuilder.Put32(h, 0, Magic);
            ElfBuilder.Put32(h, 4, flags);
            ElfBuilder.Put32(h, 8, unchecked(0u - Magic - flags));
            for (int i = 0; i < more.Length; i++)
                ElfBuilder.Put32(h, 12 + 4 * i, more[i]);
            return h;
        }

        /// <summary>Deterministic non-zero filler, different per seed.</summary>
        public static byte[] Pattern(int length, int seed)
        {
            byte[] b = new byte[length];
            for (int i = 0; i < length; i++)
                b[i] = (byte)(1 + (i * 7 + seed * 31) % 251);
            return b;
        }

        /// <summary>
        /// A kernel like the test guests: text at 1 MiB starting with the Multiboot header (flags
        /// page-align + memory info) and 0x1F4 bytes of "code"; data at 0x103000 with 0x100 file
        /// bytes and 0x2000 bytes in memory (bss).
        /// </summary>
        public static ElfBuilder Kernel(uint flags = 3)
        {
            var b = new ElfBuilder { Entry = Entry };
            byte[] text = Pattern(0x200, 1);
            Array.Copy(Header(flags), text, 12);
            b.Add(TextAddress, text, 0x200);
            b.Add(DataAddress, Pattern(0x100, 2), 0x2000).Flags = 6;
            return b;
        }
    }
}
