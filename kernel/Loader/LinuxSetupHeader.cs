using System;

namespace Hv.Loader
{
    /// <summary>Setup header fields: offsets in the bzImage file, which are also their offsets in boot_params (boot.rst "The Real-Mode Kernel Header").</summary>
    public static class SetupOffset
    {
        public const int SetupSects = 0x1F1, SysSize = 0x1F4, BootFlag = 0x1FE, Jump = 0x200, Header = 0x202, Version = 0x206;
        public const int TypeOfLoader = 0x210, LoadFlags = 0x211, Code32Start = 0x214, RamdiskImage = 0x218, RamdiskSize = 0x21C;
        public const int HeapEndPtr = 0x224, CmdLinePtr = 0x228, InitrdAddrMax = 0x22C, KernelAlignment = 0x230;
        public const int RelocatableKernel = 0x234, MinAlignment = 0x235, XLoadFlags = 0x236, CmdlineSize = 0x238;
        public const int PrefAddress = 0x258, InitSize = 0x260;
        /// <summary>First byte after the fields this loader reads (init_size, protocol 2.10).</summary>
        public const int ReadEnd = 0x264;
    }

    /// <summary>loadflags bits (boot.rst, field "loadflags").</summary>
    [Flags]
    public enum LinuxLoadFlags : byte
    {
        None = 0,
        /// <summary>The protected-mode code is loaded at 0x100000 or above (a bzImage).</summary>
        LoadedHigh = 1 << 0,
        KaslrFlag = 1 << 1,
        QuietFlag = 1 << 5,
        /// <summary>Obsolete; for the 32-bit entry only.</summary>
        KeepSegments = 1 << 6,
        /// <summary>heap_end_ptr is valid (the real-mode setup code's heap; unused by the 64-bit entry).</summary>
        CanUseHeap = 1 << 7,
    }

    /// <summary>xloadflags bits (boot.rst, field "xloadflags", protocol 2.12+).</summary>
    [Flags]
    public enum LinuxXLoadFlags : ushort
    {
        None = 0,
        /// <summary>The kernel has the legacy 64-bit entry point at load address + 0x200.</summary>
        Kernel64 = 1 << 0,
        CanBeLoadedAbove4G = 1 << 1,
        EfiHandover32 = 1 << 2,
        EfiHandover64 = 1 << 3,
        EfiKexec = 1 << 4,
    }

    /// <summary>
    /// The setup header of a bzImage, read and checked (Linux Documentation/arch/x86/boot.rst).
    /// The file is: the real-mode part ((setup_sects + 1) x 512 bytes: boot sector, setup header
    /// at 0x1F1, real-mode setup code), then the protected-mode kernel to the end of the file.
    /// A 64-bit loader never runs the real-mode part; it only copies the header into boot_params.
    /// </summary>
    public struct LinuxSetupHeader
    {
        public const uint HdrSMagic = 0x53726448;     // "HdrS"
        public const ushort BootFlagMagic = 0xAA55;
        /// <summary>2.12 (kernel 3.8): xloadflags, which says whether the 64-bit entry exists.</summary>
        public const ushort MinVersion = 0x020C;
        /// <summary>The real-mode part (boot sector and setup code) fits in 32 KiB (boot.rst "Memory Layout": X to X+0x8000).</summary>
        public const int MaxSetupBytes = 0x8000;
        /// <summary>setup_header ends before boot_params.edd_mbr_sig_buffer (zero-page.rst): the most a loader copies.</summary>
        public const int MaxHeaderEnd = 0x290;
        public const byte ShortJump = 0xEB;

        public ushort Version;
        /// <summary>Bytes of the real-mode part; the protected-mode kernel starts here in the file.</summary>
        public int SetupBytes;
        /// <summary>End (exclusive) of the setup header in the file: 0x202 + the byte at 0x201.</summary>
        public int HeaderEnd;
        public uint SysSize;
        public LinuxLoadFlags LoadFlags;
        public LinuxXLoadFlags XLoadFlags;
        public uint InitrdAddrMax;
        public uint KernelAlignment;
        public bool Relocatable;
        public uint CmdlineSize;
        public ulong PrefAddress;
        public uint InitSize;

        /// <summary>Bytes of the protected-mode kernel (the file after the real-mode part).</summary>
        public ulong KernelBytes;

