// EXITCODE -> neutral VmExit (AMD APM Vol. 2 Appendix C; EXITINFO per section below), one small
// handler per code. DecodeExit returns false for exits handled here (see SvmVcpu.Emulate.cs).
namespace Hv.Virt.Svm
{
    public sealed unsafe partial class SvmVcpu
    {
        private const int AlignmentCheckVector = 17;

        private bool DecodeExit(ref VmExit exit)
        {
            VmcbControlArea* c = &_vmcb->Control;
            ulong code = c->ExitCode;
            // VMEXIT_INVALID (-1) and VMEXIT_BUSY (-2) are 64-bit; QEMU 7.2 stores them as 32-bit values.
            if (code >= 0xFFFF_FFF0 && code <= 0xFFFF_FFFF) code |= 0xFFFF_FFFF_0000_0000;
            exit = default;
            exit.GuestRip = _vmcb->Save.Rip;
            exit.RawReason = (uint)code;
            exit.Qualification = c->ExitInfo1;
            if ((SvmExitCode)code != SvmExitCode.Invalid) { RequeueInterruptedEvent(); _entryCheckFailure = null; }
            switch ((SvmExitCode)code)
            {
                case SvmExitCode.Intr:
                case SvmExitCode.Smi: return Deliver(ref exit, VmExitKind.ExternalInterrupt);
                case SvmExitCode.Nmi: return Deliver(ref exit, VmExitKind.Nmi);
                case SvmExitCode.Init: return Deliver(ref exit, VmExitKind.Init);
                case SvmExitCode.Vintr: return Deliver(ref exit, VmExitKind.InterruptWindow);
                case SvmExitCode.Shutdown: return Deliver(ref exit, VmExitKind.TripleFault);
                case SvmExitCode.Cpuid: return InstructionExit(ref exit, VmExitKind.Cpuid, SvmOpcodes.Cpuid);
                case SvmExitCode.Hlt: return InstructionExit(ref exit, VmExitKind.Hlt, SvmOpcodes.Hlt);
                case SvmExitCode.Vmmcall: return InstructionExit(ref exit, VmExitKind.Hypercall, SvmOpcodes.Vmmcall);
                case SvmExitCode.Xsetbv: return InstructionExit(ref exit, VmExitKind.Xsetbv, SvmOpcodes.Xsetbv);
                case SvmExitCode.Msr: return MsrExit(ref exit);
                case SvmExitCode.Ioio: return IoExit(ref exit);
                case SvmExitCode.NestedPageFault: return NestedPageFaultExit(ref exit);
                case SvmExitCode.Invalid: return InvalidStateExit(ref exit);
                case SvmExitCode.Rdtscp: return EmulateRdtscp(ref exit);
                case SvmExitCode.Invd: return SkipInvd(ref exit);
                case SvmExitCode.Vmrun:
                case SvmExitCode.Vmload:
                case SvmExitCode.Vmsave:
                case SvmExitCode.Stgi:
                case SvmExitCode.Clgi:
                case SvmExitCode.Skinit:
                case SvmExitCode.Invlpga:
                case SvmExitCode.Monitor:
                case SvmExitCode.Mwait:
                case SvmExitCode.MwaitConditional: return ReflectInvalidOpcode();
                default:
                    if (code >= (ulong)SvmExitCode.Exception0 && code <= (ulong)SvmExitCode.ExceptionLast)
                        return ExceptionExit(ref exit, (byte)(code - (ulong)SvmExitCode.Exception0));
                    if (code < (ulong)SvmExitCode.DrRead0)
                        return ControlRegisterExit(ref exit, (byte)(code & 0xF));
                    return Deliver(ref exit, VmExitKind.Unknown);
            }
        }

        private static bool Deliver(ref VmExit exit, VmExitKind kind)
        {
            exit.Kind = kind;
            return true;
        }

        /// <summary>CPUID, HLT, VMMCALL, XSETBV: the core reads the registers through IVcpuState.</summary>
        private bool InstructionExit(ref VmExit exit, VmExitKind kind, uint opcode)
        {
            exit.Kind = kind;
            exit.InstructionLength = InstructionLength(opcode);
            return true;
        }

        /// <summary>§15.11: EXITINFO1 = 0 for RDMSR, 1 for WRMSR; the MSR is in ECX.</summary>
        private bool MsrExit(ref VmExit exit)
        {
            bool write = _vmcb->Control.ExitInfo1 == 1;
            exit.Kind = write ? VmExitKind.MsrWrite : VmExitKind.MsrRead;
            exit.Msr = (uint)_gprs[(int)GuestRegister.Rcx];
            exit.InstructionLength = InstructionLength(write ? SvmOpcodes.Wrmsr : SvmOpcodes.Rdmsr);
            return true;
        }

        /// <summary>
        /// §15.10.2: EXITINFO1 = port, size, address size, REP, string, direction; EXITINFO2 = the
        /// RIP of the next instruction (even without NRIP-save), so the length is exact with any prefixes.
        /// Qualification keeps EXITINFO1.
        /// </summary>
        private bool IoExit(ref VmExit exit)
        {
            SvmIoExitInfo io = new SvmIoExitInfo(_vmcb->Control.ExitInfo1);
            exit.Kind = io.IsIn ? VmExitKind.IoIn : VmExitKind.IoOut;
            exit.Port = io.Port;
            exit.Size = (byte)io.Size;
            exit.IsString = io.IsString;
            exit.Rep = io.Rep;
            ulong length = _vmcb->Control.ExitInfo2 - exit.GuestRip;
            exit.InstructionLength = length >= 1 && length <= 15 ? (byte)length : (byte)0;
            if (!io.IsIn && !io.IsString)
                exit.IoValue = _vmcb->Save.Rax & (io.Size == 1 ? 0xFFul : io.Size == 2 ? 0xFFFFul : 0xFFFF_FFFFul);
            if (io.IsString) DescribeStringIo(ref exit, io);
            return true;
        }

