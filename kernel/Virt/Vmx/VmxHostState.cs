namespace Hv.Virt.Vmx
{
    /// <summary>
    /// The host state a VM exit loads (SDM Vol. 3C "Host-State Area"; "Loading Host State" in "VM
    /// Exits"), read from the CPU that runs the vCPU (kernel/Arch/Vmx/HostStateReader.cs). GS base is
    /// per CPU (the kernel's per-CPU block), so are the TR, GDTR and IDTR bases of per-CPU tables: the
    /// backend writes this on the CPU a VMCS is first loaded on, and a vCPU stays on that CPU.
    /// </summary>
    public struct VmxHostState
    {
        public ulong Cr0, Cr3, Cr4;
        public ushort Cs, Ss, Ds, Es, Fs, Gs, Tr;
        public ulong FsBase, GsBase, TrBase, GdtrBase, IdtrBase;
        public ulong SysenterCs, SysenterEsp, SysenterEip;
        public ulong Efer, Pat;
        /// <summary>Where a VM exit continues: the exit stub of the world switch (kernel/Arch/Asm/vmx.asm).</summary>
        public ulong Rip;
    }

    /// <summary>Writes the host-state area.</summary>
    public static class VmcsHostState
    {
        public static void Write(IVmcs v, in VmxHostState h, in VmxControlSet set)
        {
            v.Write(VmcsField.HostCr0, h.Cr0);
            v.Write(VmcsField.HostCr3, h.Cr3);
            v.Write(VmcsField.HostCr4, h.Cr4);
            // Selector RPL and TI must be 0 (SDM "Checks on Host Segment and Descriptor-Table Registers").
            v.Write(VmcsField.HostCsSelector, h.Cs & 0xFFF8u);
            v.Write(VmcsField.HostSsSelector, h.Ss & 0xFFF8u);
            v.Write(VmcsField.HostDsSelector, h.Ds & 0xFFF8u);
            v.Write(VmcsField.HostEsSelector, h.Es & 0xFFF8u);
            v.Write(VmcsField.HostFsSelector, h.Fs & 0xFFF8u);
            v.Write(VmcsField.HostGsSelector, h.Gs & 0xFFF8u);
            v.Write(VmcsField.HostTrSelector, h.Tr & 0xFFF8u);
            WritePerCpu(v, h);
            v.Write(VmcsField.HostFsBase, h.FsBase);
            v.Write(VmcsField.HostIa32SysenterCs, h.SysenterCs);
            v.Write(VmcsField.HostIa32SysenterEsp, h.SysenterEsp);
            v.Write(VmcsField.HostIa32SysenterEip, h.SysenterEip);
            v.Write(VmcsField.HostIa32Efer, h.Efer);
            if (set.PatSwitching) v.Write(VmcsField.HostIa32Pat, h.Pat);
            v.Write(VmcsField.HostRip, h.Rip);
        }

        /// <summary>The fields that differ between CPUs: written again when a VMCS is first loaded on a CPU.</summary>
        public static void WritePerCpu(IVmcs v, in VmxHostState h)
        {
            v.Write(VmcsField.HostGsBase, h.GsBase);
            v.Write(VmcsField.HostTrBase, h.TrBase);
            v.Write(VmcsField.HostGdtrBase, h.GdtrBase);
            v.Write(VmcsField.HostIdtrBase, h.IdtrBase);
        }
    }
}
