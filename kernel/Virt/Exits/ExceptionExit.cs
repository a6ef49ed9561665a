// An intercepted guest exception (VMX exit reason 0, SVM exit codes 0x40-0x5F). The backends intercept
// exceptions only to keep a guest from locking up the host (#AC and #DB loops, CVE-2015-5307 and
// CVE-2015-8104) or for diagnosis; the guest gets the exception it caused, unchanged. For #PF the
// backend puts the faulting address in exit.GuestLinear (VMX: exit qualification; SVM: EXITINFO2)
// and it goes to the guest's CR2 (SDM Vol. 3A §6.15 "Interrupt 14"). #BP / #OF are software
// exceptions and must not be intercepted (their re-injection needs the instruction length).
namespace Hv.Virt.Exits
{
    internal static class ExceptionExit
    {
        public static ExitAction Handle(Vcpu vcpu, ref VmExit exit)
        {
            if (exit.Vector == (byte)ExceptionVector.PageFault)
                vcpu.State.Set(GuestRegister.Cr2, exit.GuestLinear);
            vcpu.InjectException((ExceptionVector)exit.Vector, exit.HasErrorCode, exit.ErrorCode);
            return ExitAction.Resume;
        }
    }
}
