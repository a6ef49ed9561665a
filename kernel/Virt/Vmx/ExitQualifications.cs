namespace Hv.Virt.Vmx
{
    // Exit-qualification and instruction-information layouts: SDM Vol. 3C "Exit Qualification for
    // VM Exits" (tables for control-register accesses, I/O instructions, EPT violations) and
    // "Information for VM Exits Due to Instruction Execution" (INS/OUTS instruction information).

    public enum CrAccessType : byte { MovToCr = 0, MovFromCr = 1, Clts = 2, Lmsw = 3 }

    /// <summary>Bits 3:0 CR number, 5:4 access type, 6 LMSW operand is memory, 11:8 GPR, 31:16 LMSW source data.</summary>
    public readonly struct CrAccessQualification
    {
        public readonly ulong Raw;
        public CrAccessQualification(ulong raw) { Raw = raw; }
        public int ControlRegister => (int)(Raw & 0xF);
        public CrAccessType Access => (CrAccessType)((Raw >> 4) & 3);
        public bool LmswFromMemory => (Raw & (1ul << 6)) != 0;
        public GuestRegister Gpr => (GuestRegister)((Raw >> 8) & 0xF);
        public ushort LmswSource => (ushort)(Raw >> 16);
    }

    /// <summary>Bits 2:0 size - 1, 3 direction (1 = IN), 4 string, 5 REP, 6 immediate operand, 31:16 port.</summary>
    public readonly struct IoQualification
    {
        public readonly ulong Raw;
        public IoQualification(ulong raw) { Raw = raw; }
        public byte Size => (byte)((Raw & 7) + 1);
        public bool In => (Raw & (1ul << 3)) != 0;
        public bool String => (Raw & (1ul << 4)) != 0;
        public bool Rep => (Raw & (1ul << 5)) != 0;
        public bool ImmediateOperand => (Raw & (1ul << 6)) != 0;
        public ushort Port => (ushort)(Raw >> 16);
    }

    /// <summary>
    /// Bits 0/1/2: the access was a data read / data write / instruction fetch; 3/4/5: the
    /// guest-physical address was readable / writable / executable; 7: the guest-linear address
    /// field is valid; 8: the access was to the translated address (not a paging structure);
    /// 12: NMI unblocking due to IRET.
    /// </summary>
    public readonly struct EptViolationQualification
    {
        public readonly ulong Raw;
        public EptViolationQualification(ulong raw) { Raw = raw; }
        public bool Read => (Raw & 1) != 0;
        public bool Write => (Raw & 2) != 0;
        public bool Fetch => (Raw & 4) != 0;
        public bool Mapped => (Raw & 0x38) != 0;
        public bool LinearValid => (Raw & (1ul << 7)) != 0;
        public bool NmiUnblockingDueToIret => (Raw & (1ul << 12)) != 0;
        public AccessKind Access => Fetch ? AccessKind.Execute : Write ? AccessKind.Write : AccessKind.Read;
    }

    /// <summary>INS/OUTS instruction information (when IA32_VMX_BASIC[54]): bits 9:7 address size (0 16, 1 32, 2 64-bit), 17:15 segment (OUTS).</summary>
    public readonly struct StringIoInfo
    {
        public readonly uint Raw;
        public StringIoInfo(uint raw) { Raw = raw; }
        public int AddressBits => 16 << (int)((Raw >> 7) & 7);
        /// <summary>0 ES, 1 CS, 2 SS, 3 DS, 4 FS, 5 GS (for OUTS; INS always uses ES).</summary>
        public GuestSegment Segment => (GuestSegment)((Raw >> 15) & 7);
    }

    /// <summary>Exit qualification of a VM-entry failure with basic reason 33 (SDM "VM-Entry Failures During or After Loading Guest State").</summary>
    public enum EntryFailureQualification : ulong
    {
        Unspecified = 0,
        PdpteLoading = 2,
        NmiInjectionBlocked = 3,
        InvalidVmcsLinkPointer = 4,
    }
}
