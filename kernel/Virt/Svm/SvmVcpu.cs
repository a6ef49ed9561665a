// One SVM vCPU: its VMCB, the GPRs VMRUN does not keep in the VMCB, its x87/SSE state, and the
// run loop. Split by concern: SvmVcpu.State.cs (IVcpuState), SvmVcpu.Events.cs (injection,
// interrupt window, SIPI), SvmVcpu.Exits.cs and SvmVcpu.Emulate.cs (exit decoding).
// Pages come from VcpuSetup.AllocZeroedPage as host-physical addresses, identity mapped in the
// image (host tests hand out real memory), so a host-physical address is also a pointer.
// SAFETY (all SvmVcpu*.cs): _vmcb, _gprs and _fx point into this vCPU's two pages, which are
// never freed; only the vCPU's thread touches them, and never while its guest runs.
using Hv.Virt.Caps;

namespace Hv.Virt.Svm
{
    public sealed unsafe partial class SvmVcpu : IBackendVcpu, IVcpuState
    {
        /// <summary>Offsets in the vCPU's state page: 16 GPR slots (GuestRegister order), then the FXSAVE area.</summary>
        public const int GprsOffset = 0, FxStateOffset = 0x200;
        private const ushort ResetFcw = 0x0040;
        private const uint ResetMxcsr = 0x1F80;

        private readonly SvmPlatform _platform;
        private readonly ISvmHost _host;
        private readonly Vmcb* _vmcb;
        private readonly ulong* _gprs;
        private readonly byte* _fx;
        private readonly GuestRegion[] _memory;
        private int _lastCpu = -1;
        private bool _waitForSipi;
        private ulong _xcr0 = 1;
        private ulong _tscAux;
        /// <summary>Set when the core (or setup) changed state the VMRUN checks cover; the next entry checks first.</summary>
        private bool _checkBeforeEntry = true;
        /// <summary>The rule the VMCB broke at the last checked entry (a literal: no allocation), or null.</summary>
        private string _entryCheckFailure;

        private SvmVcpu(SvmPlatform platform, Vmcb* vmcb, byte* statePage, GuestRegion[] memory)
        {
            _platform = platform;
            _host = platform.Host;
            _vmcb = vmcb;
            _gprs = (ulong*)(statePage + GprsOffset);
            _fx = statePage + FxStateOffset;
            _memory = memory;
        }

        public int Index { get; private set; }
        public IVcpuState State => this;
        public Vmcb* VmcbPointer => _vmcb;
        public ulong VmcbPhysical => (ulong)_vmcb;
        public bool WaitingForSipi => _waitForSipi;
        /// <summary>VMRUN round trips, and those this backend handled without returning (reflected #AC/#UD, RDTSCP, INVD).</summary>
        public ulong Entries { get; private set; }
        public ulong HandledInternally { get; private set; }

        /// <summary>Builds the VMCB (and the VM's nested page tables on its first vCPU); null and an error on failure.</summary>
        public static SvmVcpu Create(SvmPlatform platform, ref VcpuSetup setup, out string error)
        {
            error = SetupProblem(platform, ref setup);
            if (error != null) return null;
            error = platform.NestedRootFor(setup.Memory, setup.AllocZeroedPage, out ulong nestedRoot);
            if (error != null) return null;
            ulong vmcbPage = setup.AllocZeroedPage();
            ulong statePage = setup.AllocZeroedPage();
            if (vmcbPage == 0 || statePage == 0) { error = "out of memory for the VMCB"; return null; }

            var vcpu = new SvmVcpu(platform, (Vmcb*)vmcbPage, (byte*)statePage, setup.Memory);
            vcpu.Index = setup.Index;
            Vmcb* v = vcpu._vmcb;
            VmcbSetup.InitializeControls(v, (uint)setup.Asid, platform.IopmBase, platform.MsrpmBase, nestedRoot, platform.FlushControl);
            VmcbSetup.LoadState(v, setup.Mode, setup.Rip, setup.Rax, setup.Long);
            vcpu._gprs[(int)GuestRegister.Rbx] = setup.Rbx;
            vcpu._gprs[(int)GuestRegister.Rsi] = setup.Rsi;
            if (setup.Mode == StartMode.ResetVector || setup.Mode == StartMode.WaitForSipi) vcpu._gprs[(int)GuestRegister.Rdx] = platform.ResetEdx;
            vcpu._waitForSipi = setup.Mode == StartMode.WaitForSipi;
            // FXSAVE image after RESET (Table 14-1): FCW 0040h, MXCSR 1F80h, all else 0 (tags empty).
            *(ushort*)vcpu._fx = ResetFcw;
            *(uint*)(vcpu._fx + 24) = ResetMxcsr;
            return vcpu;
        }

