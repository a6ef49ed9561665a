// A guest-physical access with no RAM behind it (EPT violation, VMX exit reason 48 / nested page fault,
// SVM exit code 0x400, outside the VM's regions), already decoded by the backend into Access, Size
// (1, 2, 4, 8), IoValue (the value stored) and InstructionLength. The MMIO bus routes it; with no
// device there, reads return all-ones and writes are dropped, counted (issue 4 item 7). RIP moves
// here; on reads the backend writes exit.IoValue to the instruction's destination afterwards.
using System;

namespace Hv.Virt.Exits
{
    internal static class MmioExit
    {
        public static ExitAction Handle(Vcpu vcpu, ref VmExit exit)
        {
            int size = exit.Size;
            if (size != 1 && size != 2 && size != 4 && size != 8)
            {
                vcpu.Vm.Stop(VmStopReason.HypervisorError, (ulong)size, "backend gave a bad MMIO size");
                return ExitAction.Stop;
            }
            if (vcpu.Vm.Memory.IsRam(exit.GuestPhysical))
            {
                // RAM is mapped in EPT/NPT and never exits as MMIO: the backend misclassified a fault.
                vcpu.Vm.Stop(VmStopReason.HypervisorError, exit.GuestPhysical, "MMIO exit inside guest RAM");
                return ExitAction.Stop;
            }
            Span<byte> data = stackalloc byte[8];
            data = data.Slice(0, size);
            if (exit.Access == AccessKind.Write)
            {
                Bytes.Store(data, exit.IoValue);
                if (!vcpu.MmioWrite(exit.GuestPhysical, data))
                    vcpu.Counters.UnclaimedMmioWrites++;
            }
            else
            {
                if (!vcpu.MmioRead(exit.GuestPhysical, data))
                    vcpu.Counters.UnclaimedMmioReads++;
                exit.IoValue = Bytes.Load(data);
            }
            return vcpu.CompleteInstruction(ref exit, 0) ? ExitAction.Resume : ExitAction.Stop;
        }
    }
}
