using System;

namespace Hv.Loader
{
    /// <summary>
    /// Multiboot v1 loader (Multiboot Specification 0.6.96): an ELF32 i386 executable, or with
    /// header flag bit 16 any image whose header gives its load addresses (the "a.out kludge"),
    /// is copied into guest RAM with the information structure beside it, and the first vCPU
    /// starts as §3.2 "Machine state" says.
    ///
    /// Everything is checked before anything is written: a rejected image leaves guest RAM as it
    /// was. Every range is checked against RAM with overflow-safe arithmetic, against 4 GiB (a
    /// 32-bit kernel starts with paging off) and against the information area (0x9000..0xA000).
    /// The image is untrusted input: a malformed one gets an error message, never an exception.
    /// </summary>
    public static class MultibootLoader
    {
        /// <summary>EAX at entry (§3.2).</summary>
        public const uint BootMagic = 0x2BADB002;
        public const ulong FourGiB = 0x100000000;
        public const ulong PageSize = 4096;

        public static LoadResult Load(ReadOnlySpan<byte> image, IGuestRam ram, string commandLine) =>
            Load(image, ram, commandLine, default);

        /// <summary>
        /// Loads <paramref name="image"/> with an optional <paramref name="module"/> (the VM's
        /// initrd; empty for none), which goes on the first page boundary at or above 1 MiB after
        /// the kernel. The command line is passed as it is (printable ASCII; anything else
        /// becomes '?').
        /// </summary>
        public static LoadResult Load(ReadOnlySpan<byte> image, IGuestRam ram, string commandLine, ReadOnlySpan<byte> module)
        {
            if (ram == null)
                return LoadResult.Failed("no guest RAM to load into");
            ulong ramSize = ram.Size;
            if (commandLine == null)
                commandLine = "";
            if (commandLine.Length > MultibootInfo.MaxCommandLine)
                return LoadResult.Failed("the command line is " + ((uint)commandLine.Length).ToString() +
                    " characters; Multiboot takes at most " + ((uint)MultibootInfo.MaxCommandLine).ToString());
            if (ramSize < MultibootInfo.AreaEnd)
                return LoadResult.Failed(Text.Cat("guest RAM (", Text.Dec(ramSize), " bytes) does not hold the Multiboot information area ",
                    Text.Range(MultibootInfo.AreaStart, MultibootInfo.AreaEnd)));

            string error = MultibootHeader.Find(image, out MultibootHeader header);
            if (error != null)
                return LoadResult.Failed(error);

            SegmentTable table;
            uint entry;
            if (header.HasAoutKludge)
            {
                error = PlanAout(image, header, out LoadSegment range);
                if (error != null)
                    return LoadResult.Failed(error);
                table = SegmentTable.Aout(range);
                entry = header.EntryAddress;
            }
            else
            {
                error = Elf32Header.Read(image, out Elf32Header elf);
                if (error != null)
                    return LoadResult.Failed(error);
                table = SegmentTable.Elf(image, elf);
                entry = elf.Entry;
            }

            ulong low = ulong.MaxValue;
            ulong high = 0;
            for (int i = 0; i < table.Count; i++)
            {
                error = table.Get(i, out LoadSegment s, out bool loads);
                if (error == null && loads)
                    error = CheckRange(table.Name(i), s, (ulong)image.Length, ramSize);
                if (error != null)
                    return LoadResult.Failed(error);
                if (!loads)
                    continue;
                if (s.Address < low)
                    low = s.Address;
                if (s.End > high)
                    high = s.End;
            }
            if (high == 0)
                return LoadResult.Failed("the image has no loadable segment (no PT_LOAD program header with a memory size)");
            if (!table.TranslateEntry(entry, out ulong entryPhysical))
                return LoadResult.Failed("the entry point " + Text.Addr(entry) + " is not inside a loaded segment");

            ulong moduleStart = 0;
            ulong moduleEnd = 0;
            if (!module.IsEmpty)
            {
                moduleStart = AlignUp(high > MultibootInfo.HighMemoryStart ? high : MultibootInfo.HighMemoryStart);
                moduleEnd = moduleStart + (ulong)module.Length;
                if (moduleEnd > ramSize || moduleEnd > FourGiB)
                    return LoadResult.Failed(Text.Cat("the module (", Text.Dec((ulong)module.Length), " bytes) does not fit in guest RAM after the kernel: it needs ",
                        Text.Range(moduleStart, moduleEnd), ", RAM ends at ", Text.Addr(ramSize)));
            }

            // Everything is checked: write.
            for (int i = 0; i < table.Count; i++)
            {
                table.Get(i, out LoadSegment s, out bool loads);
                if (!loads)
                    continue;
                if (s.FileSize != 0 && !ram.Write(s.Address, image.Slice((int)s.FileOffset, (int)s.FileSize)))
                    return Refused(s.Address, s.Address + s.FileSize);
                if (s.MemorySize > s.FileSize && !ram.Zero(s.Address + s.FileSize, s.MemorySize - s.FileSize))
                    return Refused(s.Address + s.FileSize, s.End);
            }
            if (moduleEnd > moduleStart && !ram.Write(moduleStart, module))
                return Refused(moduleStart, moduleEnd);
            byte[] area = new byte[MultibootInfo.AreaSize];
            MultibootInfo.Build(area, ramSize, commandLine, moduleStart, moduleEnd);
            if (!ram.Write(MultibootInfo.AreaStart, area))
                return Refused(MultibootInfo.AreaStart, MultibootInfo.AreaEnd);

            LoadResult r = default;
            r.Ok = true;
            r.Entry = EntryState.FlatProtectedMode((uint)entryPhysical);
            r.Entry.Eax = BootMagic;
            r.Entry.Ebx = MultibootInfo.InfoAddress;
            r.KernelStart = low;
            r.KernelEnd = high;
            r.ModuleStart = moduleStart;
            r.ModuleEnd = moduleEnd;
            r.InfoAddress = MultibootInfo.InfoAddress;
            return r;
        }

