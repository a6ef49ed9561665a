using System;
using Hv.Virt.Caps;

namespace Hv.Loader
{
    /// <summary>
    /// Multiboot v1 header flags (Multiboot Specification 0.6.96, §3.1.2 "The magic fields of
    /// Multiboot header"). Bits 0-15 are requirements: a loader that cannot meet one must refuse
    /// the image. Bits 16-31 are optional features.
    /// </summary>
    [Flags]
    public enum MultibootHeaderFlags : uint
    {
        None = 0,
        PageAlignModules = 1u << 0,   // load boot modules on 4 KiB boundaries
        MemoryInfo = 1u << 1,         // mem_* (and mmap) in the information structure
        VideoMode = 1u << 2,          // video mode table: not supported (no display)
        AoutKludge = 1u << 16,        // the load addresses are in the header, not the ELF headers
    }

    /// <summary>
    /// A Multiboot v1 header found in an image (§3.1: "within the first 8192 bytes of the OS
    /// image, longword (32-bit) aligned"; §3.1.1 layout).
    /// </summary>
    public struct MultibootHeader
    {
        public const uint Magic = 0x1BADB002;
        public const int SearchLimit = 8192;
        public const int Size = 12;        // magic, flags, checksum
        public const int AoutSize = 32;    // plus header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr

        /// <summary>Flags this loader can meet among the required bits 0-15.</summary>
        public const uint SupportedRequired = (uint)(MultibootHeaderFlags.PageAlignModules | MultibootHeaderFlags.MemoryInfo);

        /// <summary>File offset of the magic field.</summary>
        public int Offset;
        public MultibootHeaderFlags Flags;
        // The address fields (valid only with AoutKludge).
        public uint HeaderAddress;
        public uint LoadAddress;
        public uint LoadEndAddress;
        public uint BssEndAddress;
        public uint EntryAddress;

        public bool HasAoutKludge => (Flags & MultibootHeaderFlags.AoutKludge) != 0;

        /// <summary>
        /// Finds the first header whose checksum is right (magic + flags + checksum = 0 mod 2^32)
        /// and checks its flags. Returns null on success, else why the image has no usable header.
        /// </summary>
        public static string Find(ReadOnlySpan<byte> image, out MultibootHeader header)
        {
            header = default;
            int limit = image.Length < SearchLimit ? image.Length : SearchLimit;
            int badChecksumAt = -1;
            uint badSum = 0;
            for (int o = 0; o + Size <= limit; o += 4)
            {
                if (LoaderBytes.U32(image, o) != Magic)
                    continue;
                uint flags = LoaderBytes.U32(image, o + 4);
                uint sum = Magic + flags + LoaderBytes.U32(image, o + 8);
                if (sum != 0)
                {
                    if (badChecksumAt < 0) { badChecksumAt = o; badSum = sum; }
                    continue;
                }
                header.Offset = o;
                header.Flags = (MultibootHeaderFlags)flags;
                return CheckFlags(image, ref header);
            }
            if (badChecksumAt >= 0)
                return Text.Cat("Multiboot header at offset ", Hex.Format((uint)badChecksumAt, 1),
                    ": bad checksum (magic + flags + checksum = ", Hex.Format(badSum, 8), ", must be 0)", "");
            return "no Multiboot header (magic 0x1badb002, 4-byte aligned) in the first 8192 bytes";
        }

        private static string CheckFlags(ReadOnlySpan<byte> image, ref MultibootHeader header)
        {
            uint unsupported = (uint)header.Flags & 0xFFFF & ~SupportedRequired;
            if (unsupported != 0)
            {
                int bit = 0;
                while ((unsupported & (1u << bit)) == 0)
                    bit++;
                string what = bit == 2 ? " (video mode information: this loader has no display)" : " (unknown requirement)";
                return Text.Cat("Multiboot header at offset ", Hex.Format((uint)header.Offset, 1), ": flags ", Hex.Format((uint)header.Flags, 8),
                    " require bit ", Text.Dec((uint)bit), what, ", which this loader does not support");
            }
            if (!header.HasAoutKludge)
                return null;
            int o = header.Offset;
            if (o + AoutSize > image.Length || o + AoutSize > SearchLimit)
                return "Multiboot header at offset " + Hex.Format((uint)o, 1) +
                    ": the address fields (flag bit 16) run past the end of the file or the first 8192 bytes";
            header.HeaderAddress = LoaderBytes.U32(image, o + 12);
            header.LoadAddress = LoaderBytes.U32(image, o + 16);
            header.LoadEndAddress = LoaderBytes.U32(image, o + 20);
            header.BssEndAddress = LoaderBytes.U32(image, o + 24);
            header.EntryAddress = LoaderBytes.U32(image, o + 28);
            return null;
        }
    }
}
