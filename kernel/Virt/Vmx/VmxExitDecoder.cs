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
            _insOutsInfo = insOutsInfo;
            _memory = memory;
            _physicalAddressBits = physicalAddressBits;
        }

        public VmxVcpuState State => _s;

        /// <summary>Decodes the exit in the current VMCS. True: handled here, re-enter without returning to the core.</summary>
        public bool Decode(ref VmExit exit)
        {
            exit = default;
            uint raw = _v.Read32(VmcsField.ExitReason);
            exit.RawReason = raw;
            exit.GuestRip = _v.Read(VmcsField.GuestRip);
            if (VmxExitReasonBits.IsEntryFailure(raw))
            {
                EntryFailure(raw, ref exit);
                return false;
            }
            VmxExitReason reason = VmxExitReasonBits.Basic(raw);
            // Exits caused by executing an instruction report its length, and cannot happen while an
            // event is being delivered (so their IDT-vectoring information is never valid).
            bool instruction = ReportsInstructionLength(reason);
            byte length = instruction ? (byte)_v.Read32(VmcsField.ExitInstructionLength) : (byte)0;
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
        /// </summary>
        public static bool ReportsInstructionLength(VmxExitReason r)
        {
            switch (r)
            {
                case VmxExitReason.Cpuid: case VmxExitReason.Hlt: case VmxExitReason.Vmcall:
                case VmxExitReason.CrAccess: case VmxExitReason.IoInstruction: case VmxExitReason.Rdmsr:
                case VmxExitReason.Wrmsr: case VmxExitReason.Xsetbv: case VmxExitReason.Invd:
                case VmxExitReason.Invlpg: case VmxExitReason.Rdpmc: case VmxExitReason.Rdtsc:
                case VmxExitReason.Rdtscp: case VmxExitReason.Mwait: case VmxExitReason.Monitor:
                case VmxExitReason.Pause: case VmxExitReason.Wbinvd: case VmxExitReason.MovDr:
                case VmxExitReason.Getsec: case VmxExitReason.Invpcid: case VmxExitReason.Rdrand:
                case VmxExitReason.Rdseed: case VmxExitReason.Xsaves: case VmxExitReason.Xrstors:
                    return true;
                default:
                    return IsVmxInstruction(r);
            }
        }

        private static bool IsVmxInstruction(VmxExitReason r)
            => (r >= VmxExitReason.Vmclear && r <= VmxExitReason.Vmxon) || r == VmxExitReason.Invept || r == VmxExitReason.Invvpid;

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
