// XSETBV (VMX exit reason 55, SVM exit code 0x8D): ECX = XCR index, EDX:EAX = value. Checked by
// XsetbvRules against what CPUID offered (SDM Vol. 2C XSETBV: #UD without CR4.OSXSAVE, #GP(0) at
// CPL > 0 or for an illegal value), then written through IVcpuState (the backend loads it on entry).
// The instruction is 0F 01 D1, three bytes.
namespace Hv.Virt.Exits
{
    internal static class XsetbvExit
    {
        private const int XsetbvLength = 3;

        public static ExitAction Handle(Vcpu vcpu, ref VmExit exit)
        {
            IVcpuState s = vcpu.State;
            if ((s.Get(GuestRegister.Cr4) & (ulong)Cr4Bits.OsXsave) == 0)
                return vcpu.InjectInvalidOpcode();
            uint index = (uint)s.Get(GuestRegister.Rcx);
            ulong value = (s.Get(GuestRegister.Rdx) << 32) | (s.Get(GuestRegister.Rax) & 0xFFFF_FFFF);
            if (s.Cpl != 0 || !XsetbvRules.IsValid(index, value, vcpu.Vm.Cpuid.GuestXcr0Mask))
                return vcpu.InjectGeneralProtection();
            s.Set(GuestRegister.Xcr0, value);
            return vcpu.CompleteInstruction(ref exit, XsetbvLength) ? ExitAction.Resume : ExitAction.Stop;
        }
    }
}
