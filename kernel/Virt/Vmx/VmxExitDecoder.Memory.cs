namespace Hv.Virt.Vmx
{
    // EPT exits (SDM Vol. 3C "EPT Violations", "EPT Misconfigurations", "Exit Qualification for EPT
    // Violations"). Our EPT maps all RAM read/write/execute, so a violation means the address has no
    // RAM behind it: MMIO, emulated by the core (kernel/Virt/Mmio) from the instruction at CS:RIP.
    public sealed unsafe partial class VmxExitDecoder
    {
        private void EptViolation(ref VmExit exit)
        {
            var q = new EptViolationQualification(_v.Read(VmcsField.ExitQualification));
            exit.Qualification = q.Raw;
            exit.GuestPhysical = _v.Read(VmcsField.GuestPhysicalAddress);
            exit.Access = q.Access;
            if (q.LinearValid) exit.GuestLinear = _v.Read(VmcsField.GuestLinearAddress);
            exit.Kind = InRam(exit.GuestPhysical) ? VmExitKind.MemoryFault : VmExitKind.MmioAccess;
            // An IRET that faulted unblocked virtual NMIs; the core re-executes or emulates it, so
            // blocking goes back as it was (SDM "Information for VM Exits Due to EPT Violations").
            if (q.NmiUnblockingDueToIret) _s.RestoreNmiBlocking();
        }

        private void EptMisconfiguration(ref VmExit exit)
        {
            exit.Kind = VmExitKind.EptMisconfig;
            exit.GuestPhysical = _v.Read(VmcsField.GuestPhysicalAddress);
        }

        private bool InRam(ulong gpa) => _memory != null && _memory.IsRam(gpa);
    }
}
