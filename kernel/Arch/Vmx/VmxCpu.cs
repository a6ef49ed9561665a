using Hv.Arch.Smp;
using Hv.Virt.Caps;
using Hv.Virt.Vmx;

namespace Hv.Arch.Vmx
{
    /// <summary>
    /// VMX operation per CPU (SDM Vol. 3C "Enabling and Entering VMX Operation"): IA32_FEATURE_CONTROL
    /// locked with "VMX outside SMX" (set here when firmware left it unlocked, as OVMF does under
    /// Bochs), CR0/CR4 adjusted to IA32_VMX_CR0/CR4_FIXED0/1 (this sets CR4.VMXE), a VMXON region
    /// carrying the VMCS revision identifier, VMXON. Each CPU's current VMCS is tracked in its
    /// per-CPU block by the VMX wrappers (VmxNative, Asm/vmx.asm).
    /// </summary>
    public static unsafe class VmxCpu
    {
        private static readonly ulong[] s_vmxonRegion = new ulong[PerCpu.MaxCpus];
        private static readonly VmxVcpuState[] s_msrOwner = new VmxVcpuState[PerCpu.MaxCpus];

        public static bool IsEnabled(int cpu) => s_vmxonRegion[cpu] != 0;

        /// <summary>
        /// Makes <paramref name="state"/>'s lazy MSRs (KERNEL_GS_BASE, STAR, LSTAR, CSTAR, SFMASK,
        /// TSC_AUX: not switched by VMX, unused by the host) the ones loaded on <paramref name="cpu"/>,
        /// saving the previous owner's first. A no-op while one vCPU keeps the CPU.
        /// </summary>
        public static void OwnLazyMsrs(int cpu, VmxVcpuState state)
        {
            VmxVcpuState previous = s_msrOwner[cpu];
            if (previous == state) return;
            if (previous != null) previous.SaveLazyMsrs();
            state.LoadLazyMsrs();
            s_msrOwner[cpu] = state;
        }

        /// <summary>Enters VMX root operation on this CPU; call with interrupts off (no migration halfway).</summary>
        public static bool Enable(VmxCapabilities caps, out string error)
        {
            int cpu = PerCpu.CurrentIndex;
            error = null;
            if (s_vmxonRegion[cpu] != 0) return true;

            ulong fc = Cpu.hv_rdmsr((uint)CapabilityMsr.FeatureControl);
            var bits = (FeatureControlBits)fc;
            if ((bits & FeatureControlBits.Lock) == 0)
                Cpu.hv_wrmsr((uint)CapabilityMsr.FeatureControl, fc | (ulong)(FeatureControlBits.Lock | FeatureControlBits.VmxOutsideSmx));
            else if ((bits & FeatureControlBits.VmxOutsideSmx) == 0)
            { error = "VMX is disabled by firmware (IA32_FEATURE_CONTROL locked without VMX outside SMX)"; return false; }

            ulong cr0 = Cpu.hv_read_cr0(), cr4 = Cpu.hv_read_cr4();
            ulong newCr0 = (cr0 | caps.Cr0Fixed0) & caps.Cr0Fixed1;
            ulong newCr4 = (cr4 | caps.Cr4Fixed0 | (ulong)Cr4.VMXE) & caps.Cr4Fixed1;
            if (newCr0 != cr0) VmxNative.hv_write_cr0(newCr0);
            if (newCr4 != cr4) Cpu.hv_write_cr4(newCr4);

            ulong region = AllocateRegion(caps.Basic.RevisionId);
            VmxResult r = VmxNative.hv_vmxon(region);
            if (r != VmxResult.Success)
            {
                error = r == VmxResult.FailInvalid ? "VMXON failed: VMfailInvalid (region or revision rejected)" : "VMXON failed: already in VMX operation";
                return false;
            }
            s_vmxonRegion[cpu] = region;
            return true;
        }

        /// <summary>A zeroed, 4 KiB-aligned region from the kernel heap (loader data: identity mapped, never a frame) with the revision id.</summary>
        public static ulong AllocateRegion(uint revisionId)
        {
            ulong raw = (ulong)Internal.Runtime.Kernel.KernelHeap.Alloc(2 * 4096);
            ulong page = (raw + 4095) & ~4095ul;
            // SAFETY: page..page+4095 lies inside the 8 KiB just allocated and is identity mapped.
            for (int i = 0; i < 512; i++) ((ulong*)page)[i] = 0;
            *(uint*)page = revisionId & 0x7FFF_FFFF; // bit 31 clear: an ordinary VMCS / VMXON region
            return page;
        }
    }
}
