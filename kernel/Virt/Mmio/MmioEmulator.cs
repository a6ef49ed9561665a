// Emulates the instruction that touched MMIO. An EPT violation (VMX exit reason 48) or nested page
// fault (SVM exit code 400h) outside guest RAM tells the address, not the operation, so the core
// fetches the bytes at CS:RIP through the guest's paging (InstructionFetcher, with execute rights),
// decodes them with Iced and carries the instruction out against the VM's MMIO bus and RAM:
//   MOV (r/m<-r, r<-r/m, r/m<-imm, moffs), MOVZX, MOVSX, MOVSXD                     MmioEmulator.Forms.cs
//   ADD OR ADC SBB AND SUB XOR CMP (memory destination or source), TEST, XCHG,
//   INC DEC NOT NEG, BT BTS BTR BTC                                               MmioEmulator.Forms.cs
//   STOS, LODS, MOVS with and without REP (either side RAM or MMIO)              MmioEmulator.Strings.cs
// Everything else gets #UD. One emulator per vCPU: its three Iced decoders (16-, 32-, 64-bit code)
// and their byte buffer are built once, with the vCPU; an emulation allocates nothing and never logs.
// The operand is translated by the core's own walk of the guest page tables, and its page must be the
// one the CPU reported (the first element, for a string instruction). Otherwise the exit did not come
// from this instruction's data access: an event delivery that touched MMIO (IDT, stack, TSS there),
// guest page tables in MMIO, or the guest changed the code or its mappings under the CPU (another
// vCPU, a stale TLB entry). Such a VM is stopped (Unsupported) rather than guessed at.
// LOCK is accepted where the SDM allows it (read-modify-write with a memory destination, XCHG) and
// carried out as a plain read then write: atomicity against other vCPUs is the device model's
// business (device registers have their own lock), and no guest RAM operand can be locked-RMW here.
using System;
using Iced.Intel;

namespace Hv.Virt.Mmio
{
    public sealed partial class MmioEmulator
    {
        /// <summary>Elements a REP string instruction moves per call before it returns Retry (see MmioResult.Retry).</summary>
        public const int MaxElementsPerExit = 64;

        /// <summary>Iced reads the instruction from here; the fetch writes straight into Bytes (no copy, no allocation).</summary>
        private sealed class BufferReader : CodeReader
        {
            public readonly byte[] Bytes = new byte[InstructionFetcher.MaxInstructionLength];
            public int Position, Count;
            public override int ReadByte() => Position < Count ? Bytes[Position++] : -1;
        }

        private readonly BufferReader _reader = new BufferReader();
        private readonly Decoder _d16, _d32, _d64;

        /// <summary>Builds the decoders (start-up work: the first one runs Iced's static constructors).</summary>
        public MmioEmulator()
        {
            _d16 = Decoder.Create(16, _reader);
            _d32 = Decoder.Create(32, _reader);
            _d64 = Decoder.Create(64, _reader);
        }

        /// <summary>The bytes fetched by the last Emulate (ctx.Fetched of them), for the caller's diagnostics.</summary>
        public ReadOnlySpan<byte> InstructionBytes => new ReadOnlySpan<byte>(_reader.Bytes, 0, _reader.Count);

        /// <summary>
        /// Emulates the instruction at the guest's CS:RIP. Done advances RIP; Retry leaves it; Inject* leave
        /// registers and memory as the CPU would when raising that exception (for a REP string instruction:
        /// the elements before the faulting one are done). Never reads or writes outside the VM's RAM and bus.
        /// </summary>
        public MmioResult Emulate(ref MmioContext ctx)
        {
            ctx.Length = 0;
            ctx.Fetched = 0;
            ctx.FaultAddress = 0;
            ctx.ErrorCode = 0;
            ctx.Elements = 0;
            _reader.Count = 0;
            IVcpuState s = ctx.State;
            if (s == null || ctx.Memory == null || ctx.Bus == null)
                return MmioResult.Unsupported;
            if (ctx.Access == AccessKind.Execute)
                return MmioResult.Unsupported;      // the guest jumped into MMIO: no bytes to decode
            int bitness = s.CodeBitness;
            Decoder d = bitness == 64 ? _d64 : bitness == 32 ? _d32 : bitness == 16 ? _d16 : null;
            if (d == null)
                return MmioResult.Unsupported;

            ulong rip = s.Get(GuestRegister.Rip);
            LinearAccessResult fetch = InstructionFetcher.Fetch(ctx.Memory, s, ctx.PhysicalAddressBits, rip, _reader.Bytes);
            _reader.Count = fetch.Count;
            _reader.Position = 0;
            ctx.Fetched = (byte)fetch.Count;
            d.IP = rip;
            d.Decode(out Instruction ins);
            if (ins.IsInvalid)
            {
                if (d.LastError == DecoderError.NoMoreBytes)
                    return Truncated(ref ctx, in fetch);
                // Iced stops at the 15-byte limit and calls the rest invalid: that is #GP, not #UD (SDM Vol. 2A §2.3.11).
                return ins.Length >= InstructionFetcher.MaxInstructionLength ? MmioResult.InjectGp : MmioResult.InjectUd;
            }
            ctx.Length = (byte)ins.Length;

            int addressSize = MmioAddressing.AddressSize(new ReadOnlySpan<byte>(_reader.Bytes, 0, fetch.Count), ins.Length, bitness);
            var walker = new GuestPageWalker(ctx.Memory, s, ctx.PhysicalAddressBits);
            MmioResult r = IsString(ins.Code)
                ? EmulateString(ref ctx, in ins, in walker, bitness)
                : EmulateForm(ref ctx, in ins, in walker, bitness, addressSize);
            if (r == MmioResult.Done)
                s.AdvanceRip(ins.Length);
            return r;
        }

        /// <summary>
        /// The decoder ran out of bytes: the fetch stopped at a fault (inject it: the CPU would have raised it
        /// fetching the rest), or all 15 bytes were there and the instruction wants more (#GP, SDM Vol. 2A §2.3.11).
        /// </summary>
        private static MmioResult Truncated(ref MmioContext ctx, in LinearAccessResult fetch)
        {
            switch (fetch.Status)
            {
                case LinearTranslation.Ok:
                    return MmioResult.InjectGp;
                case LinearTranslation.PageFault:
                    ctx.FaultAddress = fetch.FaultLinear;
                    ctx.ErrorCode = fetch.ErrorCode;
                    return MmioResult.InjectPf;
                case LinearTranslation.NonCanonical:
                    return MmioResult.InjectGp;
                default:
                    return MmioResult.Unsupported;  // code or its page tables outside RAM
            }
        }
    }
}
