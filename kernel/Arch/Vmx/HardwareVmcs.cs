using Hv.Virt.Vmx;

namespace Hv.Arch.Vmx
{
    /// <summary>
    /// <see cref="IVmcs"/> on the CPU's current VMCS (VMREAD/VMWRITE). The caller makes sure the
    /// right VMCS is current (VmxVcpu loads it). A failed VMWRITE (an unsupported field: error 12)
    /// is a setup bug; the first one is recorded for the caller to report, without allocating.
    /// </summary>
    public sealed class HardwareVmcs : IVmcs
    {
        public VmcsField FirstFailedField { get; private set; }
        public bool WriteFailed { get; private set; }

        public ulong Read(VmcsField field) => VmxNative.hv_vmread((ulong)field);

        public void Write(VmcsField field, ulong value)
        {
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
