// HLT (VMX exit reason 12, SVM exit code 0x78): the instruction completes (RIP moves past the one-byte
// F4, so an interrupt delivered later returns after it, SDM Vol. 2A HLT), then Vcpu.EnterHalt decides:
// run on if an interrupt is already pending, sleep until the timer or an event, or stop the VM when
// every vCPU halted with interrupts off.
namespace Hv.Virt.Exits
{
    internal static class HltExit
    {
        private const int HltLength = 1;

        public static ExitAction Handle(Vcpu vcpu, ref VmExit exit)
        {
            if (!vcpu.CompleteInstruction(ref exit, HltLength))
                return ExitAction.Stop;
            return vcpu.EnterHalt();
        }
    }
}
