using System;
using Hv.Virt;
using Hv.Virt.Platform;

namespace Hv.Tests.Loader
{
    /// <summary>
    /// A synthetic bzImage: the real-mode part ((SetupSects + 1) x 512 bytes) with a setup header
    /// at 0x1F1 as Linux 6.x writes it (protocol 2.15), then KernelBytes of patterned
    /// "protected-mode kernel". Every header field can be set; Build writes them, and tests may
    /// damage the built bytes further.
    /// </summary>
    sealed class BzImageBuilder
    {
        public byte SetupSects = 4;
        public int KernelBytes = 0x3000;
        public uint? SysSizeOverride;
        public ushort BootFlag = 0xAA55;
        public byte JumpOpcode = 0xEB, JumpOffset = 0x6A;        // header ends at 0x26C
        public uint Magic = 0x53726448;
        public ushort Version = 0x020F;
        public byte LoadFlags = 0x01;                             // LOADED_HIGH
        public uint InitrdAddrMax = 0x7FFFFFFF;
        public uint KernelAlignment = 0x200000;
        public byte Relocatable = 1;
        public byte MinAlignment = 21;
        public ushort XLoadFlags = 0x0003;                        // KERNEL_64 | CAN_BE_LOADED_ABOVE_4G
        public uint CmdlineSize = 2047;
        public ulong PrefAddress = 0x1000000;
        public uint InitSize = 0x800000;
        public ushort VidMode = 0xFFFF;

        public int SetupBytes => ((SetupSects == 0 ? 4 : SetupSects) + 1) * 512;

        public byte[] Build()
        {
            byte[] b = new byte[SetupBytes + KernelBytes];
            byte[] pattern = TestImages.Pattern(b.Length, 11);
            Array.Copy(pattern, b, b.Length);
            // Clear the header area, then write the fields.
            Array.Clear(b, 0x1F1, 0x26C - 0x1F1);
            b[0x1F1] = SetupSects;
            ElfBuilder.Put32(b, 0x1F4, SysSizeOverride ?? (uint)((KernelBytes + 15) / 16));
            Put16(b, 0x1FA, VidMode);
            Put16(b, 0x1FE, BootFlag);
            b[0x200] = JumpOpcode;
            b[0x201] = JumpOffset;
            ElfBuilder.Put32(b, 0x202, Magic);
            Put16(b, 0x206, Version);
            b[0x211] = LoadFlags;
            ElfBuilder.Put32(b, 0x214, 0x100000);                 // code32_start default
            ElfBuilder.Put32(b, 0x22C, InitrdAddrMax);
            ElfBuilder.Put32(b, 0x230, KernelAlignment);
            b[0x234] = Relocatable;
            b[0x235] = MinAlignment;
            Put16(b, 0x236, XLoadFlags);
            ElfBuilder.Put32(b, 0x238, CmdlineSize);
            ElfBuilder.Put32(b, 0x258, (uint)PrefAddress);
            ElfBuilder.Put32(b, 0x25C, (uint)(PrefAddress >> 32));
            ElfBuilder.Put32(b, 0x260, InitSize);
            ElfBuilder.Put32(b, 0x264, 0x190);                   // handover_offset
            ElfBuilder.Put32(b, 0x268, 0x1234);                  // kernel_info_offset
            return b;
        }

        public static void Put16(byte[] b, int o, ushort v)
        {
            b[o] = (byte)v;
            b[o + 1] = (byte)(v >> 8);
        }

        /// <summary>The VM's RAM ranges for <paramref name="bytes"/> of RAM, as the kernel lays them out.</summary>
        public static GuestRange[] Ram(ulong bytes)
        {
            var r = new GuestRange[2];
            int n = GuestPlatformLayout.RamRanges(bytes, r);
            return r.AsSpan(0, n).ToArray();
        }
    }
}
