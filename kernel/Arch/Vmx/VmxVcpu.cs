using System.Runtime.CompilerServices;
using Hv.Arch.Smp;
using Hv.Virt;
using Hv.Virt.Vmx;

namespace Hv.Arch.Vmx
{
    /// <summary>
    /// One vCPU: its VMCS, save area and exit decoder. <see cref="Run"/> enters the guest (VMLAUNCH
    /// the first time, VMRESUME after), re-enters at once after exits the backend finishes itself,
    /// and returns the first exit the core must see. Never allocates, except for the text of an
    /// Invalid exit.
    /// </summary>
    public sealed unsafe class VmxVcpu : IBackendVcpu
    {
        private readonly VmxBackend _backend;
        private readonly ulong _vmcs, _eptp;
        private readonly VmxGuestRegisters* _regs;
        private readonly HardwareVmcs _hw;
        private readonly VmxExitDecoder _decoder;
        private readonly VmxVcpuState _state;
        private int _cpu = -1;
        private readonly bool _syncLongMode, _preemptionTimer;
        private bool _launched, _waitingForSipi, _sipiPending, _initPending, _timerDirty;
        /// <summary>Set with any of _sipiPending, _initPending, _timerDirty: Run looks at them only then.</summary>
        private bool _pendingWork;
        private byte _sipiVector;
        private uint _timerValue = VmcsControls.PreemptionTimerIdle;

        internal VmxVcpu(VmxBackend backend, ulong vmcs, VmxGuestRegisters* regs, HardwareVmcs hw, ulong eptp, StartMode mode, VmxExitDecoder decoder)
        {
            _backend = backend;
            _vmcs = vmcs;
            _regs = regs;
            _hw = hw;
            _eptp = eptp;
            _decoder = decoder;
            _state = decoder.State;
            _waitingForSipi = mode == StartMode.WaitForSipi;
            _syncLongMode = !backend.Controls.StoresLmaOnExit;
            _preemptionTimer = backend.Controls.PreemptionTimer;
        }

        public IVcpuState State => _state;
        public VmxExitDecoder Decoder => _decoder;
        /// <summary>The CPU this vCPU is bound to (-1 before its first Run).</summary>
        public int BoundCpu => _cpu;
        public bool WaitingForSipi => _waitingForSipi;

        /// <summary>Starts a vCPU in wait-for-SIPI at vector:0000 on its next Run (what a SIPI does).</summary>
        public void DeliverSipi(byte vector) { if (_waitingForSipi) { _sipiVector = vector; _sipiPending = true; _pendingWork = true; } }

        /// <summary>INIT: back to the wait-for-SIPI state on the next Run.</summary>
        public void DeliverInit() { _initPending = true; _pendingWork = true; }

        /// <summary>Guest time (TSC ticks) before a PreemptionTimer exit, counted afresh at each entry; 0 = as long as the timer can count.</summary>
        public void SetPreemptionTimer(ulong tscTicks)
        {
            ulong v = tscTicks == 0 ? VmcsControls.PreemptionTimerIdle : tscTicks >> (int)_backend.Capabilities.PreemptionTimerRate;
            _timerValue = v > VmcsControls.PreemptionTimerIdle ? VmcsControls.PreemptionTimerIdle : (uint)v;
            _timerDirty = true;
            _pendingWork = true;
        }

        public void Run(ref VmExit exit)
        {
            // Usually there is nothing to do but enter: hv_vmx_run itself checks that this is the vCPU's
            // CPU and makes its VMCS current.
            if ((_cpu < 0 || _pendingWork || _waitingForSipi || !_state.MsrsLive) && !PrepareEntry(ref exit)) return;
            for (;;)
            {
                VmEntryResult r = VmxNative.hv_vmx_run(_regs, _launched ? 1 : 0, _vmcs, _cpu);
                if (r != VmEntryResult.Exited)
                {
                    EntryFailed(r, ref exit);
                    return;
                }
                bool handled = _decoder.Decode(ref exit);
                if (exit.Kind == VmExitKind.Invalid) return;
                _launched = true;
                if (_syncLongMode) _state.SyncLongMode();
                if (exit.Kind == VmExitKind.Nmi) VmxNative.hv_vmx_raise_nmi();
                if (!handled) return;
            }
        }

