// The SVM backend behind IVirtBackend (selected at boot when the CPU report says "backend: svm").
// One instance for the machine: the I/O and MSR permission maps (shared by every vCPU), one host
// save area and one host VMSAVE page per CPU, and the SvmPlatform the vCPUs share.
using System;
using Hv.Arch.Smp;
using Hv.Virt;
using Hv.Virt.Caps;
using Hv.Virt.Svm;

namespace Hv.Arch.Svm
{
    public sealed unsafe class SvmBackend : IVirtBackend
    {
        private readonly delegate*<ulong, ulong> _allocPages;
        private readonly ulong[] _hostSaveArea = new ulong[PerCpu.MaxCpus];
        private readonly ulong[] _hostVmcb = new ulong[PerCpu.MaxCpus];
        private readonly SvmPlatform _platform;

        /// <summary>
        /// <paramref name="allocPages"/>: n zeroed, physically contiguous, identity-mapped 4 KiB pages
        /// (host-physical address), or 0. Used now for the 12 KiB IOPM and 8 KiB MSRPM, later for
        /// each CPU's host pages. Returns null and a reason when SVM cannot be used.
        /// </summary>
        public static SvmBackend TryCreate(SvmFeatures features, delegate*<ulong, ulong> allocPages, out string error)
        {
            error = null;
            if (features == null) { error = "no SVM (CPUID Fn8000_0001_ECX.SVM)"; return null; }
            if (features.DisabledByFirmware) { error = "SVM disabled by firmware (VM_CR.SVMDIS)"; return null; }
            if (!features.NestedPaging) { error = "SVM without nested paging"; return null; }
            ulong iopm = allocPages(SvmPermissionMaps.IopmPages);
            ulong msrpm = allocPages(SvmPermissionMaps.MsrpmPages);
            if (iopm == 0 || msrpm == 0) { error = "out of memory for the SVM permission maps"; return null; }
            // SAFETY: fresh, identity-mapped pages of exactly these sizes, owned by the backend for good.
            SvmPermissionMaps.FillIopm(new Span<byte>((void*)iopm, SvmPermissionMaps.IopmBytes));
            SvmPermissionMaps.FillMsrpm(new Span<byte>((void*)msrpm, SvmPermissionMaps.MsrpmBytes));
            return new SvmBackend(features, allocPages, iopm, msrpm);
        }

        private SvmBackend(SvmFeatures features, delegate*<ulong, ulong> allocPages, ulong iopm, ulong msrpm)
        {
            _allocPages = allocPages;
            SvmCheckLimits limits = SvmCheckLimits.Typical(SvmCpu.PhysicalAddressBits());
            _platform = new SvmPlatform(new SvmHost(_hostVmcb), features.Flags, features.AsidCount, limits,
                iopm, msrpm, PerCpu.MaxCpus, SvmCpu.Signature());
        }

        public string Name => "svm";

        /// <summary>Features, ASIDs, MAXPHYADDR: for the boot log.</summary>
        public SvmPlatform Platform => _platform;

        /// <summary>
        /// EFER.SVME and VM_HSAVE_PA on this CPU, with its host save area and host VMSAVE page
        /// (allocated the first time). Call on each CPU that runs vCPUs, before its first Run.
        /// </summary>
        public bool EnableOnThisCpu(out string error)
        {
            int cpu = PerCpu.CurrentIndex;
            if (_hostSaveArea[cpu] == 0)
            {
                ulong save = _allocPages(1);
                if (save == 0) { error = "out of memory for the host save area"; return false; }
                _hostSaveArea[cpu] = save;
            }
            error = SvmCpu.Enable(_hostSaveArea[cpu]);
            if (error != null) return false;
            if (_hostVmcb[cpu] == 0)
            {
                // Published last: SvmHost refuses to run a vCPU on a CPU whose slot is still 0.
                ulong vmcb = _allocPages(1);
                if (vmcb == 0) { error = "out of memory for the host VMSAVE page"; return false; }
                _hostVmcb[cpu] = vmcb;
            }
            return true;
        }

        public IBackendVcpu CreateVcpu(ref VcpuSetup setup, out string error)
            => SvmVcpu.Create(_platform, ref setup, out error);
    }
}
