using System;
using Hv.Virt;
using Hv.Virt.Platform;

namespace Hv.Loader
{
    /// <summary>
    /// Loads a Linux bzImage for its 64-bit entry point (Linux Documentation/arch/x86/boot.rst,
    /// "64-bit Boot Protocol"): the protected-mode kernel goes to guest RAM at its preferred
    /// (or an aligned higher) address, the initrd as high as the kernel allows, and the loader
    /// writes boot_params (setup header, command line, initrd, E820 map, RSDP), an identity map
    /// of the first 4 GiB and a GDT with __BOOT_CS/__BOOT_DS, all at the fixed low addresses of
    /// GuestPlatformLayout. The first vCPU starts in 64-bit mode at load address + 0x200 with
    /// RSI = boot_params. The real-mode setup code and the 32-bit entry are never used.
    ///
    /// As with the Multiboot loader, everything is checked before anything is written (a
    /// rejected image leaves guest RAM as it was), every range is checked with overflow-safe
    /// arithmetic, and a malformed image gets a message naming what is wrong, never an exception.
    /// </summary>
    public static class LinuxLoader
    {
        /// <summary>The 64-bit entry point is 0x200 bytes into the protected-mode kernel (boot.rst).</summary>
        public const uint Entry64Offset = 0x200;
        public const ulong PageSize = 4096;

        /// <summary>
        /// Loads <paramref name="image"/> (a bzImage) into <paramref name="ram"/>, whose RAM is
        /// <paramref name="ramRanges"/> (GuestPlatformLayout.RamRanges; the first must cover
        /// 0..1 MiB), with <paramref name="initrd"/> (empty: none), the command line (printable
        /// ASCII; anything else becomes '?') and the RSDP address for boot_params.acpi_rsdp_addr
        /// (0: none; the kernel then scans 0xE0000-0xFFFFF). On success the result's Entry is a
        /// Long64 entry state, InfoAddress is boot_params, [KernelStart, KernelEnd) is the
        /// kernel's init_size range and [ModuleStart, ModuleEnd) the initrd.
        /// </summary>
        public static LoadResult Load(ReadOnlySpan<byte> image, IGuestRam ram, ReadOnlySpan<GuestRange> ramRanges,
            string commandLine, ReadOnlySpan<byte> initrd, ulong rsdpAddress)
        {
            if (ram == null)
                return LoadResult.Failed("no guest RAM to load into");
            if (commandLine == null)
                commandLine = "";
            string error = LinuxSetupHeader.Read(image, out LinuxSetupHeader h);
            if (error != null)
                return LoadResult.Failed(error);

            ulong maxCommandLine = h.CmdlineSize < GuestPlatformLayout.BootCommandLineMax ? h.CmdlineSize : GuestPlatformLayout.BootCommandLineMax;
            if ((ulong)commandLine.Length > maxCommandLine)
                return LoadResult.Failed(Text.Cat("Linux: the command line is ", ((uint)commandLine.Length).ToString(),
                    " characters; this kernel takes at most ", Text.Dec(maxCommandLine) + " (cmdline_size " + Text.Dec(h.CmdlineSize) + ")"));
            if (rsdpAddress != 0 && rsdpAddress >= ram.Size)
                return LoadResult.Failed("Linux: the RSDP address " + Text.Addr(rsdpAddress) + " is outside guest RAM");

            Span<E820Entry> map = stackalloc E820Entry[E820Map.MaxBuiltEntries];
            error = E820Map.Build(ramRanges, ram.Size, map, out int entries);
            if (error != null)
                return LoadResult.Failed(error);
            map = map.Slice(0, entries);

            error = PlaceKernel(h, map, out ulong load);
            if (error != null)
                return LoadResult.Failed(error);
            ulong kernelEnd = load + h.InitSize;
            error = PlaceInitrd(h, (ulong)initrd.Length, map, load, kernelEnd, out ulong initrdStart);
            if (error != null)
                return LoadResult.Failed(error);
            ulong initrdEnd = initrdStart + (ulong)initrd.Length;

            // Everything is checked: write. One page buffer serves every low structure in turn.
            byte[] page = new byte[PageSize];
            LinuxBootGdt.Write(ClearPage(page));
            if (!ram.Write(GuestPlatformLayout.BootGdt, page))
                return Refused(GuestPlatformLayout.BootGdt, PageSize);
            if (!ram.Zero(GuestPlatformLayout.BootStackTop - PageSize, PageSize))
                return Refused(GuestPlatformLayout.BootStackTop - PageSize, PageSize);
            IdentityMap.WritePml4(page);
            if (!ram.Write(GuestPlatformLayout.BootPml4, page))
                return Refused(GuestPlatformLayout.BootPml4, PageSize);
            IdentityMap.WritePdpt(page);
            if (!ram.Write(GuestPlatformLayout.BootPdpt, page))
                return Refused(GuestPlatformLayout.BootPdpt, PageSize);
            for (int gib = 0; gib < IdentityMap.PageDirectories; gib++)
            {
                IdentityMap.WritePageDirectory(page, gib);
                if (!ram.Write(IdentityMap.PageDirectoryAddress(gib), page))
                    return Refused(IdentityMap.PageDirectoryAddress(gib), PageSize);
            }
            LinuxBootParams.Build(page, image, h, load, GuestPlatformLayout.BootCommandLine, initrdStart, (ulong)initrd.Length, rsdpAddress, map);
            if (!ram.Write(GuestPlatformLayout.BootParams, page))
                return Refused(GuestPlatformLayout.BootParams, PageSize);
            ClearPage(page);
            for (int i = 0; i < commandLine.Length; i++)
            {
                char c = commandLine[i];
                page[i] = c == '\0' || c > (char)0x7E ? (byte)'?' : (byte)c;
            }
            if (!ram.Write(GuestPlatformLayout.BootCommandLine, page))
                return Refused(GuestPlatformLayout.BootCommandLine, PageSize);
            if (!ram.Write(load, image.Slice(h.SetupBytes)))
                return Refused(load, h.KernelBytes);
            if (!initrd.IsEmpty && !ram.Write(initrdStart, initrd))
                return Refused(initrdStart, (ulong)initrd.Length);

            LoadResult r = default;
            r.Ok = true;
            r.Entry = EntryState.LongMode64((uint)(load + Entry64Offset), (uint)GuestPlatformLayout.BootParams,
                (uint)GuestPlatformLayout.BootStackTop, (uint)GuestPlatformLayout.BootPml4, (uint)GuestPlatformLayout.BootGdt, LinuxBootGdt.Limit);
            r.KernelStart = load;
            r.KernelEnd = kernelEnd;
            r.ModuleStart = initrdStart;
            r.ModuleEnd = initrdEnd;
            r.InfoAddress = GuestPlatformLayout.BootParams;
            return r;
        }

