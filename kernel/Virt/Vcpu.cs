// One virtual CPU: its index, the backend's guest state (IVcpuState), per-vCPU MSRs, exit counters
// and interrupt bookkeeping. HandleExit is the one dispatch of the design (architecture.md): one
// switch over VmExit.Kind, one handler per kind in Exits/. It runs on the vCPU's own thread, with
// no allocation and no logging.
using System.Runtime.CompilerServices;
using Hv.Virt.Exits;
using Hv.Virt.Mmio;

namespace Hv.Virt
{
    /// <summary>What the run loop does after an exit was handled.</summary>
    public enum ExitAction : byte
    {
        /// <summary>Re-enter the guest (after PrepareEntry).</summary>
        Resume,
        /// <summary>The vCPU executed HLT: wait until Vcpu.WakeDeadline or a kick, and until TryWake says so.</summary>
        Halt,
        /// <summary>The VM stopped (Vm.StopReason says why): leave the loop.</summary>
        Stop,
    }

    public sealed partial class Vcpu
    {
        /// <summary>WakeDeadline when only an event (an interrupt posted by someone else, a VM stop) can wake the vCPU.</summary>
        public const ulong NoDeadline = ulong.MaxValue;

        internal Vcpu(Vm vm, int index)
        {
            Vm = vm;
            Index = index;
            Msrs.Reset(index);
            // Iced's decoders: built with the vCPU, never on the exit path.
            Mmio = new MmioEmulator();
            MmioBus = new VcpuMmioBus(this);
        }

        public Vm Vm { get; }

        /// <summary>The last exit's kind and guest RIP, for the progress report of a hung guest (two plain stores per exit).</summary>
        public VmExitKind LastExitKind;
        public ulong LastExitRip;
        /// <summary>0-based; also the initial APIC ID CPUID reports. vCPU 0 is the bootstrap processor.</summary>
        public int Index { get; }
        /// <summary>The backend's guest state for this vCPU (VMCS or VMCB accessor), set once with Attach.</summary>
        public IVcpuState State { get; private set; }
        public readonly ExitCounters Counters = new ExitCounters();
        /// <summary>MSRs the policy keeps itself (a field, so MsrPolicy works on it in place).</summary>
        public MsrStore Msrs;
        /// <summary>Emulates the instructions that touch MMIO (MmioExit), with this vCPU's decoders.</summary>
        public MmioEmulator Mmio { get; }
        /// <summary>The VM's MMIO bus, counting unclaimed accesses in this vCPU's counters.</summary>
        public VcpuMmioBus MmioBus { get; }

        /// <summary>Gives the vCPU its backend state; once, before the VM starts.</summary>
        public bool Attach(IVcpuState state)
        {
            if (State != null || state == null)
                return false;
            State = state;
            return true;
        }

        /// <summary>
        /// Handles one exit the backend decoded into <paramref name="exit"/>: counts it, dispatches it by
        /// kind, and says what the run loop does next. On IN the handler leaves the value read in
        /// exit.IoValue (and writes RAX); MMIO instructions are emulated here completely.
        /// </summary>
        public ExitAction HandleExit(ref VmExit exit)
        {
            Counters.Count(exit.Kind, exit.RawReason);
            LastExitKind = exit.Kind;
            LastExitRip = exit.GuestRip;
            ExitAction action = Dispatch(ref exit);
            return action != ExitAction.Stop && Vm.IsStopped ? ExitAction.Stop : action;
        }

        // Inlined into HandleExit (and that into the run loop): one call less on every exit.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private ExitAction Dispatch(ref VmExit exit)
        {
            switch (exit.Kind)
            {
                case VmExitKind.Cpuid: return CpuidExit.Handle(this, ref exit);
                case VmExitKind.Hlt: return HltExit.Handle(this, ref exit);
                case VmExitKind.IoIn:
                case VmExitKind.IoOut: return IoExit.Handle(this, ref exit);
                case VmExitKind.MmioAccess: return MmioExit.Handle(this, ref exit);
                case VmExitKind.MsrRead: return MsrExit.HandleRead(this, ref exit);
                case VmExitKind.MsrWrite: return MsrExit.HandleWrite(this, ref exit);
                case VmExitKind.Xsetbv: return XsetbvExit.Handle(this, ref exit);
                case VmExitKind.CrAccess: return CrAccessExit.Handle(this, ref exit);
                case VmExitKind.InterruptWindow: return InterruptWindowExit.Handle(this, ref exit);
                case VmExitKind.Exception: return ExceptionExit.Handle(this, ref exit);
                case VmExitKind.Hypercall: return HypercallExit.Handle(this, ref exit);
                case VmExitKind.Init: return StartupExit.Handle(this, ref exit);
                case VmExitKind.None:
                case VmExitKind.Nmi:
                case VmExitKind.ExternalInterrupt:
                case VmExitKind.PreemptionTimer: return HostEventExit.Handle(this, ref exit);
                default: return FatalExit.Handle(this, ref exit);
            }
        }

        /// <summary>
        /// Completes the exiting instruction: RIP += its length (from the exit, or <paramref name="knownLength"/>
        /// for fixed-length instructions such as CPUID). With neither, the backend broke its contract: the
        /// VM stops (HypervisorError) and false is returned.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal bool CompleteInstruction(ref VmExit exit, int knownLength)
        {
            int length = exit.InstructionLength != 0 ? exit.InstructionLength : knownLength;
            if (length <= 0 || length > InstructionFetcher.MaxInstructionLength)
            {
                Vm.Stop(VmStopReason.HypervisorError, (ulong)exit.Kind, "backend gave no instruction length");
                return false;
            }
            State.AdvanceRip(length);
            return true;
        }

        /// <summary>Injects a hardware exception now (it is delivered on the next entry); false if an event is already queued there.</summary>
        public bool InjectException(ExceptionVector vector, bool hasErrorCode, uint errorCode)
        {
            if (!State.Inject(EventType.HardwareException, (byte)vector, hasErrorCode, errorCode))
                return false;
            Counters.InjectedExceptions++;
            return true;
        }

        /// <summary>#GP(0): what refused MSRs, XSETBV and other privileged misuse get.</summary>
        internal ExitAction InjectGeneralProtection()
        {
            InjectException(ExceptionVector.GeneralProtection, true, 0);
            return ExitAction.Resume;
        }

        /// <summary>#UD: for instructions the virtual CPU does not have (VMCALL with no hypercall interface).</summary>
        internal ExitAction InjectInvalidOpcode()
        {
            InjectException(ExceptionVector.InvalidOpcode, false, 0);
            return ExitAction.Resume;
        }
    }
}
