namespace Hv.Virt.Caps
{
    /// <summary>
    /// The allowed settings of one 32-bit VMX control field, as reported by its capability MSR
    /// (SDM Vol. 3D Appendix A.3-A.5):
    /// <list type="bullet">
    /// <item>bits 31:0, "allowed 0-settings": if bit X is 1, VM entry fails unless control X is 1;</item>
    /// <item>bits 63:32, "allowed 1-settings": if bit 32+X is 0, VM entry fails if control X is 1.</item>
    /// </list>
    /// So a control is fixed to 1 when both bits are 1, fixed to 0 when both are 0, and flexible when
    /// only its allowed-1 bit is set. Default1 bits (A.2) show up as fixed-1 in the non-TRUE MSRs;
    /// the decoder uses the TRUE_ MSRs when IA32_VMX_BASIC bit 55 says they exist, so default1 bits
    /// that the CPU lets software clear appear flexible here.
    /// </summary>
    public readonly partial struct AllowedControls
    {
        /// <summary>Allowed 0-settings (the MSR's low dword): a 1 bit means that control must be 1.</summary>
        public readonly uint Allowed0;
        /// <summary>Allowed 1-settings (the MSR's high dword): a 1 bit means that control may be 1.</summary>
        public readonly uint Allowed1;

        public AllowedControls(uint allowed0, uint allowed1)
        {
            Allowed0 = allowed0;
            Allowed1 = allowed1;
        }

        /// <summary>Splits a raw capability MSR value: allowed0 = low dword, allowed1 = high dword.</summary>
        public static AllowedControls FromMsr(ulong raw) => new AllowedControls((uint)raw, (uint)(raw >> 32));

        /// <summary>The MSR value this was decoded from.</summary>
        public ulong Raw => ((ulong)Allowed1 << 32) | Allowed0;

        /// <summary>True when every bit in <paramref name="bits"/> may be 1.</summary>
        public bool CanSet(uint bits) => (bits & ~Allowed1) == 0;

        /// <summary>True when every bit in <paramref name="bits"/> may be 0.</summary>
        public bool CanClear(uint bits) => (bits & Allowed0) == 0;

        /// <summary>True when every bit in <paramref name="bits"/> is fixed to 1.</summary>
        public bool MustSet(uint bits) => (bits & Allowed0) == bits;

        /// <summary>
        /// Computes a control value per Appendix A.3: every must-be-1 bit set, every
        /// <paramref name="required"/> bit set, each <paramref name="optional"/> bit set when the CPU
        /// allows it, everything else 0. Returns false when a required bit cannot be 1; those bits
        /// come back in <paramref name="unsupported"/> (with any must-be-1 bit the MSR also forbids,
        /// which only an inconsistent MSR reports), and <paramref name="value"/> then holds the
        /// closest legal-looking value without them.
        /// With TRUE_ MSRs, default1 controls the CPU lets software clear (CR3-load/store exiting,
        /// save/load debug controls) stay 0 unless requested: ask for them when their 1-setting is
        /// relied on (SDM Vol. 3C "Algorithms for Determining VMX Capabilities").
        /// </summary>
        public bool TryCompute(uint required, uint optional, out uint value, out uint unsupported)
        {
            unsupported = (required & ~Allowed1) | (Allowed0 & ~Allowed1);
            value = (Allowed0 | ((required | optional) & Allowed1)) & Allowed1;
            return unsupported == 0;
        }
    }
}
