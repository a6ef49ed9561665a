using System;

namespace Hv.Loader
{
    /// <summary>
    /// One range to load: the file bytes [FileOffset, FileOffset + FileSize) go to guest-physical
    /// Address, then zeros up to MemorySize (an ELF segment's .bss, the a.out kludge's bss).
    /// VirtualAddress is where the image's code believes the range is (ELF p_vaddr), used only
    /// to translate the entry point. All values come from 32-bit fields, so sums never overflow.
    /// </summary>
    internal struct LoadSegment
    {
        public ulong FileOffset, FileSize, Address, MemorySize, VirtualAddress;

        public ulong End => Address + MemorySize;
    }

    /// <summary>
    /// The loadable ranges of an image: the PT_LOAD program headers of an ELF32 file, or the
    /// single range of the a.out kludge. Reading it again gives the same ranges, so the loader
    /// checks everything in one pass and writes in a second without keeping a list.
    /// </summary>
    internal ref struct SegmentTable
    {
        private ReadOnlySpan<byte> _image;
        private Elf32Header _elf;
        private LoadSegment _aout;
        private bool _isAout;

        public static SegmentTable Elf(ReadOnlySpan<byte> image, Elf32Header elf)
        {
            SegmentTable t = default;
            t._image = image;
            t._elf = elf;
            return t;
        }

        public static SegmentTable Aout(LoadSegment range)
        {
            SegmentTable t = default;
            t._aout = range;
            t._isAout = true;
            return t;
        }

        public int Count => _isAout ? 1 : _elf.ProgramHeaderCount;

        public string Name(int index) => _isAout ? "the a.out-kludge load range" : "segment " + ((uint)index).ToString();

        /// <summary>
        /// Range <paramref name="index"/>. Returns an error when the program header is
        /// inconsistent in itself; loads is false for a header that loads nothing (not PT_LOAD,
        /// or memory size 0).
        /// </summary>
        public string Get(int index, out LoadSegment s, out bool loads)
        {
            if (_isAout)
            {
                s = _aout;
                loads = s.MemorySize != 0;
                return null;
            }
            s = default;
            Elf32ProgramHeader p = _elf.ProgramHeader(_image, index);
            loads = p.Type == Elf32.ProgramLoad && p.MemorySize != 0;
            if (!loads)
                return null;
            if (p.FileSize > p.MemorySize)
                return Text.Cat(Name(index), ": file size ", Text.Addr(p.FileSize), " is larger than its memory size " + Text.Addr(p.MemorySize));
            s.FileOffset = p.Offset;
            s.FileSize = p.FileSize;
            s.Address = p.PhysicalAddress;
            s.MemorySize = p.MemorySize;
            s.VirtualAddress = p.VirtualAddress;
            return null;
        }

        /// <summary>
        /// The guest-physical address of the entry point. A higher-half kernel links its entry at
        /// a virtual address: the segment whose [p_vaddr, p_vaddr + p_memsz) holds it gives the
        /// physical one (GRUB does the same); otherwise the entry must lie in a segment's
        /// physical range as it is.
        /// </summary>
        public bool TranslateEntry(ulong entry, out ulong physical)
        {
            for (int i = 0; i < Count; i++)
            {
                Get(i, out LoadSegment s, out bool loads);
                if (loads && entry >= s.VirtualAddress && entry - s.VirtualAddress < s.MemorySize)
                {
                    physical = s.Address + (entry - s.VirtualAddress);
                    return true;
                }
            }
            for (int i = 0; i < Count; i++)
            {
                Get(i, out LoadSegment s, out bool loads);
                if (loads && entry >= s.Address && entry < s.End)
                {
                    physical = entry;
                    return true;
                }
            }
            physical = 0;
            return false;
        }
    }
}
