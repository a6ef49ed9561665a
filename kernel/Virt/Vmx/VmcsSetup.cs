namespace Hv.Virt.Vmx
{
    /// <summary>Writes a complete VMCS for one vCPU: controls, host state, guest state for its start mode.</summary>
    public static class VmcsSetup
    {
        public static void WriteAll(IVmcs v, in VmxControlSet set, in VmcsResources r, in VmxHostState host, StartMode mode, ulong rip)
            => WriteAll(v, set, r, host, mode, rip, default);

        public static void WriteAll(IVmcs v, in VmxControlSet set, in VmcsResources r, in VmxHostState host, StartMode mode, ulong rip, in LongModeStart start)
        {
            VmcsControls.Write(v, set, r);
            VmcsHostState.Write(v, host, set);
            VmcsGuestState.Write(v, set, mode, rip, start);
        }

        /// <summary>The guest's GPRs at start: zero except those the start mode hands over (e.g. Multiboot's EAX/EBX).</summary>
        public static unsafe void InitializeRegisters(VmxGuestRegisters* regs, ulong rax, ulong rbx, ulong rsi = 0)
        {
            for (int i = 0; i < 16; i++) regs->Gpr[i] = 0;
            regs->Gpr[(int)GuestRegister.Rax] = rax;
            regs->Gpr[(int)GuestRegister.Rbx] = rbx;
            regs->Gpr[(int)GuestRegister.Rsi] = rsi;
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
