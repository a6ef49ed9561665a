// RDMSR / WRMSR (VMX exit reasons 31/32, SVM exit code 0x7C with EXITINFO1 = 0/1). ECX selects the MSR
// (exit.Msr), EDX:EAX carry the value (SDM Vol. 2B RDMSR/WRMSR). MsrPolicy decides; a refusal is
// #GP(0) with RIP left on the instruction. Both instructions are 0F 32 / 0F 30, two bytes.
namespace Hv.Virt.Exits
{
    internal static class MsrExit
    {
        private const int MsrInstructionLength = 2;

        public static ExitAction HandleRead(Vcpu vcpu, ref VmExit exit)
        {
            if (MsrPolicy.Read(vcpu, exit.Msr, out ulong value) != MsrResult.Handled)
                return vcpu.InjectGeneralProtection();
            vcpu.State.Set(GuestRegister.Rax, value & 0xFFFF_FFFF);
            vcpu.State.Set(GuestRegister.Rdx, value >> 32);
            return vcpu.CompleteInstruction(ref exit, MsrInstructionLength) ? ExitAction.Resume : ExitAction.Stop;
        }

        public static ExitAction HandleWrite(Vcpu vcpu, ref VmExit exit)
        {
            ulong value = (vcpu.State.Get(GuestRegister.Rdx) << 32) | (vcpu.State.Get(GuestRegister.Rax) & 0xFFFF_FFFF);
            if (MsrPolicy.Write(vcpu, exit.Msr, value) != MsrResult.Handled)
                return vcpu.InjectGeneralProtection();
            return vcpu.CompleteInstruction(ref exit, MsrInstructionLength) ? ExitAction.Resume : ExitAction.Stop;
        }
    }
}
