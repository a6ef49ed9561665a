// The VMX instructions and the world switch, implemented in kernel/Arch/Asm/vmx.asm.
using System.Runtime.InteropServices;
using Hv.Virt.Vmx;

namespace Hv.Arch.Vmx
{
    /// <summary>How a VMX instruction ended (SDM Vol. 3C "Conventions": VMsucceed, VMfailInvalid, VMfailValid).</summary>
    /// <remarks>NotOnCpu is no VMX outcome: hv_vmcs_load_on refused to run anything on the wrong CPU.</remarks>
    public enum VmxResult : int { Success = 0, FailInvalid = 1, FailValid = 2, NotOnCpu = 3 }

    /// <summary>INVEPT / INVVPID types (SDM Vol. 3C "INVEPT", "INVVPID").</summary>
    public enum InvalidationType : ulong { IndividualAddress = 0, SingleContext = 1, AllContexts = 2 }

    public static unsafe class VmxNative
    {
        [DllImport("hvasm"), SuppressGCTransition] public static extern VmxResult hv_vmxon(ulong vmxonRegion);
        [DllImport("hvasm"), SuppressGCTransition] public static extern VmxResult hv_vmxoff();
        // VMCLEAR, VMPTRLD, VMREAD and VMWRITE only through these: they keep the per-CPU record of
        // the current VMCS (PerCpuBlock.CurrentVmcs), and the accessors check it on every access.
        /// <summary>VMCLEAR; the CPU's current VMCS record is cleared if it was this one.</summary>
        [DllImport("hvasm"), SuppressGCTransition] public static extern VmxResult hv_vmcs_clear(ulong vmcs);
        /// <summary>VMPTRLD, unless <paramref name="vmcs"/> is this CPU's current VMCS already.</summary>
        [DllImport("hvasm"), SuppressGCTransition] public static extern VmxResult hv_vmcs_make_current(ulong vmcs);
        /// <summary>hv_vmcs_make_current if this is CPU <paramref name="cpu"/> (PerCpu index), else NotOnCpu.</summary>
        [DllImport("hvasm"), SuppressGCTransition] public static extern VmxResult hv_vmcs_load_on(ulong vmcs, int cpu);
        /// <summary>VMREAD from <paramref name="vmcs"/> (made current first if needed); 0 on failure.</summary>
        [DllImport("hvasm"), SuppressGCTransition] public static extern ulong hv_vmcs_read(ulong field, ulong vmcs);
        /// <summary>VMWRITE to <paramref name="vmcs"/> (made current first if needed).</summary>
        [DllImport("hvasm"), SuppressGCTransition] public static extern VmxResult hv_vmcs_write(ulong field, ulong value, ulong vmcs);
        [DllImport("hvasm"), SuppressGCTransition] public static extern VmxResult hv_invept(InvalidationType type, ulong* descriptor);
        [DllImport("hvasm"), SuppressGCTransition] public static extern VmxResult hv_invvpid(InvalidationType type, ulong* descriptor);
        [DllImport("hvasm"), SuppressGCTransition] public static extern void hv_sgdt(void* descriptor10);
        [DllImport("hvasm"), SuppressGCTransition] public static extern void hv_sidt(void* descriptor10);
        [DllImport("hvasm"), SuppressGCTransition] public static extern ushort hv_str();
        [DllImport("hvasm"), SuppressGCTransition] public static extern void hv_read_segments(ushort* six);
        [DllImport("hvasm"), SuppressGCTransition] public static extern ulong hv_vmx_exit_address();
        [DllImport("hvasm"), SuppressGCTransition] public static extern void hv_vmx_raise_nmi();
        /// <summary>
        /// Enters the guest of <paramref name="vmcs"/> (made current first if it is not) if this is CPU
        /// <paramref name="cpu"/>; returns at the next VM exit (Exited), when the entry instruction fails,
        /// or without entering (NotOnCpu, VmptrldFailed).
        /// </summary>
        [DllImport("hvasm"), SuppressGCTransition] public static extern VmEntryResult hv_vmx_run(VmxGuestRegisters* regs, int launched, ulong vmcs, int cpu);
        [DllImport("hvasm"), SuppressGCTransition] public static extern void hv_write_cr0(ulong value);
    }
}
