using System.Collections.Generic;

namespace Hv.Virt.Caps
{
    /// <summary>
    /// The boot-time CPU report. Integration tests grep these lines, so the keys and shapes are a
    /// contract: "name: key=value ..." with lower-case keys, single spaces, yes/no booleans.
    /// </summary>
    public static class CpuReport
    {
        /// <summary>
        /// The report lines in order: "cpu:", "vmx:" and "vmx-controls:" (only when CPUID reports VMX),
        /// "svm:" (only when CPUID reports SVM), "backend:".
        /// </summary>
        public static string[] Lines(CpuIdentity id, VmxCapabilities vmx, SvmFeatures svm, BackendChoice backend,
            bool includeVmxControls = true)
        {
            var lines = new List<string>();
            lines.Add(CpuLine(id));
            if (vmx != null)
            {
                lines.Add(VmxLine(vmx));
                if (includeVmxControls)
                    lines.Add(VmxControlsLine(vmx));
            }
            if (svm != null)
                lines.Add(SvmLine(svm));
            lines.Add(backend.ReportLine());
            return lines.ToArray();
        }

        public static string CpuLine(CpuIdentity id)
        {
            return new ReportLine("cpu:")
                .Field("vendor", id.VendorString)
                .HexValue("family", id.Family, 1)
                .HexValue("model", id.Model, 1)
                .Decimal("stepping", id.Stepping)
                .Quoted("brand", id.Brand)
                .Flag("hypervisor", id.UnderHypervisor)
                .Flag("x2apic", id.HasX2Apic)
                .ToString();
        }

        public static string VmxLine(VmxCapabilities vmx)
        {
            return new ReportLine("vmx:")
                .HexValue("revision", vmx.Basic.RevisionId, 1)
                .Decimal("vmcs-size", vmx.Basic.VmcsSize)
                .Flag("true-controls", vmx.TrueControls)
                .Flag("ept", vmx.Ept)
                .Flag("ept-2m", vmx.Ept2MbPages)
                .Flag("ept-1g", vmx.Ept1GbPages)
                .Flag("ept-ad", vmx.EptAccessedDirty)
                .Flag("vpid", vmx.Vpid)
                .Flag("unrestricted-guest", vmx.UnrestrictedGuest)
                .Flag("preemption-timer", vmx.PreemptionTimer)
                .Decimal("preemption-rate", vmx.PreemptionTimerRate)
                .Flag("posted-interrupts", vmx.PostedInterrupts)
                .Flag("apic-virt", vmx.ApicVirtualization)
                .Flag("vmcs-shadowing", vmx.VmcsShadowing)
                .Flag("msr-bitmaps", vmx.MsrBitmaps)
                .Field("feature-control", FeatureControlText(vmx.FeatureControl))
                .ToString();
        }

        /// <summary>The raw allowed-1 settings of the five control fields, 8 hex digits each.</summary>
        public static string VmxControlsLine(VmxCapabilities vmx)
        {
            return new ReportLine("vmx-controls:")
                .HexValue("pin", vmx.PinBased.Allowed1, 8)
                .HexValue("proc", vmx.ProcBased.Allowed1, 8)
                .HexValue("proc2", vmx.ProcBased2.Allowed1, 8)
                .HexValue("exit", vmx.Exit.Allowed1, 8)
                .HexValue("entry", vmx.Entry.Allowed1, 8)
                .ToString();
        }

        public static string SvmLine(SvmFeatures svm)
        {
            return new ReportLine("svm:")
                .Decimal("revision", svm.Revision)
                .Decimal("asids", svm.AsidCount)
                .Flag("npt", svm.NestedPaging)
                .Flag("nrip-save", svm.NRipSave)
                .Flag("decode-assists", svm.DecodeAssists)
                .Flag("vmcb-clean", svm.VmcbClean)
                .Flag("flush-by-asid", svm.FlushByAsid)
                .Flag("lbr-virt", svm.LbrVirtualization)
                .Flag("avic", svm.Avic)
                .Flag("vgif", svm.Vgif)
                .Flag("pause-filter", svm.PauseFilter)
                .Flag("disabled-by-firmware", svm.DisabledByFirmware)
                .ToString();
        }

        public static string FeatureControlText(FeatureControlState state)
        {
            switch (state)
            {
                case FeatureControlState.Unlocked: return "unlocked";
                case FeatureControlState.LockedEnabled: return "locked-enabled";
                case FeatureControlState.LockedDisabled: return "locked-disabled";
                default: return "unreadable";
            }
        }
    }
}
