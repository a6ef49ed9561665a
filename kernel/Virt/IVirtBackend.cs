// The one vendor seam, chosen once at boot (style.md: bhyve's vmm_ops). The VMX backend
// (Virt/Vmx + Arch/Vmx) and the SVM backend (Virt/Svm + Arch/Svm) implement it; nothing above
// them knows a VMCS field or a VMCB offset.
namespace Hv.Virt
{
    /// <summary>A guest-physical RAM range and the host-physical memory behind it (page aligned).</summary>
    public struct GuestRegion
    {
        public ulong GuestPhysical;
        public ulong HostPhysical;
        public ulong Size;
    }

    /// <summary>Where a vCPU starts (issue 4: Multiboot protected mode, or the reset vector).</summary>
    public enum StartMode : byte
    {
        /// <summary>Real mode at CS:IP = F000:FFF0 (base FFFF0000), as after RESET.</summary>
        ResetVector,
        /// <summary>32-bit protected mode, flat 4 GiB CS/DS/ES/FS/GS/SS, paging off (Multiboot §3.2).</summary>
        ProtectedFlat32,
        /// <summary>Halted until a SIPI (application processors): wait-for-SIPI state.</summary>
        WaitForSipi,
    }

    public struct VcpuSetup
    {
        public int Index;
        public StartMode Mode;
        public ulong Rip;
        public ulong Rax, Rbx;          // e.g. Multiboot magic and info address
        public GuestRegion[] Memory;    // the VM's RAM; everything else is MMIO (exits)
        public int Asid;                // VPID / ASID to use (nonzero, unique per VM)
        public unsafe delegate*<ulong> AllocZeroedPage; // host-physical 4 KiB page for EPT/NPT, VMCS/VMCB, bitmaps
    }

    public interface IBackendVcpu
    {
        IVcpuState State { get; }

        /// <summary>
        /// Enters the guest and returns at the next VM exit, decoded into <paramref name="exit"/>.
        /// Called on the vCPU's thread with host interrupts disabled; pending injections are made
        /// on entry. Never allocates.
        /// </summary>
        void Run(ref VmExit exit);
    }

    public interface IVirtBackend
    {
        string Name { get; }

        /// <summary>On each CPU that will run guests, once: VMXON / EFER.SVME and the host save area.</summary>
        bool EnableOnThisCpu(out string error);

        /// <summary>Builds the vCPU's control structure and the VM's nested page tables (shared per VM: pass the first vCPU's root to the others later).</summary>
        IBackendVcpu CreateVcpu(ref VcpuSetup setup, out string error);
    }
}