        /// <summary>
        /// Where the protected-mode kernel goes. boot.rst (field init_size) defines the kernel's
        /// runtime start as align_up(max(load address, pref_address), kernel_alignment) for a
        /// relocatable kernel and pref_address otherwise, and init_size bytes from there must be
        /// free RAM. Loading at exactly that runtime start makes the loaded image and the runtime
        /// range one: the lowest aligned address at or above pref_address (and 1 MiB) whose
        /// init_size range is RAM below 4 GiB (the identity map's reach) is taken.
        /// </summary>
        private static string PlaceKernel(in LinuxSetupHeader h, ReadOnlySpan<E820Entry> map, out ulong load)
        {
            load = 0;
            ulong size = h.InitSize;
            ulong four = GuestPlatformLayout.FourGiB;
            if (!h.Relocatable)
            {
                ulong a = h.PrefAddress;
                if (a < GuestPlatformLayout.HighMemoryStart || a >= four || size > four - a || !E820Map.InRam(map, a, a + size))
                    return Text.Cat("Linux: the kernel is not relocatable and needs RAM at pref_address: ", Text.Range(a, a + size),
                        " (init_size ", Text.Dec(size) + " bytes) is not RAM between 1 MiB and 4 GiB");
                load = a;
                return null;
            }
            ulong min = h.PrefAddress > GuestPlatformLayout.HighMemoryStart ? h.PrefAddress : GuestPlatformLayout.HighMemoryStart;
            ulong align = h.KernelAlignment;
            for (int i = 0; i < map.Length; i++)
            {
                if (map[i].Type != E820Type.Ram)
                    continue;
                ulong from = map[i].Address > min ? map[i].Address : min;
                if (from >= four)
                    break;
                ulong a = (from + align - 1) & ~(align - 1);   // from < 4 GiB and align <= 1 GiB: no overflow
                if (a < four && size <= four - a && a + size <= map[i].End)
                {
                    load = a;
                    return null;
                }
            }
            return Text.Cat("Linux: no RAM for the kernel: it needs init_size ", Text.Dec(size), " bytes at a ",
                Text.Addr(align) + "-aligned address at or above pref_address " + Text.Addr(h.PrefAddress) + ", below 4 GiB");
        }

        /// <summary>
        /// The initrd goes page-aligned as high as possible (as boot loaders do) below
        /// min(initrd_addr_max + 1, 4 GiB) (initrd_addr_max is the highest byte it may occupy,
        /// boot.rst), in RAM above 1 MiB, clear of the kernel's init_size range: the highest RAM
        /// range first, under the kernel if it does not fit above.
        /// </summary>
        private static string PlaceInitrd(in LinuxSetupHeader h, ulong size, ReadOnlySpan<E820Entry> map, ulong kernel, ulong kernelEnd, out ulong start)
        {
            start = 0;
            if (size == 0)
                return null;
            ulong limit = (ulong)h.InitrdAddrMax + 1;
            if (limit > GuestPlatformLayout.FourGiB)
                limit = GuestPlatformLayout.FourGiB;
            for (int i = map.Length - 1; i >= 0; i--)
            {
                if (map[i].Type != E820Type.Ram)
                    continue;
                ulong low = map[i].Address > GuestPlatformLayout.HighMemoryStart ? map[i].Address : GuestPlatformLayout.HighMemoryStart;
                ulong top = map[i].End < limit ? map[i].End : limit;
                // Above the kernel (or anywhere, if the kernel is not in the way), then below it.
                if (Fit(low, top, size, out ulong s) && (s >= kernelEnd || s + size <= kernel))
                {
                    start = s;
                    return null;
                }
                if (kernel < top && Fit(low, kernel, size, out s))
                {
                    start = s;
                    return null;
                }
            }
            return Text.Cat("Linux: the initrd (", Text.Dec(size), " bytes) does not fit in RAM above 1 MiB below ",
                Text.Addr(limit) + " (initrd_addr_max + 1 or 4 GiB) beside the kernel at " + Text.Range(kernel, kernelEnd));
        }

        /// <summary>The highest page-aligned start of <paramref name="size"/> bytes in [low, top).</summary>
        private static bool Fit(ulong low, ulong top, ulong size, out ulong start)
        {
            start = 0;
            if (top <= low || size > top - low)
                return false;
            start = (top - size) & ~(PageSize - 1);
            return start >= low;
        }

        private static Span<byte> ClearPage(byte[] page)
        {
            Array.Clear(page, 0, page.Length);
            return page;
        }

        private static LoadResult Refused(ulong start, ulong length) =>
            LoadResult.Failed("guest RAM refused a write to " + Text.Range(start, start + length) + " (a range the loader had checked)");
    }
}
