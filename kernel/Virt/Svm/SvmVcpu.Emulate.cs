// Exits this backend completes itself and re-enters without the core: they only make sense on
// SVM (the guest sees EFER.SVME = 1 and SVM instructions; RDTSCP with a virtual TSC_AUX) or keep
// the host safe (#AC reflection, INVD).
namespace Hv.Virt.Svm
{
    public sealed unsafe partial class SvmVcpu
    {
        /// <summary>Length of the intercepted instruction: nRIP - RIP with NRIP-save, else read and matched at CS:RIP (0 = unknown).</summary>
        private byte InstructionLength(uint opcode)
        {
            if (_platform.NRipSave)
            {
                ulong length = _vmcb->Control.NextRip - _vmcb->Save.Rip;
                if (length >= 1 && length <= SvmOpcodes.MaxInstructionLength) return (byte)length;
            }
            bool code64 = In64BitCode;
            byte* code = stackalloc byte[SvmOpcodes.MaxInstructionLength];
            // Exiting instructions rarely carry more than a prefix or two: read the opcode plus two
            // bytes first, and all 15 only when that window is too short for a match (a window that
            // matches gives the same answer as the full read; a mismatch is read again in full).
            int window = (int)(opcode >> 24) + 2;
            int count = GuestCodeFetch.Read(_vmcb, _memory, code64, code, window);
            int matched = SvmOpcodes.MatchLength(code, count, opcode, code64);
            if (matched == 0 && count == window)
            {
                count = GuestCodeFetch.Read(_vmcb, _memory, code64, code, SvmOpcodes.MaxInstructionLength);
                matched = SvmOpcodes.MatchLength(code, count, opcode, code64);
            }
            return (byte)matched;
        }

        /// <summary>RDTSCP: EDX:EAX = the guest's TSC (host TSC + TSC_OFFSET), ECX = its TSC_AUX.</summary>
        private bool EmulateRdtscp(ref VmExit exit)
        {
            byte length = InstructionLength(SvmOpcodes.Rdtscp);
            if (length == 0) return Deliver(ref exit, VmExitKind.Unknown);
            ulong tsc = _host.ReadTsc() + _vmcb->Control.TscOffset;
            _vmcb->Save.Rax = (uint)tsc;
            _gprs[(int)GuestRegister.Rdx] = tsc >> 32;
            _gprs[(int)GuestRegister.Rcx] = (uint)_tscAux;
            AdvanceRip(length);
            return false;
        }

        /// <summary>INVD would throw away dirty lines of host memory: it completes as a no-op (a guest cannot rely on losing writes).</summary>
        private bool SkipInvd(ref VmExit exit)
        {
            byte length = InstructionLength(SvmOpcodes.Invd);
            if (length == 0) return Deliver(ref exit, VmExitKind.Unknown);
            AdvanceRip(length);
            return false;
        }

        /// <summary>VMRUN, VMLOAD, VMSAVE, STGI, CLGI, SKINIT, INVLPGA, MONITOR, MWAIT: #UD, as without SVM.</summary>
        private bool ReflectInvalidOpcode()
        {
            _vmcb->Control.EventInjection = SvmEvent.Make(EventType.HardwareException, 6, false, 0).Raw;
            return false;
        }

        /// <summary>The intercepted #AC goes back to the guest (error code 0), one exit per delivery.</summary>
        private bool ReflectAlignmentCheck()
        {
            _vmcb->Control.EventInjection = SvmEvent.Make(EventType.HardwareException, AlignmentCheckVector, true, 0).Raw;
            return false;
        }
    }
}
