using System;
using Hv.Virt;
using Hv.Virt.Platform;

namespace Hv.Loader
{
    /// <summary>E820 address range types (ACPI 6.5 §15.1, Table 15.1; Linux boot_e820_entry.type).</summary>
    public enum E820Type : uint
    {
        Ram = 1,
        Reserved = 2,
        AcpiReclaimable = 3,
        AcpiNvs = 4,
        Unusable = 5,
    }

    /// <summary>One entry of boot_params.e820_table: 8-byte address, 8-byte size, 4-byte type (20 bytes, packed).</summary>
    public struct E820Entry
    {
        public const int Size = 20;
        public ulong Address;
        public ulong Length;
        public E820Type Type;

        public ulong End => Address + Length;

        public static E820Entry Make(ulong address, ulong length, E820Type type)
        {
            E820Entry e;
            e.Address = address;
            e.Length = length;
            e.Type = type;
            return e;
        }
    }

    /// <summary>
    /// The memory map a Linux guest gets (zero-page.rst: e820_entries at 0x1E8, e820_table at
    /// 0x2D0, at most 128 entries). From the VM's RAM ranges (GuestPlatformLayout.RamRanges):
    /// <code>
    /// RAM       each RAM range, minus the legacy hole [0x9FC00, 0x100000)
    /// reserved  [0x9FC00, 0x100000): the EBDA slot, legacy video/ROM area and the ACPI tables
    /// reserved  the ECAM window (Linux checks MCFG areas against E820 as well as PNP0C02)
    /// </code>
    /// sorted by address. The MMIO devices above the ECAM (IOAPIC, LAPIC) are not listed: Linux
    /// reserves them from the MADT.
    /// </summary>
    public static class E820Map
    {
        public const int MaxEntries = 128;
        /// <summary>RAM ranges accepted: far more than GuestPlatformLayout.RamRanges makes (2).</summary>
        public const int MaxRamRanges = 16;
        /// <summary>The most entries Build writes: one RAM entry per range, low RAM, the legacy hole, ECAM.</summary>
        public const int MaxBuiltEntries = MaxRamRanges + 3;

        /// <summary>
        /// Checks <paramref name="ram"/> (sorted, disjoint, 4 KiB granular, inside guest RAM of
        /// <paramref name="ramSize"/> bytes, the first covering [0, 1 MiB), none in the 32-bit MMIO
        /// hole) and writes the map into <paramref name="map"/>; returns null or the problem.
        /// </summary>
        public static string Build(ReadOnlySpan<GuestRange> ram, ulong ramSize, Span<E820Entry> map, out int count)
        {
            count = 0;
            if (ram.Length == 0 || ram.Length > MaxRamRanges)
                return "Linux: " + ((uint)ram.Length).ToString() + " RAM ranges; the memory map takes 1-16";
            ulong previousEnd = 0;
            for (int i = 0; i < ram.Length; i++)
            {
                GuestRange r = ram[i];
                if (r.Size == 0 || ((r.GuestPhysical | r.Size) & 0xFFF) != 0 || r.GuestPhysical > ulong.MaxValue - r.Size)
                    return Text.Cat("Linux: RAM range ", ((uint)i).ToString(), " is empty, not 4 KiB aligned or wraps: base ",
                        Text.Addr(r.GuestPhysical) + " size " + Text.Addr(r.Size));
                ulong end = r.GuestPhysical + r.Size;
                if (i > 0 && r.GuestPhysical < previousEnd)
                    return "Linux: the RAM ranges are not sorted and disjoint (range " + ((uint)i).ToString() + ")";
                if (end > ramSize)
                    return Text.Cat("Linux: RAM range ", Text.Range(r.GuestPhysical, end), " ends past guest RAM (", Text.Addr(ramSize) + ")");
                if (r.GuestPhysical < GuestPlatformLayout.FourGiB && end > GuestPlatformLayout.LowRamLimit)
                    return Text.Cat("Linux: RAM range ", Text.Range(r.GuestPhysical, end), " overlaps the MMIO hole ",
                        Text.Range(GuestPlatformLayout.LowRamLimit, GuestPlatformLayout.FourGiB));
                previousEnd = end;
            }
            if (ram[0].GuestPhysical != 0 || ram[0].Size < GuestPlatformLayout.HighMemoryStart)
                return "Linux: the first RAM range must cover 0..1 MiB (boot structures and ACPI tables live there)";

            int n = 0;
            // Below 1 MiB: usable RAM up to the legacy hole, then the hole itself.
            map[n++] = E820Entry.Make(0, GuestPlatformLayout.LowReservedStart, E820Type.Ram);
            map[n++] = E820Entry.Make(GuestPlatformLayout.LowReservedStart,
                GuestPlatformLayout.HighMemoryStart - GuestPlatformLayout.LowReservedStart, E820Type.Reserved);
            bool ecamListed = false;
            for (int i = 0; i < ram.Length; i++)
            {
                ulong start = ram[i].GuestPhysical, end = start + ram[i].Size;
                if (start < GuestPlatformLayout.HighMemoryStart)
                    start = GuestPlatformLayout.HighMemoryStart;
                if (!ecamListed && start >= GuestPlatformLayout.FourGiB)
                {
                    map[n++] = Ecam();
                    ecamListed = true;
                }
                if (end > start)
                    map[n++] = E820Entry.Make(start, end - start, E820Type.Ram);
            }
            if (!ecamListed)
                map[n++] = Ecam();
            count = n;
            return null;
        }

        private static E820Entry Ecam() => E820Entry.Make(GuestPlatformLayout.EcamBase, GuestPlatformLayout.EcamSize, E820Type.Reserved);

        /// <summary>Writes the entries at <paramref name="offset"/> of <paramref name="bootParams"/> in the 20-byte packed form.</summary>
        public static void Write(Span<byte> bootParams, int offset, ReadOnlySpan<E820Entry> entries)
        {
            for (int i = 0; i < entries.Length; i++)
            {
                int o = offset + i * E820Entry.Size;
                LoaderBytes.Put64(bootParams, o, entries[i].Address);
                LoaderBytes.Put64(bootParams, o + 8, entries[i].Length);
                LoaderBytes.Put32(bootParams, o + 16, (uint)entries[i].Type);
            }
        }

        /// <summary>True when [start, end) lies inside one RAM entry of the map.</summary>
        public static bool InRam(ReadOnlySpan<E820Entry> map, ulong start, ulong end)
        {
            for (int i = 0; i < map.Length; i++)
                if (map[i].Type == E820Type.Ram && start >= map[i].Address && end <= map[i].End && start < end)
                    return true;
            return false;
        }
    }
}
