// Interrupt window (VMX exit reason 7 "interrupt window", SVM exit code 0x64 VINTR): the guest can
// take an external interrupt now. The window request is withdrawn and the highest pending interrupt
// injected (another window is requested if more wait). Nothing completes: RIP stays.
namespace Hv.Virt.Exits
{
    internal static class InterruptWindowExit
    {
        public static ExitAction Handle(Vcpu vcpu, ref VmExit exit)
        {
            vcpu.OnInterruptWindow();
            return ExitAction.Resume;
        }
    }
}
