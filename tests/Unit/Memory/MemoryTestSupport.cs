using System;
using System.Collections.Generic;
using Hv.Memory;
using Xunit;

namespace Hv.Tests.Unit.Memory
{
    /// <summary>Memory maps for tests: an OVMF-shaped map, raw EFI_MEMORY_DESCRIPTOR encoding, and
    /// allocators over pinned bitmap storage.</summary>
    internal static class Maps
    {
        internal static MemoryRange R(ulong start, ulong pages, MemoryKind kind, MemoryAttributes attributes = MemoryAttributes.WriteBack)
            => new MemoryRange(new HostPhysical(start), pages, kind, attributes);

        /// <summary>
        /// The shape of OVMF's map on q35 with 3 GiB (2 GiB below 4 GiB, 1 GiB above) after the
        /// hypervisor's boot stage: a boot-services page at 0, conventional memory below 640 KiB, the
        /// ACPI NVS islands at 8 MiB, the big conventional range, our image and heap (loader), boot
        /// services and runtime ranges at the top of low memory, the PCIe ECAM window, the flash MMIO.
        /// </summary>
        internal static MemoryRange[] Ovmf() => new[]
        {
            R(0x0, 1, MemoryKind.BootServicesData),
            R(0x1000, 0x9F, MemoryKind.ConventionalMemory),
            R(0x10_0000, 0x700, MemoryKind.ConventionalMemory),
            R(0x80_0000, 8, MemoryKind.AcpiNvs),
            R(0x80_8000, 3, MemoryKind.ConventionalMemory),
            R(0x80_B000, 1, MemoryKind.AcpiNvs),
            R(0x80_C000, 5, MemoryKind.ConventionalMemory),
            R(0x81_1000, 0xEF, MemoryKind.AcpiNvs),
            R(0x90_0000, 0x6F700, MemoryKind.ConventionalMemory),
            R(0x7000_0000, 0x6000, MemoryKind.LoaderData),
            R(0x7600_0000, 0x100, MemoryKind.LoaderCode),
            R(0x7610_0000, 0x9700, MemoryKind.BootServicesData),
            R(0x7F80_0000, 0x300, MemoryKind.BootServicesCode),
            R(0x7FB0_0000, 0x80, MemoryKind.RuntimeServicesData, MemoryAttributes.WriteBack | MemoryAttributes.Runtime),
            R(0x7FB8_0000, 0x40, MemoryKind.RuntimeServicesCode, MemoryAttributes.WriteBack | MemoryAttributes.Runtime),
            R(0x7FBC_0000, 0x20, MemoryKind.Reserved),
            R(0x7FBE_0000, 0x10, MemoryKind.AcpiReclaim),
            R(0x7FBF_0000, 0x10, MemoryKind.AcpiNvs),
            R(0x7FC0_0000, 0x300, MemoryKind.BootServicesData),
            R(0x7FF0_0000, 0x100, MemoryKind.RuntimeServicesData, MemoryAttributes.WriteBack | MemoryAttributes.Runtime),
            R(0xB000_0000, 0x1_0000, MemoryKind.Reserved, MemoryAttributes.None),
            R(0xFFC0_0000, 0x400, MemoryKind.MemoryMappedIo, MemoryAttributes.Uncacheable | MemoryAttributes.Runtime),
            R(0x1_0000_0000, 0x4_0000, MemoryKind.ConventionalMemory),
        };

        internal const ulong OvmfUsableFrames = 0x700 + 3 + 5 + 0x6F700 + 0x9700 + 0x300 + 0x300 + 0x4_0000;

        /// <summary>A small map: 1 MiB..3 MiB conventional, 3..5 MiB boot services (touching), a
        /// loader range, 6..8 MiB conventional, and conventional memory below 1 MiB.</summary>
        internal static MemoryRange[] Small() => new[]
        {
            R(0x0, 0xA0, MemoryKind.ConventionalMemory),
            R(0x10_0000, 0x200, MemoryKind.ConventionalMemory),
            R(0x30_0000, 0x200, MemoryKind.BootServicesCode),
            R(0x50_0000, 0x100, MemoryKind.LoaderData),
            R(0x60_0000, 0x200, MemoryKind.ConventionalMemory),
        };

        /// <summary>Raw descriptors as GetMemoryMap returns them, <paramref name="descriptorSize"/>
        /// apart; bytes past offset 40 hold 0xEE (a newer firmware's fields) to prove they are skipped.</summary>
        internal static byte[] Encode(MemoryRange[] ranges, int descriptorSize = 48)
        {
            byte[] map = new byte[ranges.Length * descriptorSize];
            for (int i = 0; i < ranges.Length; i++)
            {
                MemoryRange r = ranges[i];
                Write(map, i * descriptorSize, descriptorSize, (uint)r.Kind, r.Start.Value, r.Pages, (ulong)r.Attributes);
            }
            return map;
        }

        internal static void Write(byte[] map, int at, int descriptorSize, uint type, ulong start, ulong pages, ulong attributes)
        {
            for (int b = 0; b < descriptorSize; b++)
                map[at + b] = (byte)(b >= 40 ? 0xEE : 0);
            Put(map, at + 0, type);
            Put(map, at + 4, 0xDEADBEEF);      // padding: must be ignored
            Put(map, at + 8, start);
            Put(map, at + 16, start | 0xFFFF_0000_0000_0000);   // VirtualStart: ignored
            Put(map, at + 24, pages);
            Put(map, at + 32, attributes);
        }

        private static void Put(byte[] map, int at, ulong value)
        {
            for (int b = 0; b < 8; b++)
                map[at + b] = (byte)(value >> (8 * b));
        }

        private static void Put(byte[] map, int at, uint value)
        {
            for (int b = 0; b < 4; b++)
                map[at + b] = (byte)(value >> (8 * b));
        }

        // Pinned (POH) arrays never move, so the pointer handed to the allocator stays valid; the list
        // keeps them alive for the test run.
        private static readonly List<ulong[]> s_storage = new List<ulong[]>();

        internal static unsafe PhysicalFrameAllocator Allocator(MemoryRange[] map, ulong spareWords = 0, IInterruptMask interrupts = null)
        {
            FrameLayout layout = FrameLayout.FromMap(map);
            ulong[] words = GC.AllocateArray<ulong>((int)(layout.BitmapWords + spareWords), pinned: true);
            lock (s_storage)
                s_storage.Add(words);
            fixed (ulong* p = words)
            {
                Assert.True(PhysicalFrameAllocator.TryCreate(layout, p, (ulong)words.Length, interrupts, out PhysicalFrameAllocator a));
                return a;
            }
        }

        internal static ulong SumPages(MemoryRange[] map)
        {
            ulong total = 0;
            foreach (MemoryRange r in map)
                total += r.Pages;
            return total;
        }

        /// <summary>True when [address, address + frames pages) lies inside one usable range of the map.</summary>
        internal static bool InsideUsable(MemoryRange[] map, HostPhysical address, ulong frames = 1)
        {
            foreach (MemoryRange r in map)
            {
                if (r.Use != MemoryUse.Usable)
                    continue;
                ulong start = r.Start.Value, end = start + r.Pages * 0x1000;
                if (address.Value >= start && address.Value + frames * 0x1000 <= end)
                    return true;
            }
            return false;
        }
    }
}