        private static string SetupProblem(SvmPlatform platform, ref VcpuSetup setup)
        {
            if (setup.AllocZeroedPage == null) return "no page allocator";
            if (setup.Asid <= 0) return "ASID " + setup.Asid.ToString() + ": must be 1 or more (0 is the host's)";
            if (platform.AsidCount != 0 && (uint)setup.Asid >= platform.AsidCount)
                return "ASID " + setup.Asid.ToString() + ": the CPU has " + platform.AsidCount.ToString() + " (CPUID Fn8000_000A_EBX)";
            if (setup.Memory == null || setup.Memory.Length == 0) return "the VM has no memory regions";
            if (setup.Mode != StartMode.ResetVector && setup.Mode != StartMode.ProtectedFlat32 && setup.Mode != StartMode.WaitForSipi
                && setup.Mode != StartMode.Long64)
                return "unknown start mode";
            if (setup.Mode == StartMode.Long64 && (setup.Long.Cr3 & 0xFFF) != 0) return "long-mode start: CR3 is not page aligned";
            return null;
        }

        /// <summary>
        /// Enters the guest until an exit the neutral core must see. Host interrupts are off (the
        /// caller's cli); the world switch keeps them pending across VMRUN with GIF (svm.asm), so an
        /// INTR exit's interrupt is taken at the caller's sti. Exits handled here (reflected #UD/#AC, RDTSCP, INVD) re-enter at once; a pending host
        /// interrupt ends the next VMRUN immediately, so this loop cannot starve the host.
        /// Allocates nothing (except the message of a VMEXIT_INVALID).
        /// </summary>
        public void Run(ref VmExit exit)
        {
            ApplyPendingSignals();
            if (_waitForSipi)
            {
                // Not runnable until a SIPI (DeliverSipi): report the INIT state without entering.
                exit = default;
                exit.Kind = VmExitKind.Init;
                return;
            }
            while (true)
            {
                int cpu = _host.CurrentCpu;
                PrepareEntry(cpu);
                Entries++;
                _host.Run(cpu, VmcbPhysical, _gprs, _fx);
                _vmcb->Control.TlbControl = SvmTlbControl.DoNothing;
                if (DecodeExit(ref exit)) return;
                HandledInternally++;
            }
        }

        /// <summary>
        /// TLB: flush this guest's translations when the vCPU last ran on another CPU, or another
        /// VMCB entered on this one since (SvmPlatform.NoteEntry); this flushes more than needed
        /// when two VMs take turns on a CPU, never less. Checks: see _checkBeforeEntry.
        /// </summary>
        private void PrepareEntry(int cpu)
        {
            bool otherVmcbRanHere = _platform.NoteEntry(cpu, VmcbPhysical);
            if (otherVmcbRanHere || cpu != _lastCpu) _vmcb->Control.TlbControl = _platform.FlushControl;
            _lastCpu = cpu;
            if (_checkBeforeEntry)
            {
                // Diagnostic only, never blocks the entry: VMEXIT_INVALID gives no reason, and
                // afterwards the VMCB may hold what the CPU wrote back (QEMU 7.2: the host's state).
                _entryCheckFailure = VmcbChecks.FirstFailure(_vmcb, _platform.Limits);
                _checkBeforeEntry = false;
            }
        }
    }
}
