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
        /// <summary>
        /// 64-bit mode with paging on (the Linux boot protocol's 64-bit entry, Documentation/arch/x86/boot.rst
        /// "64-bit Boot Protocol"): CR0.PE|PG, CR4.PAE, EFER.LME|LMA, CR3, GDTR and the flat selectors
        /// from <see cref="VcpuSetup.Long"/>; RSI from <see cref="VcpuSetup.Rsi"/>; IF = 0.
        /// </summary>
        Long64,
    }

    /// <summary>What a <see cref="StartMode.Long64"/> start needs: the loader built the page tables and the GDT in guest RAM.</summary>
    public struct LongModeStart
    {
        public ulong Cr3;
        public ulong GdtBase;
        public ushort GdtLimit;
        /// <summary>A 64-bit code segment in that GDT (Linux: __BOOT_CS = 0x10) and a flat data segment (__BOOT_DS = 0x18).</summary>
        public ushort CodeSelector, DataSelector;
        /// <summary>Initial RSP: a scratch stack the loader reserved (the protocol does not promise one, but a call before the kernel sets its own must not hit address 0).</summary>
        public ulong Rsp;
    }

    public struct VcpuSetup
    {
        public int Index;
        public StartMode Mode;
        public ulong Rip;
        public ulong Rax, Rbx;          // e.g. Multiboot magic and info address
        public ulong Rsi;               // e.g. Linux's boot_params address
        public LongModeStart Long;      // StartMode.Long64 only
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

        /// <summary>
        /// An INIT from the virtual LAPIC (SDM Vol. 3A §9.4 / §11.6.1): the vCPU goes to the INIT state
        /// and waits for a SIPI (Run then reports VmExitKind.Init without entering). Called on the vCPU's thread.
        /// </summary>
        void DeliverInit();

        /// <summary>A start-up IPI: a vCPU waiting for SIPI starts in real mode at vector * 4096; otherwise ignored.</summary>
        void DeliverSipi(byte vector);
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
