namespace Hv.Virt.Caps
{
    /// <summary>
    /// Everything the boot code needs to know about the CPU's virtualization support, probed once
    /// on the bootstrap processor: identity, VMX or SVM capabilities, and the backend decision.
    /// </summary>
    public sealed class CpuCapabilities
    {
        public CpuIdentity Identity { get; private set; }
        /// <summary>Null when CPUID does not report VMX.</summary>
        public VmxCapabilities Vmx { get; private set; }
        /// <summary>Null when CPUID does not report SVM.</summary>
        public SvmFeatures Svm { get; private set; }
        public BackendChoice Backend { get; private set; }

        private CpuCapabilities() { }

        /// <summary>Runs CPUID / RDMSR through <paramref name="cpu"/> and decides the backend.</summary>
        public static CpuCapabilities Probe(ICpuInfoSource cpu)
        {
            var caps = new CpuCapabilities();
            caps.Identity = CpuIdentity.Read(cpu);
            caps.Vmx = VmxCapabilities.Read(cpu, caps.Identity);
            caps.Svm = SvmFeatures.Read(cpu, caps.Identity);
            caps.Backend = BackendChoice.Decide(caps.Identity, caps.Vmx, caps.Svm);
            return caps;
        }

        /// <summary>The boot report lines (see CpuReport).</summary>
        public string[] ReportLines(bool includeVmxControls = true)
            => CpuReport.Lines(Identity, Vmx, Svm, Backend, includeVmxControls);
    }
}
