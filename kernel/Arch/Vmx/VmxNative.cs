// The VMX instructions and the world switch, implemented in kernel/Arch/Asm/vmx.asm.
using System.Runtime.InteropServices;
using Hv.Virt.Vmx;

namespace Hv.Arch.Vmx
{
    /// <summary>How a VMX instruction ended (SDM Vol. 3C "Conventions": VMsucceed, VMfailInvalid, VMfailValid).</summary>
    public enum VmxResult : int { Success = 0, FailInvalid = 1, FailValid = 2 }

    /// <summary>INVEPT / INVVPID types (SDM Vol. 3C "INVEPT", "INVVPID").</summary>
    public enum InvalidationType : ulong { IndividualAddress = 0, SingleContext = 1, AllContexts = 2 }

    public static unsafe class VmxNative
    {
        [DllImport("hvasm"), SuppressGCTransition] public static extern VmxResult hv_vmxon(ulong vmxonRegion);
        [DllImport("hvasm"), SuppressGCTransition] public static extern VmxResult hv_vmxoff();
        [DllImport("hvasm"), SuppressGCTransition] public static extern VmxResult hv_vmclear(ulong vmcs);
        [DllImport("hvasm"), SuppressGCTransition] public static extern VmxResult hv_vmptrld(ulong vmcs);
        [DllImport("hvasm"), SuppressGCTransition] public static extern ulong hv_vmread(ulong field);
        [DllImport("hvasm"), SuppressGCTransition] public static extern VmxResult hv_vmwrite(ulong field, ulong value);
        [DllImport("hvasm"), SuppressGCTransition] public static extern VmxResult hv_invept(InvalidationType type, ulong* descriptor);
        [DllImport("hvasm"), SuppressGCTransition] public static extern VmxResult hv_invvpid(InvalidationType type, ulong* descriptor);
        [DllImport("hvasm"), SuppressGCTransition] public static extern void hv_sgdt(void* descriptor10);
        [DllImport("hvasm"), SuppressGCTransition] public static extern void hv_sidt(void* descriptor10);
        [DllImport("hvasm"), SuppressGCTransition] public static extern ushort hv_str();
        [DllImport("hvasm"), SuppressGCTransition] public static extern void hv_read_segments(ushort* six);
        [DllImport("hvasm"), SuppressGCTransition] public static extern ulong hv_vmx_exit_address();
        [DllImport("hvasm"), SuppressGCTransition] public static extern void hv_vmx_raise_nmi();
        /// <summary>Enters the guest; returns at the next VM exit (Exited) or when the entry instruction fails.</summary>
        [DllImport("hvasm"), SuppressGCTransition] public static extern VmEntryResult hv_vmx_run(VmxGuestRegisters* regs, int launched);
        [DllImport("hvasm"), SuppressGCTransition] public static extern void hv_write_cr0(ulong value);
    }
}
