using System.Runtime.CompilerServices;

namespace Hv.Virt.Vmx
{
    /// <summary>
    /// Turns the VMCS after a VM exit into a neutral <see cref="VmExit"/> (architecture.md: decode
    /// at the edge): one small handler per basic exit reason (SDM Vol. 3D App. C), in the partial
    /// files by concern. A few exits are finished here without the core (guest CR0/CR4/CR3 moves
    /// the host owns): <see cref="Decode"/> then returns true and the backend re-enters at once.
    /// Reads only the fields the reason defines; never allocates except for entry-failure text.
    /// </summary>
    public sealed unsafe partial class VmxExitDecoder
    {
        private readonly VmxVcpuState _s;
        private readonly IVmcs _v;
        private readonly VmxGuestRegisters* _r;
        private readonly bool _insOutsInfo;
        private readonly GuestMemory _memory;
        private readonly int _physicalAddressBits;

        /// <summary>INS/OUTS address size and segment of the last string I/O exit (valid when <see cref="LastStringIoValid"/>).</summary>
        public StringIoInfo LastStringIo;
        public bool LastStringIoValid;

        /// <param name="insOutsInfo">IA32_VMX_BASIC[54]: INS/OUTS exits report instruction information.</param>
        /// <param name="memory">the VM's RAM: an EPT violation inside it is a MemoryFault, outside MMIO; also
        /// where PAE PDPTEs are read from.</param>
        public VmxExitDecoder(VmxVcpuState state, bool insOutsInfo, GuestMemory memory, int physicalAddressBits)
        {
            _s = state;
            _v = state.Vmcs;
            _r = state.Registers;
            _insOutsInfo = insOutsInfo;
            _memory = memory;
            _physicalAddressBits = physicalAddressBits;
        }

        public VmxVcpuState State => _s;

        /// <summary>
        /// Decodes the exit in the current VMCS (and in the exit information the world switch saved,
        /// VmxGuestRegisters.ExitReason). True: handled here, re-enter without returning to the core.
        /// </summary>
        public bool Decode(ref VmExit exit)
        {
            exit = default;
            // The world switch saved these at the exit (VmxGuestRegisters.ExitReason, .Rip).
            VmxGuestRegisters* r = _r;
            uint raw = (uint)r->ExitReason;
            exit.RawReason = raw;
            exit.GuestRip = r->Rip;
            if (VmxExitReasonBits.IsEntryFailure(raw))
            {
                EntryFailure(raw, ref exit);
                return false;
            }
            VmxExitReason reason = VmxExitReasonBits.Basic(raw);
            // Exits caused by executing an instruction report its length, and cannot happen while an
            // event is being delivered (so their IDT-vectoring information is never valid).
            bool instruction = ReportsInstructionLength(reason);
            byte length = instruction ? (byte)r->ExitInstructionLength : (byte)0;
            exit.InstructionLength = length;
            _s.OnExit(length, !instruction);
            switch (reason)
            {
                case VmxExitReason.ExceptionOrNmi: ExceptionOrNmi(ref exit); return false;
                case VmxExitReason.ExternalInterrupt: ExternalInterrupt(ref exit); return false;
                case VmxExitReason.TripleFault: exit.Kind = VmExitKind.TripleFault; return false;
                case VmxExitReason.InitSignal: exit.Kind = VmExitKind.Init; return false;
                case VmxExitReason.StartupIpi: Sipi(ref exit); return false;
                case VmxExitReason.InterruptWindow: InterruptWindow(ref exit); return false;
                case VmxExitReason.Cpuid: exit.Kind = VmExitKind.Cpuid; return false;
                case VmxExitReason.Hlt: exit.Kind = VmExitKind.Hlt; return false;
                case VmxExitReason.Vmcall: exit.Kind = VmExitKind.Hypercall; return false;
                case VmxExitReason.CrAccess: return CrAccess(ref exit);
                case VmxExitReason.IoInstruction: Io(ref exit); return false;
                case VmxExitReason.Rdmsr: Msr(ref exit, VmExitKind.MsrRead); return false;
                case VmxExitReason.Wrmsr: Msr(ref exit, VmExitKind.MsrWrite); return false;
                case VmxExitReason.EptViolation: EptViolation(ref exit); return false;
                case VmxExitReason.EptMisconfiguration: EptMisconfiguration(ref exit); return false;
                case VmxExitReason.Xsetbv: exit.Kind = VmExitKind.Xsetbv; return false;
                case VmxExitReason.PreemptionTimerExpired: exit.Kind = VmExitKind.PreemptionTimer; return false;
                default: Unknown(ref exit); return false;
            }
        }