        /// <summary>
        /// The entry work beyond entering: binding to the CPU on the first Run, the VMCS and the lazy
        /// MSRs made this CPU's, pending INIT / SIPI / timer value. False (exit filled): no entry now.
        /// </summary>
        private bool PrepareEntry(ref VmExit exit)
        {
            if (!Load(ref exit)) return false;
            if (!_state.MsrsLive) VmxCpu.OwnLazyMsrs(_cpu, _state);
            if (_pendingWork) ApplyPending();
            if (!_waitingForSipi) return true;
            // Not entered: in wait-for-SIPI the CPU would ignore interrupts, NMIs and the
            // preemption timer (SDM "Activity State" in "VM Entries") and never come back.
            exit = default;
            exit.Kind = VmExitKind.Init;
            return false;
        }

        private void EntryFailed(VmEntryResult r, ref VmExit exit)
        {
            if (r == VmEntryResult.NotOnCpu) Fail(ref exit, WrongCpu());
            else if (r == VmEntryResult.VmptrldFailed) Fail(ref exit, "VMPTRLD failed");
            else VmxExitDecoder.EntryInstructionFailed(r, !_launched, (uint)_hw.Read(VmcsField.VmInstructionError), _hw.Read(VmcsField.GuestRip), ref exit);
        }

        /// <summary>Makes this VMCS current on its CPU (two compares when it still is); the first time, binds the vCPU to this CPU.</summary>
        private bool Load(ref VmExit exit)
        {
            if (_cpu < 0) return Bind(ref exit);
            VmxResult r = VmxNative.hv_vmcs_load_on(_vmcs, _cpu);
            return r == VmxResult.Success || Fail(ref exit, r == VmxResult.NotOnCpu ? WrongCpu() : "VMPTRLD failed");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private string WrongCpu() => "vCPU bound to CPU " + _cpu.ToString() + " (its VMCS is active there) ran on CPU "
            + PerCpu.CurrentIndex.ToString() + ": pin vCPU threads";

        /// <summary>The first Run: binds the vCPU to this CPU (its VMCS becomes active here), loads the per-CPU host state.</summary>
        private bool Bind(ref VmExit exit)
        {
            int cpu = PerCpu.CurrentIndex;
            if (!VmxCpu.IsEnabled(cpu)) return Fail(ref exit, "VMX not enabled on CPU " + cpu.ToString());
            if (VmxNative.hv_vmcs_make_current(_vmcs) != VmxResult.Success) return Fail(ref exit, "VMPTRLD failed");
            _cpu = cpu;
            VmcsHostState.WritePerCpu(_hw, HostStateReader.Read());
            Flush();
            return true;
        }

        /// <summary>Drops stale guest translations for our EPTP and VPID on this CPU (they may predate this VM).</summary>
        private void Flush()
        {
            ulong* d = stackalloc ulong[2];
            var caps = _backend.Capabilities;
            if (caps.Invept)
            {
                d[0] = _eptp; d[1] = 0;
                VmxNative.hv_invept(caps.InveptSingleContext ? InvalidationType.SingleContext : InvalidationType.AllContexts, d);
            }
            if (_backend.Controls.Vpid && caps.Invvpid)
            {
                d[0] = _hw.Read(VmcsField.VirtualProcessorId); d[1] = 0;
                VmxNative.hv_invvpid(caps.InvvpidSingleContext ? InvalidationType.SingleContext : InvalidationType.AllContexts, d);
            }
        }

        private void ApplyPending()
        {
            _pendingWork = false;
            if (_initPending)
            {
                _initPending = false;
                VmcsGuestState.WriteReset(_hw, _backend.Controls, ActivityState.WaitForSipi);
                VmcsSetup.InitializeRegisters(_regs, 0, 0);
                _state.ForgetExitState();
                _waitingForSipi = true;
            }
            if (_sipiPending)
            {
                _sipiPending = false;
                VmcsGuestState.WriteSipiStart(_hw, _sipiVector);
                _state.ForgetExitState();
                _waitingForSipi = false;
            }
            if (_timerDirty && _preemptionTimer)
            {
                _timerDirty = false;
                _hw.Write(VmcsField.PreemptionTimerValue, _timerValue);
            }
        }

        private static bool Fail(ref VmExit exit, string why)
        {
            exit = default;
            exit.Kind = VmExitKind.Invalid;
            exit.EntryFailureReason = "VMX: " + why;
            return false;
        }
    }
}
