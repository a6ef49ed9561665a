using System;

namespace Hv.Loader
{
    /// <summary>
    /// struct boot_params, the "zero page" (Documentation/arch/x86/zero-page.rst), 4 KiB. The
    /// fields this loader fills; everything else stays zero (no screen_info: no video console; no
    /// EFI information: a BIOS-style boot with an E820 map).
    /// </summary>
    public static class LinuxBootParams
    {
        public const int Size = 4096;
        public const int AcpiRsdpAddr = 0x070;      // u64
        public const int ExtRamdiskImage = 0x0C0;   // u32: ramdisk_image bits 63:32
        public const int ExtRamdiskSize = 0x0C4;    // u32
        public const int ExtCmdLinePtr = 0x0C8;     // u32
        public const int E820Entries = 0x1E8;       // u8
        /// <summary>A loader that copies the header but not this byte leaves it 0; non-zero makes Linux clear "stale" fields.</summary>
        public const int Sentinel = 0x1EF;
        public const int SetupHeader = 0x1F1;
        public const int E820Table = 0x2D0;
        /// <summary>type_of_loader 0xFF: "undefined" (boot.rst: a loader without an assigned ID uses 0xFF).</summary>
        public const byte LoaderTypeUndefined = 0xFF;

        /// <summary>
        /// Fills <paramref name="bp"/> (Size bytes): zeroes it, copies the setup header from the
        /// image (0x1F1 up to its end, boot.rst "64-bit Boot Protocol"), then sets the loader's
        /// fields: type_of_loader, loadflags (LOADED_HIGH kept, CAN_USE_HEAP and KEEP_SEGMENTS
        /// cleared: the real-mode and 32-bit code do not run), code32_start (the load address),
        /// cmd_line_ptr, the initrd (ramdisk_image/size and their ext_ high halves), the RSDP
        /// address and the E820 map.
        /// </summary>
        public static void Build(Span<byte> bp, ReadOnlySpan<byte> image, in LinuxSetupHeader h, ulong loadAddress,
            ulong commandLine, ulong initrdStart, ulong initrdSize, ulong rsdpAddress, ReadOnlySpan<E820Entry> e820)
        {
            bp.Slice(0, Size).Clear();
            image.Slice(SetupOffset.SetupSects, h.HeaderEnd - SetupOffset.SetupSects).CopyTo(bp.Slice(SetupHeader));
            bp[SetupOffset.TypeOfLoader] = LoaderTypeUndefined;
            LinuxLoadFlags flags = (LinuxLoadFlags)bp[SetupOffset.LoadFlags];
            flags &= ~(LinuxLoadFlags.CanUseHeap | LinuxLoadFlags.KeepSegments);
            bp[SetupOffset.LoadFlags] = (byte)(flags | LinuxLoadFlags.LoadedHigh);
            LoaderBytes.Put16(bp, SetupOffset.HeapEndPtr, 0);
            LoaderBytes.Put32(bp, SetupOffset.Code32Start, (uint)loadAddress);
            LoaderBytes.Put32(bp, SetupOffset.CmdLinePtr, (uint)commandLine);
            LoaderBytes.Put32(bp, ExtCmdLinePtr, (uint)(commandLine >> 32));
            LoaderBytes.Put32(bp, SetupOffset.RamdiskImage, (uint)initrdStart);
            LoaderBytes.Put32(bp, ExtRamdiskImage, (uint)(initrdStart >> 32));
            LoaderBytes.Put32(bp, SetupOffset.RamdiskSize, (uint)initrdSize);
            LoaderBytes.Put32(bp, ExtRamdiskSize, (uint)(initrdSize >> 32));
            // acpi_rsdp_addr: read by Linux 4.20+ (the field is listed for all protocol versions in
            // zero-page.rst; older kernels ignore it and find the RSDP by scanning 0xE0000-0xFFFFF).
            LoaderBytes.Put64(bp, AcpiRsdpAddr, rsdpAddress);
            bp[E820Entries] = (byte)e820.Length;
            E820Map.Write(bp, E820Table, e820);
        }
    }
}