        /// <summary>
        /// Exits whose VM-exit instruction-length field is defined (SDM "Information for VM Exits Due to
        /// Instruction Execution"): instruction exits (software exceptions read it in their handler); for
        /// EPT violations and the rest it is not, and the core decodes the instruction instead.
        /// A bit set per basic reason (all of them are below 128), tested on every exit.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool ReportsInstructionLength(VmxExitReason r)
        {
            uint n = (uint)r;
            if (n < 64) return ((InstructionExitsLow >> (int)n) & 1) != 0;
            return n < 128 && ((InstructionExitsHigh >> (int)(n - 64)) & 1) != 0;
        }

        private const ulong InstructionExitsLow =
            (1UL << (int)VmxExitReason.Cpuid) | (1UL << (int)VmxExitReason.Hlt) | (1UL << (int)VmxExitReason.Vmcall)
            | (1UL << (int)VmxExitReason.CrAccess) | (1UL << (int)VmxExitReason.IoInstruction) | (1UL << (int)VmxExitReason.Rdmsr)
            | (1UL << (int)VmxExitReason.Wrmsr) | (1UL << (int)VmxExitReason.Xsetbv) | (1UL << (int)VmxExitReason.Invd)
            | (1UL << (int)VmxExitReason.Invlpg) | (1UL << (int)VmxExitReason.Rdpmc) | (1UL << (int)VmxExitReason.Rdtsc)
            | (1UL << (int)VmxExitReason.Rdtscp) | (1UL << (int)VmxExitReason.Mwait) | (1UL << (int)VmxExitReason.Monitor)
            | (1UL << (int)VmxExitReason.Pause) | (1UL << (int)VmxExitReason.Wbinvd) | (1UL << (int)VmxExitReason.MovDr)
            | (1UL << (int)VmxExitReason.Getsec) | (1UL << (int)VmxExitReason.Invpcid) | (1UL << (int)VmxExitReason.Rdrand)
            | (1UL << (int)VmxExitReason.Rdseed) | (1UL << (int)VmxExitReason.Xsaves)
            // the VMX instructions: VMCLEAR .. VMXON (19-27), INVEPT, INVVPID
            | (1UL << (int)VmxExitReason.Vmclear) | (1UL << (int)VmxExitReason.Vmlaunch) | (1UL << (int)VmxExitReason.Vmptrld)
            | (1UL << (int)VmxExitReason.Vmptrst) | (1UL << (int)VmxExitReason.Vmread) | (1UL << (int)VmxExitReason.Vmresume)
            | (1UL << (int)VmxExitReason.Vmwrite) | (1UL << (int)VmxExitReason.Vmxoff) | (1UL << (int)VmxExitReason.Vmxon)
            | (1UL << (int)VmxExitReason.Invept) | (1UL << (int)VmxExitReason.Invvpid);

        private const ulong InstructionExitsHigh = 1UL << ((int)VmxExitReason.Xrstors - 64);

        private void InterruptWindow(ref VmExit exit)
        {
            // The window is open: stop asking until the core wants it again.
            _s.RequestInterruptWindow(false);
            exit.Kind = VmExitKind.InterruptWindow;
        }

        private void Sipi(ref VmExit exit)
        {
            byte vector = (byte)_v.Read(VmcsField.ExitQualification);
            VmcsGuestState.WriteSipiStart(_v, vector);
            _s.ForgetExitState();               // the start state changed RIP behind the state's cache
            exit.Kind = VmExitKind.Sipi;
            exit.Vector = vector;
        }

        private void Unknown(ref VmExit exit)
        {
            exit.Kind = VmExitKind.Unknown;
            exit.Qualification = _v.Read(VmcsField.ExitQualification);
        }
    }
}
