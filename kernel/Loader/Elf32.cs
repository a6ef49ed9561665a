using System;

namespace Hv.Loader
{
    /// <summary>
    /// ELF32 constants this loader checks (System V ABI, "Object Files": ELF Header and Program
    /// Header; Intel386 supplement for EM_386).
    /// </summary>
    public static class Elf32
    {
        public const int HeaderSize = 52;
        public const int ProgramHeaderSize = 32;

        public const byte ClassElf32 = 1;      // EI_CLASS = ELFCLASS32
        public const byte DataLittleEndian = 1; // EI_DATA = ELFDATA2LSB
        public const byte CurrentVersion = 1;  // EI_VERSION, e_version = EV_CURRENT
        public const ushort TypeExecutable = 2; // e_type = ET_EXEC
        public const ushort MachineI386 = 3;   // e_machine = EM_386
        public const uint ProgramLoad = 1;     // p_type = PT_LOAD
    }

    /// <summary>The fields of an ELF32 file header that loading needs.</summary>
    public struct Elf32Header
    {
        public uint Entry;
        public uint ProgramHeaderOffset;
        public ushort ProgramHeaderEntrySize;
        public ushort ProgramHeaderCount;

        /// <summary>
        /// Reads and checks the file header and the extent of the program header table. Returns
        /// null when the file is a little-endian ELF32 i386 executable whose program headers lie
        /// inside the file, else the reason it is not.
        /// </summary>
        public static string Read(ReadOnlySpan<byte> file, out Elf32Header header)
        {
            header = default;
            if (file.Length < Elf32.HeaderSize)
                return "ELF: the file is " + ((uint)file.Length).ToString() + " bytes, shorter than the 52-byte ELF header";
            if (file[0] != 0x7F || file[1] != (byte)'E' || file[2] != (byte)'L' || file[3] != (byte)'F')
                return "ELF: not an ELF file (no 7f 'E' 'L' 'F' at offset 0)";
            if (file[4] != Elf32.ClassElf32)
                return "ELF: class " + ((uint)file[4]).ToString() + " is not ELFCLASS32 (1): a Multiboot kernel is a 32-bit ELF";
            if (file[5] != Elf32.DataLittleEndian)
                return "ELF: data encoding " + ((uint)file[5]).ToString() + " is not little-endian (ELFDATA2LSB, 1)";
            if (file[6] != Elf32.CurrentVersion)
                return "ELF: ident version " + ((uint)file[6]).ToString() + " is not EV_CURRENT (1)";
            ushort type = LoaderBytes.U16(file, 16);
            if (type != Elf32.TypeExecutable)
                return "ELF: type " + ((uint)type).ToString() + " is not ET_EXEC (2)";
            ushort machine = LoaderBytes.U16(file, 18);
            if (machine != Elf32.MachineI386)
                return "ELF: machine " + ((uint)machine).ToString() + " is not EM_386 (3)";
            uint version = LoaderBytes.U32(file, 20);
            if (version != Elf32.CurrentVersion)
                return "ELF: version " + version.ToString() + " is not EV_CURRENT (1)";

            header.Entry = LoaderBytes.U32(file, 24);
            header.ProgramHeaderOffset = LoaderBytes.U32(file, 28);
            header.ProgramHeaderEntrySize = LoaderBytes.U16(file, 42);
            header.ProgramHeaderCount = LoaderBytes.U16(file, 44);

            if (header.ProgramHeaderCount == 0)
                return "ELF: no program headers (e_phnum is 0)";
            if (header.ProgramHeaderEntrySize < Elf32.ProgramHeaderSize)
                return "ELF: program header size " + ((uint)header.ProgramHeaderEntrySize).ToString() + " is below 32 bytes";
            ulong tableSize = (ulong)header.ProgramHeaderCount * header.ProgramHeaderEntrySize;
            if (!LoaderBytes.Fits((ulong)file.Length, header.ProgramHeaderOffset, tableSize))
                return Text.Cat("ELF: the program headers (", Text.Dec(header.ProgramHeaderCount) + " x " + Text.Dec(header.ProgramHeaderEntrySize),
                    " bytes at offset ", Text.Addr(header.ProgramHeaderOffset), ") run past the end of the file (", Text.Dec((uint)file.Length), " bytes", ")");
            return null;
        }

        /// <summary>Program header <paramref name="index"/>; Read has checked that the table is inside the file.</summary>
        public Elf32ProgramHeader ProgramHeader(ReadOnlySpan<byte> file, int index)
        {
            int o = (int)ProgramHeaderOffset + index * ProgramHeaderEntrySize;
            Elf32ProgramHeader p;
            p.Type = LoaderBytes.U32(file, o);
            p.Offset = LoaderBytes.U32(file, o + 4);
            p.VirtualAddress = LoaderBytes.U32(file, o + 8);
            p.PhysicalAddress = LoaderBytes.U32(file, o + 12);
            p.FileSize = LoaderBytes.U32(file, o + 16);
            p.MemorySize = LoaderBytes.U32(file, o + 20);
            p.Flags = LoaderBytes.U32(file, o + 24);
            p.Align = LoaderBytes.U32(file, o + 28);
            return p;
        }
    }

    public struct Elf32ProgramHeader
    {
        public uint Type;
        public uint Offset;
        public uint VirtualAddress;
        public uint PhysicalAddress;
        public uint FileSize;
        public uint MemorySize;
        public uint Flags;
        public uint Align;
    }
}
