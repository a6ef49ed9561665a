// Control-register accesses the backend leaves to the core: CR8, the task-priority register of
// 64-bit mode (SDM Vol. 3A §11.8.6 "Task Priority in IA-32e Mode"): MOV to CR8 loads TPR[7:4] from
// bits 3:0 (bits 63:4 are reserved: #GP(0)), MOV from CR8 reads them back zero-extended. The TPR
// lives in the Vcpu and gates interrupt delivery (Vcpu.Events). Any other CR here is a backend gap:
// the VM stops. The instruction length comes from the backend (MOV CR8 has a REX prefix).
namespace Hv.Virt.Exits
{
    internal static class CrAccessExit
    {
        public static ExitAction Handle(Vcpu vcpu, ref VmExit exit)
        {
            if (exit.ControlRegister != 8)
            {
                vcpu.Vm.Stop(VmStopReason.UnhandledExit, exit.ControlRegister, "control-register access");
                return ExitAction.Stop;
            }
            if (exit.Access == AccessKind.Write)
            {
                if ((exit.IoValue & ~0xFUL) != 0)
                    return vcpu.InjectGeneralProtection();
                vcpu.SetTaskPriority((byte)exit.IoValue);
            }
            else
                vcpu.State.Set(exit.Gpr, vcpu.TaskPriority);
            return vcpu.CompleteInstruction(ref exit, 0) ? ExitAction.Resume : ExitAction.Stop;
        }
    }
}
