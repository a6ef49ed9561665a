// Places the AP start-up trampoline (Asm/trampoline.asm) in its low page and fills its data
// block. Offsets match the assembly's data block.
using System.Runtime.InteropServices;

namespace Hv.Arch.Smp
{
    public static unsafe class Trampoline
    {
        private const int GdtOffset = 8, GdtrBaseOffset = 34, FarPtrOffset = 40, Cr3Offset = 48;
        private const int CpuOffset = 52, StackOffset = 56, EntryOffset = 64, EferOffset = 72, Cr4Offset = 76, Cr0Offset = 80, LongModeOffset = 0x100;
        private const uint EferLme = 1u << 8, EferNxe = 1u << 11;

        [DllImport("hvasm"), SuppressGCTransition] private static extern byte* hv_trampoline_blob(out int size);

        private static byte* s_page;

        /// <summary>Copies the code to <paramref name="page"/> (below 1 MiB, 4 KiB aligned) and sets what all APs share.</summary>
        public static bool Install(ulong page, ulong cr3, delegate* unmanaged<uint, void> entry)
        {
            if (page == 0 || page >= 0x100000 || (page & 0xFFF) != 0 || cr3 >= 0x100000000UL) return false;
            byte* src = hv_trampoline_blob(out int size);
            if (size > 4096) return false;
            s_page = (byte*)page;
            for (int i = 0; i < size; i++) s_page[i] = src[i];
            *(uint*)(s_page + GdtrBaseOffset) = (uint)(page + GdtOffset);
            *(uint*)(s_page + FarPtrOffset) = (uint)(page + LongModeOffset);
            *(uint*)(s_page + Cr3Offset) = (uint)cr3;
            *(ulong*)(s_page + EntryOffset) = (ulong)entry;
            Cpu.Cpuid(0x80000001, 0, out _, out _, out _, out uint edx);
            *(uint*)(s_page + EferOffset) = EferLme | ((edx & (1u << 20)) != 0 ? EferNxe : 0);
            // The APs get the boot CPU's control registers: SSE enabled (ilc's code uses it),
            // PAE for long mode. CR4 bits that need more set-up first (PCIDE) are cleared.
            *(uint*)(s_page + Cr4Offset) = (uint)(Cpu.hv_read_cr4() & ~(1UL << 17)) | (1u << 5);
            *(uint*)(s_page + Cr0Offset) = (uint)Cpu.hv_read_cr0() | 0x80000001u;
            return true;
        }

        public static byte SipiVector => (byte)((ulong)s_page >> 12);

        public static void Prepare(int cpu, ulong stackTop)
        {
            *(uint*)(s_page + CpuOffset) = (uint)cpu;
            *(ulong*)(s_page + StackOffset) = stackTop;
        }
    }
}
