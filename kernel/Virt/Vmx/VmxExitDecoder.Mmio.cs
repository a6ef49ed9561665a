using System;

namespace Hv.Virt.Vmx
{
    // MMIO: the EPT violation gives the address, the instruction gives the operation (VmExit.cs:
    // "MMIO reuses Size and IoValue ... the backend then writes it to the destination register").
    public sealed unsafe partial class VmxExitDecoder
    {
        private bool _mmioReadPending;
        private MmioOperation _pendingRead;

        /// <summary>The last exit was an MMIO read whose value still has to reach its register.</summary>
        public bool MmioReadPending => _mmioReadPending;

        /// <summary>Fills Size, InstructionLength and (writes) IoValue; a read's destination is kept for <see cref="CompleteMmioRead"/>.
        /// Left at Size 0 when the instruction cannot be fetched or is not a supported move: the core stops the VM.</summary>
        private void DecodeMmio(ref VmExit exit)
        {
            if (_mmio == null || _memory == null) return;
            Span<byte> code = stackalloc byte[InstructionFetcher.MaxInstructionLength];
            LinearAccessResult fetched = InstructionFetcher.Fetch(_memory, _s, _physicalAddressBits, exit.GuestRip, code);
            if (fetched.Count == 0) return;
            if (!_mmio.TryDecode(code.Slice(0, fetched.Count), CodeBitness(), _s, out MmioOperation op)) return;
            if (op.Write != (exit.Access == AccessKind.Write)) return;
            exit.Size = op.Size;
            exit.InstructionLength = op.Length;
            if (op.Write) { exit.IoValue = op.Value; return; }
            _pendingRead = op;
            _mmioReadPending = true;
        }

        /// <summary>Before the next entry: the value the core read for the last MMIO read goes to its destination register.</summary>
        public void CompleteMmioRead(in VmExit previous)
        {
            if (!_mmioReadPending) return;
            _mmioReadPending = false;
            if (previous.Kind != VmExitKind.MmioAccess || previous.Access != AccessKind.Read) return;
            GuestRegister r = _pendingRead.Register;
            _s.Set(r, MmioInstructionDecoder.Merge(_s.Get(r), _pendingRead, previous.IoValue));
        }

        /// <summary>64 in 64-bit code (EFER.LMA and CS.L), else 32 or 16 by CS.D (SDM Vol. 3A §3.4.5 "D/B flag").</summary>
        private int CodeBitness()
        {
            var cs = new AccessRights(_v.Read32(VmcsField.GuestCsAccessRights));
            if (_s.LongMode && cs.Long) return 64;
            return cs.DefaultBig ? 32 : 16;
        }
    }
}
