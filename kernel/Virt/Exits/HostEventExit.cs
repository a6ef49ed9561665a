// Exits that belong to the host, not the guest: an external interrupt or NMI arrived while the guest
// ran (the backend lets the host take it), or the preemption timer / scheduler tick expired. The
// guest is not affected; the run loop re-enters it after its preemption point. Counted only.
namespace Hv.Virt.Exits
{
    internal static class HostEventExit
    {
        public static ExitAction Handle(Vcpu vcpu, ref VmExit exit) => ExitAction.Resume;
    }
}
