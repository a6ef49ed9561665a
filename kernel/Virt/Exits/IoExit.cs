// IN / OUT (VMX exit reason 30, SVM exit code 0x7B): the port bus routes the access; unclaimed ports
// read all-ones and drop writes, counted per vCPU. IN writes AL / AX / EAX: an 8- or 16-bit IN keeps
// the rest of RAX, a 32-bit IN zero-extends into RAX (SDM Vol. 1 §3.4.1.1). The instruction is 1 or 2
// bytes (plus prefixes): the backend must supply its length. INS / OUTS go to StringIoExit.
using System;

namespace Hv.Virt.Exits
{
    internal static class IoExit
    {
        public static ExitAction Handle(Vcpu vcpu, ref VmExit exit)
        {
            if (exit.IsString)
                return StringIoExit.Handle(vcpu, ref exit);
            int size = exit.Size;
            if (size != 1 && size != 2 && size != 4)
            {
                vcpu.Vm.Stop(VmStopReason.HypervisorError, (ulong)size, "backend gave a bad I/O size");
                return ExitAction.Stop;
            }
            Span<byte> data = stackalloc byte[4];
            data = data.Slice(0, size);
            DeviceBus bus = vcpu.Vm.IoBus;
            if (exit.Kind == VmExitKind.IoOut)
            {
                Bytes.Store(data, exit.IoValue);
                if (!bus.Write(exit.Port, data))
                    vcpu.Counters.UnclaimedIoWrites++;
            }
            else
            {
                if (!bus.Read(exit.Port, data))
                    vcpu.Counters.UnclaimedIoReads++;
                exit.IoValue = Bytes.Load(data);
                ulong rax = vcpu.State.Get(GuestRegister.Rax);
                ulong keep = size == 4 ? 0 : ~((1UL << (size * 8)) - 1);
                vcpu.State.Set(GuestRegister.Rax, (rax & keep) | exit.IoValue);
            }
            return vcpu.CompleteInstruction(ref exit, 0) ? ExitAction.Resume : ExitAction.Stop;
        }
    }
}
