// The inputs and outputs of one MMIO emulation (MmioEmulator.Emulate), what the caller must do
// afterwards (MmioResult), and the seam to the VM's MMIO devices (IMmioBus). RAM is reached through
// GuestMemory, whose checked translation keeps every access inside the VM (issue 4 item 8).
namespace Hv.Virt.Mmio
{
    /// <summary>What happened to the instruction that touched MMIO, and what the caller does next.</summary>
    public enum MmioResult : byte
    {
        /// <summary>Emulated completely; RIP moved past the instruction.</summary>
        Done,
        /// <summary>
        /// A REP string instruction did MmioEmulator.MaxElementsPerExit elements: RCX, RSI, RDI say how far it
        /// got and RIP stays on the instruction, so the guest executes it again for the rest (as after an
        /// interrupt in the middle of a REP, SDM Vol. 2B "REP/REPE/REPZ/REPNE/REPNZ").
        /// </summary>
        Retry,
        /// <summary>Inject #UD: an invalid encoding, a LOCK the instruction does not allow, or a form this emulator does not know.</summary>
        InjectUd,
        /// <summary>Inject #GP(0): a non-canonical address, or an instruction longer than 15 bytes.</summary>
        InjectGp,
        /// <summary>Inject #SS(0): a non-canonical address through SS (RSP/RBP-based operands, SDM Vol. 3A §6.15 "Interrupt 12").</summary>
        InjectSs,
        /// <summary>Inject #PF with CR2 = MmioContext.FaultAddress and error code MmioContext.ErrorCode.</summary>
        InjectPf,
        /// <summary>The hypervisor cannot emulate this (code fetched from MMIO, guest page tables outside RAM, a 5-level paging guest): stop the VM.</summary>
        Unsupported,
    }

    /// <summary>
    /// The VM's MMIO devices as the emulator sees them: one access of 1, 2, 4 or 8 bytes at a
    /// guest-physical address, value little-endian in the low bytes. A wider guest access that the
    /// emulator must split (it crosses a page into RAM, or is not a power of two) arrives as bytes.
    /// </summary>
    public interface IMmioBus
    {
        ulong Read(ulong gpa, int size);
        void Write(ulong gpa, int size, ulong value);
    }

    /// <summary>One emulation request. The caller fills the inputs; the emulator fills the outputs.</summary>
    public struct MmioContext
    {
        // Inputs
        /// <summary>The vCPU's registers, RIP, RFLAGS, CRs, segment bases, CPL, paging mode and code bitness.</summary>
        public IVcpuState State;
        /// <summary>The VM's RAM: instruction bytes, guest page tables and RAM operands of string instructions.</summary>
        public GuestMemory Memory;
        public IMmioBus Bus;
        /// <summary>Guest MAXPHYADDR (CpuidProfile.PhysicalAddressBits), for the page walker's reserved-bit checks.</summary>
        public int PhysicalAddressBits;
        /// <summary>The address the CPU reported (EPT violation / nested page fault) and its direction.</summary>
        public ulong GuestPhysical;
        public AccessKind Access;

        // Outputs
        /// <summary>Length of the decoded instruction (0 when it could not be decoded).</summary>
        public byte Length;
        /// <summary>The bytes fetched at CS:RIP (up to 15, see MmioEmulator.InstructionBytes), for the caller's diagnostics.</summary>
        public byte Fetched;
        /// <summary>InjectPf: the faulting linear address (CR2) and the #PF error code (SDM Vol. 3A §4.7).</summary>
        public ulong FaultAddress;
        public uint ErrorCode;
        /// <summary>String instructions: elements moved by this call.</summary>
        public int Elements;
    }
}
