// Instruction bytes at the guest's RIP, for backends that decode instructions themselves (SVM without
// NRIP-save or decode assists, e.g. QEMU TCG: I/O instruction lengths, MMIO operands). The decoding
// (Iced) is the backend's; this only fetches, through the guest's paging, up to 15 bytes (the longest
// x86 instruction, SDM Vol. 2A §2.3.11), across a page boundary when the instruction does.
using System;

namespace Hv.Virt
{
    public static class InstructionFetcher
    {
        public const int MaxInstructionLength = 15;

        /// <summary>
        /// The linear address of <paramref name="rip"/>: in long mode RIP itself (64-bit code has CS base 0;
        /// compatibility-mode code with a non-zero CS base is not supported), in real mode CS base + IP,
        /// in protected mode CS base + EIP, wrapped to 32 bits (SDM Vol. 3A §3.4.4).
        /// </summary>
        public static ulong CodeLinear(IVcpuState state, ulong rip)
        {
            if (state.LongMode)
                return rip;
            ulong csBase = state.Get(GuestRegister.CsBase);
            if ((state.Get(GuestRegister.Cr0) & (ulong)Cr0Bits.ProtectionEnable) == 0)
                return (csBase + (rip & 0xFFFF)) & 0xFFFF_FFFF;
            return (csBase + rip) & 0xFFFF_FFFF;
        }

        /// <summary>
        /// Fetches up to destination.Length (at most 15) bytes of the instruction at <paramref name="rip"/>.
        /// Count bytes are valid. If the second page of a page-crossing fetch fails, Count holds the bytes
        /// of the first page and Status/FaultLinear/ErrorCode describe the failure: the decoder decides
        /// whether the instruction needed them (then inject #PF with CR2 = FaultLinear). Count 0 means
        /// nothing could be fetched. No allocation.
        /// </summary>
        public static LinearAccessResult Fetch(GuestMemory memory, IVcpuState state, int physicalAddressBits, ulong rip, Span<byte> destination)
        {
            if (destination.Length > MaxInstructionLength)
                destination = destination.Slice(0, MaxInstructionLength);
            var walker = new GuestPageWalker(memory, state, physicalAddressBits);
            return walker.ReadLinear(CodeLinear(state, rip), destination, AccessKind.Execute);
        }
    }
}
