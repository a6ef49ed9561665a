// CPUID (VMX exit reason 10, SVM exit code 0x72): the host's answer for the same leaf, filtered by
// CpuidPolicy. Most leaves are the same for every vCPU of the VM and come precomputed from
// Vm.CpuidTable; the others (APIC ID, CR4.OSXSAVE, XCR0, subleaves) are computed here from the
// host's answer. CPUID writes EAX, EBX, ECX, EDX and zeroes the upper halves of RAX-RDX in 64-bit
// mode (SDM Vol. 2A CPUID); it is always 0F A2, two bytes.
namespace Hv.Virt.Exits
{
    internal static class CpuidExit
    {
        private const int CpuidLength = 2;

        public static ExitAction Handle(Vcpu vcpu, ref VmExit exit)
        {
            IVcpuState s = vcpu.State;
            uint leaf = (uint)s.Get(GuestRegister.Rax);
            if (!vcpu.Vm.CpuidTable.TryLookup(leaf, out CpuidRegs guest))
                guest = PerVcpu(vcpu, leaf, (uint)s.Get(GuestRegister.Rcx));
            s.Set(GuestRegister.Rax, guest.Eax);
            s.Set(GuestRegister.Rbx, guest.Ebx);
            s.Set(GuestRegister.Rcx, guest.Ecx);
            s.Set(GuestRegister.Rdx, guest.Edx);
            return vcpu.CompleteInstruction(ref exit, CpuidLength) ? ExitAction.Resume : ExitAction.Stop;
        }

        /// <summary>A leaf whose answer depends on the vCPU, its state or the subleaf (CpuidPolicy.IsPerVm is false).</summary>
        private static CpuidRegs PerVcpu(Vcpu vcpu, uint leaf, uint subleaf)
        {
            IVcpuState s = vcpu.State;
            Vm vm = vcpu.Vm;
            CpuidRegs host = default;
            if (CpuidPolicy.NeedsHost(leaf, vm.Cpuid))
                vm.HostCpu.Cpuid(leaf, subleaf, out host.Eax, out host.Ebx, out host.Ecx, out host.Edx);
            CpuidContext ctx;
            ctx.Profile = vm.Cpuid;
            ctx.VcpuIndex = vcpu.Index;
            ctx.VcpuCount = vm.VcpuCount;
            ctx.GuestCr4 = leaf == 0x1 ? s.Get(GuestRegister.Cr4) : 0;      // read guest state only where a leaf needs it
            ctx.GuestXcr0 = leaf == 0xD ? s.Get(GuestRegister.Xcr0) : 0;
            ctx.VirtualApic = vcpu.Apic != null;
            return CpuidPolicy.Apply(leaf, subleaf, host, in ctx);
        }
    }
}
