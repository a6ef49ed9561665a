using Hv.Virt.Vmx;

namespace Hv.Arch.Vmx
{
    /// <summary>Reads the host state a VM exit must restore from the CPU this runs on (SDM Vol. 3C "Host-State Area").</summary>
    public static unsafe class HostStateReader
    {
        public static VmxHostState Read()
        {
            var h = new VmxHostState();
            h.Cr0 = Cpu.hv_read_cr0();
            h.Cr3 = Cpu.hv_read_cr3();
            h.Cr4 = Cpu.hv_read_cr4();
            ushort* s = stackalloc ushort[6];
            VmxNative.hv_read_segments(s);
            h.Cs = s[0]; h.Ss = s[1]; h.Ds = s[2]; h.Es = s[3]; h.Fs = s[4]; h.Gs = s[5];
            h.Tr = VmxNative.hv_str();
            byte* d = stackalloc byte[16];
            VmxNative.hv_sgdt(d);
            h.GdtrBase = *(ulong*)(d + 2);
            VmxNative.hv_sidt(d);
            h.IdtrBase = *(ulong*)(d + 2);
            h.TrBase = TssBase(h.GdtrBase, h.Tr);
            h.FsBase = Cpu.hv_rdmsr((uint)X86Msr.FsBase);
            h.GsBase = Cpu.hv_rdmsr((uint)X86Msr.GsBase); // the per-CPU block (kernel/Arch/Smp/PerCpu.cs)
            h.SysenterCs = Cpu.hv_rdmsr((uint)X86Msr.SysenterCs);
            h.SysenterEsp = Cpu.hv_rdmsr((uint)X86Msr.SysenterEsp);
            h.SysenterEip = Cpu.hv_rdmsr((uint)X86Msr.SysenterEip);
            h.Efer = Cpu.hv_rdmsr((uint)X86Msr.Efer);
            h.Pat = Cpu.hv_rdmsr((uint)X86Msr.Pat);
            h.Rip = VmxNative.hv_vmx_exit_address();
            return h;
        }

        /// <summary>Base of the 16-byte TSS descriptor <paramref name="selector"/> names (SDM Vol. 3A "TSS Descriptor in 64-bit mode").</summary>
        private static ulong TssBase(ulong gdt, ushort selector)
        {
            // SAFETY: the GDT is the kernel's own (DescriptorTables.LoadForCpu), identity mapped, and
            // TR selects its TSS descriptor, which spans two entries.
            ulong* e = (ulong*)(gdt + (ulong)(selector & ~7));
            ulong low = e[0], high = e[1];
            return ((low >> 16) & 0xFF_FFFF) | (((low >> 56) & 0xFF) << 24) | ((high & 0xFFFF_FFFF) << 32);
        }
    }
}
