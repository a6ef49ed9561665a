// Exits that end the VM (issue 4 item 7: "that VM stops with a report, the hypervisor and other VMs
// keep running"): triple fault / shutdown, a failed VM entry, our own EPT/NPT being wrong, and
// anything this build does not handle yet. The stop detail strings are literals: no allocation.
namespace Hv.Virt.Exits
{
    internal static class FatalExit
    {
        public static ExitAction Handle(Vcpu vcpu, ref VmExit exit)
        {
            Vm vm = vcpu.Vm;
            switch (exit.Kind)
            {
                case VmExitKind.TripleFault:
                    vm.Stop(VmStopReason.TripleFault, 0, null);
                    break;
                case VmExitKind.Invalid:
                    vm.Stop(VmStopReason.EntryFailed, exit.RawReason, exit.EntryFailureReason);
                    break;
                case VmExitKind.EptMisconfig:
                    vm.Stop(VmStopReason.HypervisorError, exit.GuestPhysical, "EPT misconfiguration");
                    break;
                case VmExitKind.MemoryFault:
                    vm.Stop(VmStopReason.HypervisorError, exit.GuestPhysical, "nested page fault inside guest RAM");
                    break;
                case VmExitKind.Sipi:
                    vm.Stop(VmStopReason.UnhandledExit, exit.Vector, "SIPI exit: start-up IPIs come from the virtual LAPIC, never from hardware");
                    break;
                default:
                    vm.Stop(VmStopReason.UnhandledExit, exit.RawReason, "exit reason not handled");
                    break;
            }
            return ExitAction.Stop;
        }
    }
}
