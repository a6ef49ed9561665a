// The kernel's own GDT, TSS and IDT (SDM Vol. 3 §3.4.5, §7.2.3, §6.14), replacing the firmware's.
// GDT: 0x00 null, 0x08 64-bit code, 0x10 data, 0x18 TSS (16 bytes). The TSS gives the double
// fault, NMI and machine check their own stacks (IST1-3), so a kernel stack overflow still
// reaches the handler and prints.
using System.Runtime.InteropServices;

namespace Hv.Arch
{
    public static unsafe class DescriptorTables
    {
        public const ushort KernelCode = 0x08, KernelData = 0x10, TssSelector = 0x18;
        private const int IstStackSize = 16 * 1024;

        [StructLayout(LayoutKind.Sequential, Pack = 1)]
        private struct Tss64
        {
            public uint Reserved0;
            public ulong Rsp0, Rsp1, Rsp2;
            public ulong Reserved1;
            public ulong Ist1, Ist2, Ist3, Ist4, Ist5, Ist6, Ist7;
            public ulong Reserved2;
            public ushort Reserved3, IoMapBase;
        }

        private static ulong* s_idt;

        /// <summary>Once, on the boot CPU: the IDT all CPUs share (all 256 vectors lead to isr.asm stubs).</summary>
        public static void BuildIdt()
        {
            s_idt = (ulong*)Alloc(256 * 16);
            ulong* stubs = (ulong*)Cpu.hv_isr_table();
            for (int v = 0; v < 256; v++)
            {
                byte ist = v == 8 ? (byte)1 : v == 2 ? (byte)2 : v == 18 ? (byte)3 : (byte)0;
                SetGate(v, stubs[v], ist);
            }
        }

        /// <summary>On each CPU: its own GDT and TSS (a TSS is busy once loaded, and IST stacks are per CPU), then the shared IDT.</summary>
        public static void LoadForCpu()
        {
            ulong* gdt = (ulong*)Alloc(5 * 8);
            var tss = (Tss64*)Alloc((ulong)sizeof(Tss64));
            tss->IoMapBase = (ushort)sizeof(Tss64); // no I/O bitmap
            tss->Ist1 = Paging.Stacks.Allocate(IstStackSize);  // #DF
            tss->Ist2 = Paging.Stacks.Allocate(IstStackSize);  // NMI
            tss->Ist3 = Paging.Stacks.Allocate(IstStackSize);  // #MC

            gdt[0] = 0;
            gdt[1] = 0x00AF9A000000FFFF; // code: present, DPL0, execute/read, L=1
            gdt[2] = 0x00CF92000000FFFF; // data: present, DPL0, read/write
            ulong t = (ulong)tss, limit = (ulong)sizeof(Tss64) - 1;
            gdt[3] = (limit & 0xFFFF) | ((t & 0xFFFFFF) << 16) | (0x89UL << 40) | (((limit >> 16) & 0xF) << 48) | (((t >> 24) & 0xFF) << 56);
            gdt[4] = t >> 32;

            byte* gdtr = stackalloc byte[10];
            *(ushort*)gdtr = 5 * 8 - 1;
            *(ulong*)(gdtr + 2) = (ulong)gdt;
            Cpu.hv_load_gdt(gdtr, KernelCode, KernelData, TssSelector);

            byte* idtr = stackalloc byte[10];
            *(ushort*)idtr = 256 * 16 - 1;
            *(ulong*)(idtr + 2) = (ulong)s_idt;
            Cpu.hv_lidt(idtr);
        }

        /// <summary>64-bit interrupt gate (type 0xE), present, DPL0.</summary>
        private static void SetGate(int vector, ulong handler, byte ist)
        {
            ulong low = (handler & 0xFFFF) | ((ulong)KernelCode << 16) | ((ulong)(ist & 7) << 32) | (0x8EUL << 40) | (((handler >> 16) & 0xFFFF) << 48);
            s_idt[vector * 2] = low;
            s_idt[vector * 2 + 1] = handler >> 32;
        }

        private static void* Alloc(ulong size) => Internal.Runtime.Kernel.KernelHeap.Alloc((nuint)size);
    }
}
