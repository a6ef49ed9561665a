using Hv.Virt.Vmx;

namespace Hv.Arch.Vmx
{
    /// <summary>
    /// <see cref="IVmcs"/> on one vCPU's VMCS (VMREAD/VMWRITE). Once <see cref="Vmcs"/> is set, every
    /// access first makes that VMCS current on this CPU if another vCPU's is: the neutral core
    /// reads and writes guest state (e.g. to inject an interrupt) before Run, possibly after the
    /// scheduler ran another vCPU on this CPU. Callers run with interrupts off, on the vCPU's CPU.
    /// A failed VMWRITE (an unsupported field: error 12) is a setup bug; the first one is recorded
    /// for the caller to report, without allocating.
    /// </summary>
    public sealed class HardwareVmcs : IVmcs
    {
        public VmcsField FirstFailedField { get; private set; }
        public bool WriteFailed { get; private set; }

        /// <summary>The VMCS region's physical address; 0 while it is being set up.</summary>
        public ulong Vmcs;

        private void EnsureCurrent()
        {
            if (Vmcs == 0) return;
            int cpu = Hv.Arch.Smp.PerCpu.CurrentIndex;
            if (VmxCpu.CurrentVmcs(cpu) == Vmcs) return;
            if (VmxNative.hv_vmptrld(Vmcs) == VmxResult.Success) VmxCpu.SetCurrentVmcs(cpu, Vmcs);
        }

        public ulong Read(VmcsField field)
        {
            EnsureCurrent();
            return VmxNative.hv_vmread((ulong)field);
        }

        public void Write(VmcsField field, ulong value)
        {
            EnsureCurrent();
            if (VmxNative.hv_vmwrite((ulong)field, value) == VmxResult.Success || WriteFailed) return;
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
