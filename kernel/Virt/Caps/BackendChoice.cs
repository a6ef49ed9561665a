namespace Hv.Virt.Caps
{
    /// <summary>The hardware-virtualization backend the hypervisor runs guests with.</summary>
    public enum VirtBackend
    {
        None,
        /// <summary>Intel VMX with EPT and unrestricted guest (kernel/Virt/Vmx).</summary>
        Vmx,
        /// <summary>AMD SVM with nested paging (kernel/Virt/Svm).</summary>
        Svm,
    }

    /// <summary>Why no backend could be chosen; the text after "backend: none (" in the report.</summary>
    public static class BackendReasons
    {
        public const string NoVirtualization = "no VMX or SVM: this CPU cannot run guests";
        public const string NestedHint = "; running under a hypervisor that does not expose nested virtualization";
        public const string VendorMismatch = "VMX/SVM flag does not match the CPU vendor";
        public const string VmxDisabledByFirmware = "VMX disabled by firmware (IA32_FEATURE_CONTROL locked without VMX outside SMX)";
        public const string VmxMsrsUnreadable = "VMX present but its capability MSRs are unreadable";
        public const string VmxNoLongMode = "VMX present but 64-bit host/guest controls missing";
        public const string VmxNoEpt = "VMX present but EPT missing";
        public const string VmxEptUnusable = "VMX present but EPT lacks 4-level walks or write-back paging structures";
        public const string VmxNoUnrestrictedGuest = "VMX present but unrestricted guest missing";
        public const string SvmDisabledByFirmware = "SVM disabled by firmware (VM_CR.SVMDIS)";
        public const string SvmNoNpt = "SVM present but nested paging (NPT) missing";
    }

    /// <summary>The backend decision and, when there is none, a one-line reason.</summary>
    public sealed class BackendChoice
    {
        public VirtBackend Backend { get; private set; }
        /// <summary>Empty when a backend was chosen.</summary>
        public string Reason { get; private set; }
        /// <summary>
        /// VMX was chosen but firmware left IA32_FEATURE_CONTROL unlocked: before VMXON the boot code
        /// must write Lock | VmxOutsideSmx to it (SDM Vol. 3C "Enabling and Entering VMX Operation").
        /// </summary>
        public bool MustEnableVmxInFeatureControl { get; private set; }

        private BackendChoice(VirtBackend backend, string reason, bool mustEnable)
        {
            Backend = backend;
            Reason = reason;
            MustEnableVmxInFeatureControl = mustEnable;
        }

        /// <summary>
        /// Intel-like vendors are judged by VMX, AMD/Hygon by SVM; an unknown vendor by whichever it
        /// reports (VMX first). <paramref name="vmx"/> / <paramref name="svm"/> are null when absent.
        /// </summary>
        public static BackendChoice Decide(CpuIdentity id, VmxCapabilities vmx, SvmFeatures svm)
        {
            bool vmxCandidate = vmx != null && !id.IsAmdLike;
            bool svmCandidate = svm != null && !id.IsIntelLike;
            if (vmxCandidate)
            {
                string vmxProblem = VmxProblem(vmx);
                if (vmxProblem == null)
                    return new BackendChoice(VirtBackend.Vmx, "", vmx.FeatureControl == FeatureControlState.Unlocked);
                if (svmCandidate && SvmProblem(svm) == null)
                    return new BackendChoice(VirtBackend.Svm, "", false);
                return None(vmxProblem);
            }
            if (svmCandidate)
            {
                string svmProblem = SvmProblem(svm);
                return svmProblem == null ? new BackendChoice(VirtBackend.Svm, "", false) : None(svmProblem);
            }
            if (vmx != null || svm != null)
                return None(BackendReasons.VendorMismatch + " (" + id.VendorString + ")");
            return None(id.UnderHypervisor
                ? BackendReasons.NoVirtualization + BackendReasons.NestedHint
                : BackendReasons.NoVirtualization);
        }

        /// <summary>"backend: vmx", "backend: svm" or "backend: none (REASON)".</summary>
        public string ReportLine()
        {
            switch (Backend)
            {
                case VirtBackend.Vmx: return "backend: vmx";
                case VirtBackend.Svm: return "backend: svm";
                default: return "backend: none (" + Reason + ")";
            }
        }

        private static BackendChoice None(string reason) => new BackendChoice(VirtBackend.None, reason, false);

        private static string VmxProblem(VmxCapabilities vmx)
        {
            if (vmx.FeatureControl == FeatureControlState.LockedDisabled)
                return BackendReasons.VmxDisabledByFirmware;
            if (!vmx.BasicReadable || vmx.FeatureControl == FeatureControlState.Unreadable)
                return BackendReasons.VmxMsrsUnreadable;
            if (!vmx.LongModeControls)
                return BackendReasons.VmxNoLongMode;
            if (!vmx.Ept)
                return BackendReasons.VmxNoEpt;
            if (!vmx.EptPageWalk4 || !vmx.EptWriteBack)
                return BackendReasons.VmxEptUnusable;
            if (!vmx.UnrestrictedGuest)
                return BackendReasons.VmxNoUnrestrictedGuest;
            return null;
        }

        private static string SvmProblem(SvmFeatures svm)
        {
            if (svm.DisabledByFirmware)
                return BackendReasons.SvmDisabledByFirmware;
            if (!svm.NestedPaging)
                return BackendReasons.SvmNoNpt;
            return null;
        }
    }
}
