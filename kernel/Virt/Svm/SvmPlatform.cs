// What every vCPU of the SVM backend shares: the CPU's SVM features, the I/O and MSR permission
// maps, the hardware seam (ISvmHost, implemented in kernel/Arch/Svm), the per-CPU record of the
// last VMCB entered (for TLB flushes) and each VM's nested page tables.
using System.Collections.Generic;
using Hv.Virt.Caps;

namespace Hv.Virt.Svm
{
    /// <summary>The privileged part of running a guest: one VMRUN round trip. Host tests fake it.</summary>
    public unsafe interface ISvmHost
    {
        /// <summary>Index of the CPU running the caller (interrupts are off, so it stays put).</summary>
        int CurrentCpu { get; }

        /// <summary>
        /// Enters the guest of <paramref name="vmcb"/> on CPU <paramref name="cpu"/> and returns at
        /// its #VMEXIT, with the guest's GPRs (RAX and RSP excepted) and x87/SSE state saved.
        /// </summary>
        void Run(int cpu, ulong vmcb, ulong* gprs, byte* fxState);

        ulong ReadTsc();
    }

    public sealed unsafe class SvmPlatform
    {
        private readonly ulong[] _lastVmcbOnCpu;
        private readonly List<GuestRegion[]> _vmMemory = new List<GuestRegion[]>();
        private readonly List<ulong> _vmNestedRoot = new List<ulong>();

        public SvmPlatform(ISvmHost host, SvmFeatureFlags features, uint asidCount, SvmCheckLimits limits,
            ulong iopm, ulong msrpm, int maxCpus, uint resetEdx)
        {
            Host = host;
            Features = features;
            AsidCount = asidCount;
            Limits = limits;
            IopmBase = iopm;
            MsrpmBase = msrpm;
            ResetEdx = resetEdx;
            _lastVmcbOnCpu = new ulong[maxCpus];
        }

        public ISvmHost Host { get; }
        public SvmFeatureFlags Features { get; }
        public uint AsidCount { get; }
        public SvmCheckLimits Limits { get; }
        public ulong IopmBase { get; }
        public ulong MsrpmBase { get; }
        /// <summary>EDX after RESET/INIT: the processor signature (CPUID Fn0000_0001_EAX), Table 14-1.</summary>
        public uint ResetEdx { get; }

        public bool NRipSave => (Features & SvmFeatureFlags.NRipSave) != 0;
        public bool DecodeAssists => (Features & SvmFeatureFlags.DecodeAssists) != 0;

        /// <summary>Flush this guest's ASID when the CPU can (FlushByAsid), else the whole TLB (§15.16.1).</summary>
        public SvmTlbControl FlushControl
            => (Features & SvmFeatureFlags.FlushByAsid) != 0 ? SvmTlbControl.FlushGuest : SvmTlbControl.FlushAll;

        /// <summary>
        /// Records that <paramref name="vmcb"/> enters on <paramref name="cpu"/>; true when another
        /// VMCB entered there last. The vCPUs of one VM share an ASID, and VMRUN's CR3 load does not
        /// flush it, so a vCPU must not inherit the translations of another one that ran here.
        /// Only ever called on <paramref name="cpu"/> itself with interrupts off: no lock needed.
        /// </summary>
        public bool NoteEntry(int cpu, ulong vmcb)
        {
            if ((uint)cpu >= (uint)_lastVmcbOnCpu.Length) return true;
            bool other = _lastVmcbOnCpu[cpu] != vmcb;
            _lastVmcbOnCpu[cpu] = vmcb;
            return other;
        }

        /// <summary>
        /// The VM's nested page tables: built for the first vCPU, then shared by every vCPU created
        /// with the same Memory array (the VM's vCPUs share one VcpuSetup.Memory).
        /// </summary>
        public string NestedRootFor(GuestRegion[] memory, delegate*<ulong> allocZeroedPage, out ulong root)
        {
            for (int i = 0; i < _vmMemory.Count; i++)
                if ((object)_vmMemory[i] == (object)memory) { root = _vmNestedRoot[i]; return null; }
            string error = NestedPageTables.Build(memory, allocZeroedPage, out root);
            if (error != null) return error;
            _vmMemory.Add(memory);
            _vmNestedRoot.Add(root);
            return null;
        }
    }
}
