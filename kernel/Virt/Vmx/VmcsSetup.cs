namespace Hv.Virt.Vmx
{
    /// <summary>Writes a complete VMCS for one vCPU: controls, host state, guest state for its start mode.</summary>
    public static class VmcsSetup
    {
        public static void WriteAll(IVmcs v, in VmxControlSet set, in VmcsResources r, in VmxHostState host, StartMode mode, ulong rip)
        {
            VmcsControls.Write(v, set, r);
            VmcsHostState.Write(v, host, set);
            VmcsGuestState.Write(v, set, mode, rip);
        }

        /// <summary>The guest's GPRs at start: zero except those the start mode hands over (e.g. Multiboot's EAX/EBX).</summary>
        public static unsafe void InitializeRegisters(VmxGuestRegisters* regs, ulong rax, ulong rbx)
        {
            for (int i = 0; i < 16; i++) regs->Gpr[i] = 0;
            regs->Gpr[(int)GuestRegister.Rax] = rax;
            regs->Gpr[(int)GuestRegister.Rbx] = rbx;
            regs->Cr2 = 0;
            regs->HostRsp = 0;
            regs->ExitReason = 0;
            regs->ExitInstructionLength = 0;
            regs->Rip = 0;
            regs->Interruptibility = 0;
            regs->Dirty = 0;                // nothing to write back: RIP is the VMCS's
            VmxGuestRegisters.InitializeFpu(regs);
        }
    }
}
