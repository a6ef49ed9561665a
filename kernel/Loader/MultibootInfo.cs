using System;

namespace Hv.Loader
{
    /// <summary>Which fields of the Multiboot information structure are valid (Multiboot 0.6.96 §3.3).</summary>
    [Flags]
    public enum MultibootInfoFlags : uint
    {
        None = 0,
        Memory = 1u << 0,          // mem_lower, mem_upper
        BootDevice = 1u << 1,
        CommandLine = 1u << 2,     // cmdline
        Modules = 1u << 3,         // mods_count, mods_addr
        AoutSymbols = 1u << 4,
        ElfSections = 1u << 5,
        MemoryMap = 1u << 6,       // mmap_length, mmap_addr
        Drives = 1u << 7,
        ConfigTable = 1u << 8,
        BootLoaderName = 1u << 9,  // boot_loader_name
        ApmTable = 1u << 10,
        Vbe = 1u << 11,
        Framebuffer = 1u << 12,
    }

    /// <summary>
    /// The Multiboot information area this loader writes into guest RAM, and the VM's memory map
    /// as Multiboot reports it. All of it lives in one 4 KiB page at a fixed guest-physical
    /// address below the kernel; no loaded segment may overlap it.
    /// <code>
    /// 0x9000  information structure (§3.3), 116 bytes
    /// 0x9080  memory map: one 24-byte entry per usable range (size 20, base, length, type 1)
    /// 0x9100  module entry (mod_start, mod_end, string, reserved), when there is a module
    /// 0x9110  boot loader name "hv"
    /// 0x9120  module string "initrd"
    /// 0x9200  command line, up to 2047 characters and its NUL
    /// 0xA000  end
    /// </code>
    /// The memory map: 0..0x9FC00 (639 KiB; a PC keeps its extended BIOS data area in the top
    /// KiB below 640 KiB) and 1 MiB..RAM end are usable RAM; nothing else is listed. RAM is
    /// one flat range [0, Size) (IGuestRam).
    /// </summary>
    public static class MultibootInfo
    {
        public const uint AreaStart = 0x9000;
        public const uint AreaSize = 0x1000;
        public const uint AreaEnd = AreaStart + AreaSize;

        public const int StructOffset = 0x000;
        public const int StructSize = 116;
        public const int MemoryMapOffset = 0x080;
        public const int MemoryMapEntrySize = 24;
        public const int ModuleOffset = 0x100;
        public const int ModuleEntrySize = 16;
        public const int LoaderNameOffset = 0x110;
        public const int ModuleStringOffset = 0x120;
        public const int CommandLineOffset = 0x200;
        public const int MaxCommandLine = 2047;

        public const ulong LowMemoryEnd = 0x9FC00;
        public const ulong HighMemoryStart = 0x100000;
        public const uint MemoryAvailable = 1;    // mmap entry type 1: available RAM

        // Field offsets in the information structure (§3.3).
        public const int FieldFlags = 0;
        public const int FieldMemLower = 4;
        public const int FieldMemUpper = 8;
        public const int FieldBootDevice = 12;
        public const int FieldCmdline = 16;
        public const int FieldModsCount = 20;
        public const int FieldModsAddr = 24;
        public const int FieldMmapLength = 44;
        public const int FieldMmapAddr = 48;
        public const int FieldBootLoaderName = 64;

        public const uint InfoAddress = AreaStart + StructOffset;

        /// <summary>
        /// Fills <paramref name="area"/> (AreaSize bytes, the image of guest-physical
        /// AreaStart..AreaEnd) with the information structure. The caller has checked that the
        /// command line is at most MaxCommandLine characters and that RAM reaches AreaEnd.
        /// moduleEnd == moduleStart means no module.
        /// </summary>
        public static void Build(Span<byte> area, ulong ramSize, string commandLine, ulong moduleStart, ulong moduleEnd)
        {
            for (int i = 0; i < area.Length; i++)
                area[i] = 0;
            MultibootInfoFlags flags = MultibootInfoFlags.Memory | MultibootInfoFlags.CommandLine |
                MultibootInfoFlags.MemoryMap | MultibootInfoFlags.BootLoaderName;

            ulong lowEnd = ramSize < LowMemoryEnd ? ramSize : LowMemoryEnd;
            ulong highKiB = ramSize > HighMemoryStart ? (ramSize - HighMemoryStart) / 1024 : 0;
            LoaderBytes.Put32(area, FieldMemLower, (uint)(lowEnd / 1024));
            LoaderBytes.Put32(area, FieldMemUpper, highKiB > 0xFFFFFFFF ? 0xFFFFFFFF : (uint)highKiB);

            int mmapLength = PutRange(area, MemoryMapOffset, 0, lowEnd);
            if (ramSize > HighMemoryStart)
                mmapLength += PutRange(area, MemoryMapOffset + mmapLength, HighMemoryStart, ramSize);
            LoaderBytes.Put32(area, FieldMmapLength, (uint)mmapLength);
            LoaderBytes.Put32(area, FieldMmapAddr, AreaStart + MemoryMapOffset);

            int n = commandLine == null ? 0 : commandLine.Length;
            for (int i = 0; i < n; i++)
            {
                char c = commandLine[i];
                area[CommandLineOffset + i] = c == '\0' || c > (char)0x7E ? (byte)'?' : (byte)c;
            }
            LoaderBytes.Put32(area, FieldCmdline, AreaStart + CommandLineOffset);

            area[LoaderNameOffset] = (byte)'h';
            area[LoaderNameOffset + 1] = (byte)'v';
            LoaderBytes.Put32(area, FieldBootLoaderName, AreaStart + LoaderNameOffset);

            if (moduleEnd > moduleStart)
            {
                flags |= MultibootInfoFlags.Modules;
                LoaderBytes.Put32(area, ModuleOffset, (uint)moduleStart);
                LoaderBytes.Put32(area, ModuleOffset + 4, (uint)moduleEnd);
                LoaderBytes.Put32(area, ModuleOffset + 8, AreaStart + ModuleStringOffset);
                string name = "initrd";
                for (int i = 0; i < name.Length; i++)
                    area[ModuleStringOffset + i] = (byte)name[i];
                LoaderBytes.Put32(area, FieldModsCount, 1);
                LoaderBytes.Put32(area, FieldModsAddr, AreaStart + ModuleOffset);
            }
            LoaderBytes.Put32(area, FieldFlags, (uint)flags);
        }

        /// <summary>One memory-map entry for [start, end), type available; returns its size in bytes.</summary>
        private static int PutRange(Span<byte> area, int offset, ulong start, ulong end)
        {
            LoaderBytes.Put32(area, offset, MemoryMapEntrySize - 4);   // "size" does not count itself
            LoaderBytes.Put64(area, offset + 4, start);
            LoaderBytes.Put64(area, offset + 12, end - start);
            LoaderBytes.Put32(area, offset + 20, MemoryAvailable);
            return MemoryMapEntrySize;
        }
    }
}
