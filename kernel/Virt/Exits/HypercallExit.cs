// VMCALL / VMMCALL (VMX exit reason 18, SVM exit code 0x81). No hypercall interface exists yet
// (CPUID leaf 0x40000001 reports none), so the guest sees what a CPU outside VMX/SVM does: #UD
// (SDM Vol. 2C VMCALL, APM Vol. 3 VMMCALL). RIP stays on the instruction, as for any fault.
namespace Hv.Virt.Exits
{
    internal static class HypercallExit
    {
        public static ExitAction Handle(Vcpu vcpu, ref VmExit exit) => vcpu.InjectInvalidOpcode();
    }
}
