// MMIO: the nested page fault gives the address and direction (§15.25.6), the instruction gives
// the operation (VmExit.cs: "MMIO reuses Size and IoValue ... the backend then writes it to the
// destination register"). The instruction is decoded with the Iced-based MmioInstructionDecoder
// (kernel/Virt/Vmx/MmioInstruction.cs: nothing in it is VMX-specific; it belongs in kernel/Virt).
using System;

namespace Hv.Virt.Svm
{
    public sealed unsafe partial class SvmVcpu
    {
        /// <summary>Built with the vCPU (Iced's tables and static constructors: start-up work, never on the exit path).</summary>
        private readonly MmioInstructionDecoder _mmioDecoder = new MmioInstructionDecoder();
        private bool _mmioReadPending;
        private MmioOperation _pendingRead;

        /// <summary>
        /// Fills Size, InstructionLength and (writes) IoValue. Left at Size 0 when the bytes cannot be
        /// read or are not a supported move: the core then stops the VM. Allocates nothing.
        /// </summary>
        private void DecodeMmio(ref VmExit exit)
        {
            byte* code = stackalloc byte[SvmOpcodes.MaxInstructionLength];
            int count = FetchFaultingInstruction(code);
            if (count == 0) return;
            if (!_mmioDecoder.TryDecode(new ReadOnlySpan<byte>(code, count), CodeBitness(), this, out MmioOperation op)) return;
            if (op.Write != (exit.Access == AccessKind.Write)) return;
            exit.Size = op.Size;
            exit.InstructionLength = op.Length;
            if (op.Write) { exit.IoValue = op.Value; return; }
            _pendingRead = op;
            _mmioReadPending = true;
        }

        /// <summary>With decode assists the CPU saved the bytes in the VMCB (0D0h); otherwise read them at CS:RIP.</summary>
        private int FetchFaultingInstruction(byte* code)
        {
            VmcbControlArea* c = &_vmcb->Control;
            int saved = c->InstructionBytesFetched;
            if (_platform.DecodeAssists && saved > 0)
            {
                if (saved > SvmOpcodes.MaxInstructionLength) saved = SvmOpcodes.MaxInstructionLength;
                byte* bytes = &c->InstructionBytes;
                for (int i = 0; i < saved; i++) code[i] = bytes[i];
                return saved;
            }
            return GuestCodeFetch.Read(_vmcb, _memory, In64BitCode, code, SvmOpcodes.MaxInstructionLength);
        }

        /// <summary>Before the next entry: the value the core read for the last MMIO read goes to its destination register (VcpuRunLoop.cs).</summary>
        private void CompleteMmioRead(in VmExit previous)
        {
            if (!_mmioReadPending) return;
            _mmioReadPending = false;
            if (previous.Kind != VmExitKind.MmioAccess || previous.Access != AccessKind.Read) return;
            GuestRegister r = _pendingRead.Register;
            Set(r, MmioInstructionDecoder.Merge(Get(r), _pendingRead, previous.IoValue));
        }

        /// <summary>64 in 64-bit code (EFER.LMA and CS.L), else 32 or 16 by CS.D (APM Vol. 2 §4.7.2).</summary>
        private int CodeBitness()
        {
            if (In64BitCode) return 64;
            return (_vmcb->Save.Cs.Attributes & SegmentAttributes.DefaultBig) != 0 ? 32 : 16;
        }
    }
}