        /// <summary>A loaded range must come from inside the file and land in RAM, below 4 GiB, clear of the information area.</summary>
        private static string CheckRange(string name, LoadSegment s, ulong fileLength, ulong ramSize)
        {
            if (s.FileSize != 0 && !LoaderBytes.Fits(fileLength, s.FileOffset, s.FileSize))
                return Text.Cat(name, ": its file bytes (", Text.Dec(s.FileSize), " at offset ", Text.Addr(s.FileOffset),
                    ") run past the end of the file (", Text.Dec(fileLength), " bytes)");
            if (s.End > FourGiB)
                return Text.Cat(name, ": ", Text.Range(s.Address, s.End), " ends above 4 GiB");
            if (s.End > ramSize)
                return Text.Cat(name, ": ", Text.Range(s.Address, s.End), " is outside guest RAM (" + Text.Range(0, ramSize) + ")");
            if (s.Address < MultibootInfo.AreaEnd && s.End > MultibootInfo.AreaStart)
                return Text.Cat(name, ": ", Text.Range(s.Address, s.End),
                    " overlaps the Multiboot information area " + Text.Range(MultibootInfo.AreaStart, MultibootInfo.AreaEnd));
            return null;
        }

        /// <summary>
        /// The a.out kludge (§3.1.3 "The address fields of Multiboot header"): the file from
        /// offset (header offset - (header_addr - load_addr)) is loaded at load_addr up to
        /// load_end_addr (0: the rest of the file), then zeros up to bss_end_addr (0: none).
        /// </summary>
        private static string PlanAout(ReadOnlySpan<byte> image, MultibootHeader h, out LoadSegment s)
        {
            s = default;
            const string what = "Multiboot a.out kludge: ";
            if (h.HeaderAddress < h.LoadAddress)
                return Text.Cat(what, "header_addr ", Text.Addr(h.HeaderAddress), " is below load_addr " + Text.Addr(h.LoadAddress));
            ulong headerFromLoad = h.HeaderAddress - h.LoadAddress;
            if (headerFromLoad > (ulong)h.Offset)
                return Text.Cat(what, "load_addr ", Text.Addr(h.LoadAddress), " would start before the beginning of the file");
            s.FileOffset = (ulong)h.Offset - headerFromLoad;
            ulong loadEnd = h.LoadEndAddress == 0 ? h.LoadAddress + ((ulong)image.Length - s.FileOffset) : h.LoadEndAddress;
            if (loadEnd < h.LoadAddress)
                return Text.Cat(what, "load_end_addr ", Text.Addr(loadEnd), " is below load_addr " + Text.Addr(h.LoadAddress));
            ulong memoryEnd = h.BssEndAddress == 0 ? loadEnd : h.BssEndAddress;
            if (memoryEnd < loadEnd)
                return Text.Cat(what, "bss_end_addr ", Text.Addr(memoryEnd), " is below load_end_addr " + Text.Addr(loadEnd));
            s.Address = h.LoadAddress;
            s.VirtualAddress = h.LoadAddress;
            s.FileSize = loadEnd - h.LoadAddress;
            s.MemorySize = memoryEnd - h.LoadAddress;
            return null;
        }

        private static LoadResult Refused(ulong start, ulong end) =>
            LoadResult.Failed("guest RAM refused a write to " + Text.Range(start, end) + " (a range the loader had checked)");

        private static ulong AlignUp(ulong v) => (v + PageSize - 1) & ~(PageSize - 1);
    }
}
