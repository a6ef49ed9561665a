using System;
using Hv.Virt.Platform;

namespace Hv.Loader
{
    /// <summary>
    /// The GDT the Linux 64-bit entry needs (boot.rst "64-bit Boot Protocol": "a GDT must be loaded
    /// with the descriptors for selectors __BOOT_CS(0x10) and __BOOT_DS(0x18); both descriptors
    /// must be 4G flat segment"). Four 8-byte descriptors (SDM Vol. 3A §3.4.5):
    /// <code>
    /// 0x00 null   0x08 unused (null)   0x10 code: base 0, limit 0xFFFFF pages, P DPL0 S type 0xB, G L
    /// 0x18 data: base 0, limit 0xFFFFF pages, P DPL0 S type 0x3, G D/B
    /// </code>
    /// The accessed bit is preset so the CPU never writes the table.
    /// </summary>
    public static class LinuxBootGdt
    {
        public const ushort CodeSelector = 0x10;
        public const ushort DataSelector = 0x18;
        public const int Size = 4 * 8;
        public const ushort Limit = Size - 1;
        public const ulong Code64Descriptor = 0x00AF9B000000FFFF;
        public const ulong DataDescriptor = 0x00CF93000000FFFF;

        public static void Write(Span<byte> gdt)
        {
            gdt.Slice(0, Size).Clear();
            LoaderBytes.Put64(gdt, CodeSelector, Code64Descriptor);
            LoaderBytes.Put64(gdt, DataSelector, DataDescriptor);
        }
    }

    /// <summary>
    /// The identity map the 64-bit entry runs on: guest-virtual = guest-physical for the first
    /// 4 GiB, which covers everything the protocol wants mapped (the kernel's init_size range,
    /// boot_params, the command line; the initrd and the ACPI tables too, all below 4 GiB).
    /// 4-level paging (SDM Vol. 3A §5.5): one PML4 entry -> one PDPT with 4 entries -> 4 page
    /// directories of 512 2 MiB pages. 2 MiB pages need no CPUID feature (1 GiB pages would need
    /// CPUID.80000001H:EDX.Page1GB, which the guest may not be offered). Entries are present and
    /// writable, supervisor, write-back; no NX bit (EFER.NXE is off).
    /// </summary>
    public static class IdentityMap
    {
        public const int PageSize = 4096;
        public const int PageDirectories = 4;
        public const ulong Present = 1UL << 0, Writable = 1UL << 1, LargePage = 1UL << 7;
        public const ulong LargePageSize = 2UL << 20;

        public static void WritePml4(Span<byte> page)
        {
            page.Slice(0, PageSize).Clear();
            LoaderBytes.Put64(page, 0, GuestPlatformLayout.BootPdpt | Present | Writable);
        }

        public static void WritePdpt(Span<byte> page)
        {
            page.Slice(0, PageSize).Clear();
            for (int i = 0; i < PageDirectories; i++)
                LoaderBytes.Put64(page, 8 * i, PageDirectoryAddress(i) | Present | Writable);
        }

        /// <summary>Page directory <paramref name="gib"/> (0..3): 512 2 MiB pages mapping [gib GiB, gib + 1 GiB) to itself.</summary>
        public static void WritePageDirectory(Span<byte> page, int gib)
        {
            for (int j = 0; j < 512; j++)
            {
                ulong physical = ((ulong)gib << 30) + (ulong)j * LargePageSize;
                LoaderBytes.Put64(page, 8 * j, physical | Present | Writable | LargePage);
            }
        }

        public static ulong PageDirectoryAddress(int gib) => GuestPlatformLayout.BootPageDirectories + (ulong)gib * PageSize;
    }
}