        /// <summary>Reads and checks the header; returns null, or what is wrong with the file.</summary>
        public static string Read(ReadOnlySpan<byte> file, out LinuxSetupHeader h)
        {
            h = default;
            if (file.Length < SetupOffset.ReadEnd)
                return "Linux: the file is " + ((uint)file.Length).ToString() + " bytes, too short to hold a bzImage setup header (0x264 bytes)";
            if (LoaderBytes.U32(file, SetupOffset.Header) != HdrSMagic)
                return "Linux: not a bzImage (no \"HdrS\" at offset 0x202)";
            if (LoaderBytes.U16(file, SetupOffset.BootFlag) != BootFlagMagic)
                return "Linux: boot_flag at 0x1FE is " + Text.Addr(LoaderBytes.U16(file, SetupOffset.BootFlag)) + ", not 0xAA55";
            h.Version = LoaderBytes.U16(file, SetupOffset.Version);
            if (h.Version < MinVersion)
                return Text.Cat("Linux: boot protocol ", VersionText(h.Version),
                    " is older than 2.12; the 64-bit entry needs 2.12+ (xloadflags)", "");
            h.LoadFlags = (LinuxLoadFlags)file[SetupOffset.LoadFlags];
            if ((h.LoadFlags & LinuxLoadFlags.LoadedHigh) == 0)
                return "Linux: loadflags has no LOADED_HIGH: a zImage (loaded at 0x10000) is not supported, only a bzImage";
            h.XLoadFlags = (LinuxXLoadFlags)LoaderBytes.U16(file, SetupOffset.XLoadFlags);
            if ((h.XLoadFlags & LinuxXLoadFlags.Kernel64) == 0)
                return "Linux: xloadflags has no XLF_KERNEL_64: the kernel has no 64-bit entry point (a 32-bit kernel?)";

            int sects = file[SetupOffset.SetupSects];
            if (sects == 0)
                sects = 4;   // boot.rst: "if the setup_sects field contains 0, the real value is 4"
            h.SetupBytes = (sects + 1) * 512;
            if (h.SetupBytes > MaxSetupBytes)
                return Text.Cat("Linux: setup_sects ", ((uint)sects).ToString(), " makes the real-mode part ", ((uint)h.SetupBytes).ToString() + " bytes; at most 32 KiB");
            if (h.SetupBytes >= file.Length)
                return Text.Cat("Linux: setup_sects ", ((uint)sects).ToString(), ": the real-mode part (" + ((uint)h.SetupBytes).ToString() + " bytes)",
                    " leaves no protected-mode kernel in the " + ((uint)file.Length).ToString() + "-byte file");
            if (file[SetupOffset.Jump] != ShortJump)
                return "Linux: no short jump at 0x200, so the end of the setup header is unknown";
            h.HeaderEnd = SetupOffset.Header + file[SetupOffset.Jump + 1];
            if (h.HeaderEnd < SetupOffset.ReadEnd || h.HeaderEnd > MaxHeaderEnd)
                return "Linux: the jump at 0x200 puts the end of the setup header at " + Text.Addr((uint)h.HeaderEnd) + ", outside 0x264..0x290";

            h.KernelBytes = (ulong)(file.Length - h.SetupBytes);
            h.SysSize = LoaderBytes.U32(file, SetupOffset.SysSize);
            // syssize counts 16-byte paragraphs; the file may end up to 15 bytes short of it.
            if ((ulong)h.SysSize > (h.KernelBytes + 15) / 16)
                return Text.Cat("Linux: the file is truncated: syssize says ", Text.Dec((ulong)h.SysSize * 16),
                    " bytes of protected-mode kernel, the file has ", Text.Dec(h.KernelBytes));

            h.InitrdAddrMax = LoaderBytes.U32(file, SetupOffset.InitrdAddrMax);
            h.KernelAlignment = LoaderBytes.U32(file, SetupOffset.KernelAlignment);
            h.Relocatable = file[SetupOffset.RelocatableKernel] != 0;
            h.CmdlineSize = LoaderBytes.U32(file, SetupOffset.CmdlineSize);
            h.PrefAddress = LoaderBytes.U32(file, SetupOffset.PrefAddress) | ((ulong)LoaderBytes.U32(file, SetupOffset.PrefAddress + 4) << 32);
            h.InitSize = LoaderBytes.U32(file, SetupOffset.InitSize);
            if (h.Relocatable && (h.KernelAlignment < 4096 || h.KernelAlignment > (1u << 30) || (h.KernelAlignment & (h.KernelAlignment - 1)) != 0))
                return "Linux: kernel_alignment " + Text.Addr(h.KernelAlignment) + " is not a power of two between 4 KiB and 1 GiB";
            if ((ulong)h.InitSize < h.KernelBytes)
                return Text.Cat("Linux: init_size ", Text.Addr(h.InitSize), " is smaller than the protected-mode kernel (", Text.Dec(h.KernelBytes) + " bytes)");
            return null;
        }

        public static string VersionText(ushort v) => ((uint)(v >> 8)).ToString() + "." + ((uint)(v & 0xFF)).ToString();
    }
}