        /// <summary>
        /// INS writes ES:rDI (no override possible); OUTS reads seg:rSI, DS unless overridden. The
        /// override is EXITINFO1.SEG with decode assists, else read from the instruction's prefixes.
        /// </summary>
        private void DescribeStringIo(ref VmExit exit, SvmIoExitInfo io)
        {
            exit.AddressSize = (byte)io.AddressBytes;
            int sreg = (int)SegmentRegister.Es;
            if (!io.IsIn)
                sreg = _platform.DecodeAssists ? io.Segment : OutsSegmentFromPrefixes();
            exit.Segment = (SegmentRegister)sreg;
            ulong index = _gprs[io.IsIn ? (int)GuestRegister.Rdi : (int)GuestRegister.Rsi] & io.AddressMask;
            exit.GuestLinear = SegmentBase(sreg) + index;
        }

        private int OutsSegmentFromPrefixes()
        {
            byte* code = stackalloc byte[SvmOpcodes.MaxInstructionLength];
            int count = GuestCodeFetch.Read(_vmcb, _memory, In64BitCode, code, SvmOpcodes.MaxInstructionLength);
            int sreg = SvmOpcodes.SegmentOverride(code, count);
            return sreg < 0 ? (int)SegmentRegister.Ds : sreg;
        }

        /// <summary>Base of segment register <paramref name="sreg"/> (ES, CS, SS, DS, FS, GS encoding); 0 for ES/CS/SS/DS in 64-bit code.</summary>
        private ulong SegmentBase(int sreg)
        {
            VmcbStateSaveArea* s = &_vmcb->Save;
            if (In64BitCode && sreg < 4) return 0;
            switch (sreg)
            {
                case 0: return s->Es.Base;
                case 1: return s->Cs.Base;
                case 2: return s->Ss.Base;
                case 3: return s->Ds.Base;
                case 4: return s->Fs.Base;
                case 5: return s->Gs.Base;
                default: return 0;
            }
        }

        /// <summary>
        /// §15.25.6: EXITINFO2 = the faulting guest-physical address, EXITINFO1 = a #PF-style error
        /// code. Outside the VM's RAM it is MMIO (the core emulates the instruction at CS:RIP,
        /// kernel/Virt/Mmio); inside, the nested tables refused an access the core must look at.
        /// </summary>
        private bool NestedPageFaultExit(ref VmExit exit)
        {
            ulong gpa = _vmcb->Control.ExitInfo2;
            NestedFaultCode f = (NestedFaultCode)_vmcb->Control.ExitInfo1;
            exit.GuestPhysical = gpa;
            exit.Access = (f & NestedFaultCode.InstructionFetch) != 0 ? AccessKind.Execute
                : (f & NestedFaultCode.Write) != 0 ? AccessKind.Write : AccessKind.Read;
            exit.Kind = GuestRam.Contains(_memory, gpa) ? VmExitKind.MemoryFault : VmExitKind.MmioAccess;
            return true;
        }

        /// <summary>§15.12: EXITINFO1 holds the error code of exceptions that push one; EXITINFO2 the address of a #PF.</summary>
        private bool ExceptionExit(ref VmExit exit, byte vector)
        {
            if (vector == AlignmentCheckVector) return ReflectAlignmentCheck();
            exit.Kind = VmExitKind.Exception;
            exit.Vector = vector;
            exit.HasErrorCode = ExceptionHasErrorCode(vector);
            if (exit.HasErrorCode) exit.ErrorCode = (uint)_vmcb->Control.ExitInfo1;
            if (vector == 14) exit.GuestLinear = _vmcb->Control.ExitInfo2;
            return true;
        }

        /// <summary>#DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP, #VC, #SX push an error code.</summary>
        public static bool ExceptionHasErrorCode(byte vector)
            => vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || vector == 21 || vector == 29 || vector == 30;

        /// <summary>Not intercepted by this backend; decoded for completeness (decode assists put the GPR in EXITINFO1).</summary>
        private static bool ControlRegisterExit(ref VmExit exit, byte cr)
        {
            exit.Kind = VmExitKind.CrAccess;
            exit.ControlRegister = cr;
            return true;
        }

        /// <summary>
        /// VMRUN found illegal state and gives no reason: name the §15.5.1 rule the checks before the
        /// entry found, else run them on the VMCB now (rare path: allocates).
        /// </summary>
        private bool InvalidStateExit(ref VmExit exit)
        {
            exit.Kind = VmExitKind.Invalid;
            string rule = _entryCheckFailure ?? VmcbChecks.FirstFailure(_vmcb, _platform.Limits);
            _checkBeforeEntry = true;
            exit.EntryFailureReason = rule != null
                ? "VMEXIT_INVALID: " + rule
                : "VMEXIT_INVALID, but no APM 15.5.1 check fails for this VMCB";
            return true;
        }
    }
}
