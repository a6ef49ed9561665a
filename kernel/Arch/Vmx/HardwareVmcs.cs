using System.Runtime.CompilerServices;
using Hv.Virt.Vmx;

namespace Hv.Arch.Vmx
{
    /// <summary>
    /// <see cref="IVmcs"/> on one vCPU's VMCS (VMREAD/VMWRITE). Every access goes to that VMCS: the
    /// assembly wrappers compare it with this CPU's current VMCS (PerCpuBlock.CurrentVmcs, which
    /// every VMPTRLD/VMCLEAR updates) and VMPTRLD it first when they differ. The neutral core reads
    /// and writes guest state (e.g. to inject an interrupt) before Run, possibly after the
    /// scheduler ran another vCPU on this CPU; the check costs one compare when nothing changed.
    /// Callers run with interrupts off, on the vCPU's CPU.
    /// A failed VMWRITE (an unsupported field: error 12) is a setup bug; the first one is recorded
    /// for the caller to report, without allocating.
    /// </summary>
    public sealed class HardwareVmcs : IVmcs
    {
        /// <summary>The VMCS region's physical address.</summary>
        public readonly ulong Vmcs;

        public HardwareVmcs(ulong vmcs) { Vmcs = vmcs; }

        public VmcsField FirstFailedField { get; private set; }
        public bool WriteFailed { get; private set; }

        public ulong Read(VmcsField field) => VmxNative.hv_vmcs_read((ulong)field, Vmcs);

        public void Write(VmcsField field, ulong value)
        {
            if (VmxNative.hv_vmcs_write((ulong)field, value, Vmcs) != VmxResult.Success) RecordFailure(field);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]     // keeps Write small enough to inline at every access
        private void RecordFailure(VmcsField field)
        {
            if (WriteFailed) return;
            WriteFailed = true;
            FirstFailedField = field;
        }

        /// <summary>"VMWRITE of field 0x.... failed: error N (text)", or null; reads the VM-instruction error (rare path).</summary>
        public string TakeFailure()
        {
            if (!WriteFailed) return null;
            WriteFailed = false;
            uint error = (uint)Read(VmcsField.VmInstructionError);
            return "VMWRITE of field " + Hv.Virt.Caps.Hex.Format((uint)FirstFailedField, 4) + " failed: error "
                + error.ToString() + " (" + VmInstructionErrors.Describe(error) + ")";
        }
    }
}
