// VmExitKind.Init: the backend reports a vCPU in the INIT state, waiting for a start-up IPI (SDM Vol. 3A
// §9.4.3 "MP Initialization Protocol"; VMX activity state wait-for-SIPI, SVM: the backend does not enter).
// With a virtual LAPIC the vCPU sleeps like HLT with interrupts off: only a SIPI (or INIT/NMI) posted by
// another vCPU's ICR wakes it (Vcpu.TryWake), and the run loop hands the SIPI to the backend. Without a
// LAPIC nothing can ever send one: the VM stops, as before issue 5.
namespace Hv.Virt.Exits
{
    internal static class StartupExit
    {
        public static ExitAction Handle(Vcpu vcpu, ref VmExit exit)
        {
            if (vcpu.Apic == null)
            {
                vcpu.Vm.Stop(VmStopReason.UnhandledExit, exit.Vector, "INIT/SIPI without a virtual LAPIC");
                return ExitAction.Stop;
            }
            return vcpu.WaitForSipi();
        }
    }
}
