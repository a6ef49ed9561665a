// A guest-physical access with no RAM behind it (EPT violation, VMX exit reason 48 / nested page
// fault, SVM exit code 0x400, outside the VM's regions). The backend reports only GuestPhysical,
// Access (and GuestLinear when the CPU gives it); the vCPU's MmioEmulator fetches and decodes the
// instruction at CS:RIP and carries it out against the MMIO bus (unclaimed: reads all-ones, writes
// dropped, counted, issue 4 item 7) and RAM. The emulator moves RIP (Done) or leaves it for the rest
// of a REP (Retry); exit.InstructionLength gets the decoded length, as other exits carry theirs.
// Refused instructions get the exception the emulator names; the VM's first one is kept for the
// stop report (MmioRefusal).
using Hv.Virt.Mmio;

namespace Hv.Virt.Exits
{
    internal static class MmioExit
    {
        public static ExitAction Handle(Vcpu vcpu, ref VmExit exit)
        {
            Vm vm = vcpu.Vm;
            if (vm.Memory.IsRam(exit.GuestPhysical))
            {
                // RAM is mapped in EPT/NPT and never exits as MMIO: the backend misclassified a fault.
                vm.Stop(VmStopReason.HypervisorError, exit.GuestPhysical, "MMIO exit inside guest RAM");
                return ExitAction.Stop;
            }
            var ctx = new MmioContext
            {
                State = vcpu.State,
                Memory = vm.Memory,
                Bus = vcpu.MmioBus,
                PhysicalAddressBits = vm.Cpuid.PhysicalAddressBits,
                GuestPhysical = exit.GuestPhysical,
                Access = exit.Access,
            };
            ulong rip = vcpu.State.Get(GuestRegister.Rip);
            MmioResult r = vcpu.Mmio.Emulate(ref ctx);
            exit.InstructionLength = ctx.Length;
            switch (r)
            {
                case MmioResult.Done:
                case MmioResult.Retry:
                    return ExitAction.Resume;
                case MmioResult.InjectPf:
                    // A guest page fault on an operand (or the instruction's second page): ordinary paging, not a refusal.
                    vcpu.State.Set(GuestRegister.Cr2, ctx.FaultAddress);
                    vcpu.InjectException(ExceptionVector.PageFault, true, ctx.ErrorCode);
                    return ExitAction.Resume;
            }
            vm.MmioRefusal.TryRecord(vcpu.Index, r, rip, exit.GuestPhysical, vcpu.Mmio.InstructionBytes);
            switch (r)
            {
                case MmioResult.InjectUd:
                    return vcpu.InjectInvalidOpcode();
                case MmioResult.InjectGp:
                    return vcpu.InjectGeneralProtection();
                case MmioResult.InjectSs:
                    vcpu.InjectException(ExceptionVector.StackFault, true, 0);
                    return ExitAction.Resume;
                default:
                    vm.Stop(VmStopReason.UnhandledExit, exit.GuestPhysical, "MMIO access the emulator cannot carry out");
                    return ExitAction.Stop;
            }
        }
    }
}
