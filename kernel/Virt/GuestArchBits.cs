// Architectural bits of guest state that the neutral core interprets (the page walker, HLT, string
// I/O, XSETBV and the MSR policy). Values from the Intel SDM; the AMD APM defines the same bits.
using System;

namespace Hv.Virt
{
    /// <summary>CR0 bits (SDM Vol. 3A §2.5, Figure 2-7).</summary>
    [Flags]
    public enum Cr0Bits : ulong
    {
        ProtectionEnable = 1UL << 0,
        WriteProtect = 1UL << 16,
        Paging = 1UL << 31,
    }

    /// <summary>CR4 bits (SDM Vol. 3A §2.5, Figure 2-7).</summary>
    [Flags]
    public enum Cr4Bits : ulong
    {
        PageSizeExtensions = 1UL << 4,
        PhysicalAddressExtension = 1UL << 5,
        La57 = 1UL << 12,
        OsXsave = 1UL << 18,
        Smep = 1UL << 20,
        Smap = 1UL << 21,
        ProtectionKeys = 1UL << 22,
    }

    /// <summary>IA32_EFER bits (SDM Vol. 3A §2.2.1, Table 2-1; APM Vol. 2 §3.1.7).</summary>
    [Flags]
    public enum EferBits : ulong
    {
        SyscallEnable = 1UL << 0,
        LongModeEnable = 1UL << 8,
        LongModeActive = 1UL << 10,
        NoExecuteEnable = 1UL << 11,
        /// <summary>AMD: SVM enable. Guests never see SVM, so setting it is refused.</summary>
        SvmEnable = 1UL << 12,
    }

    /// <summary>RFLAGS bits (SDM Vol. 1 §3.4.3).</summary>
    [Flags]
    public enum RflagsBits : ulong
    {
        InterruptEnable = 1UL << 9,
        Direction = 1UL << 10,
        AlignmentCheck = 1UL << 18,
    }

    /// <summary>Exception vectors (SDM Vol. 3A §6.3.1, Table 6-1).</summary>
    public enum ExceptionVector : byte
    {
        DivideError = 0,
        Debug = 1,
        Nmi = 2,
        Breakpoint = 3,
        Overflow = 4,
        BoundRange = 5,
        InvalidOpcode = 6,
        DeviceNotAvailable = 7,
        DoubleFault = 8,
        InvalidTss = 10,
        SegmentNotPresent = 11,
        StackFault = 12,
        GeneralProtection = 13,
        PageFault = 14,
        FloatingPoint = 16,
        AlignmentCheck = 17,
        MachineCheck = 18,
        SimdFloatingPoint = 19,
        Virtualization = 20,
        ControlProtection = 21,
    }

    /// <summary>Page-fault error code (SDM Vol. 3A §4.7, Figure 4-12).</summary>
    [Flags]
    public enum PageFaultErrorCode : uint
    {
        /// <summary>0: the page was not present; 1: a protection or reserved-bit violation.</summary>
        Present = 1u << 0,
        Write = 1u << 1,
        User = 1u << 2,
        ReservedBit = 1u << 3,
        InstructionFetch = 1u << 4,
    }

    /// <summary>Paging-structure entry bits common to 32-bit, PAE and 4-level paging (SDM Vol. 3A §4.3-4.5).</summary>
    [Flags]
    public enum PageEntryBits : ulong
    {
        Present = 1UL << 0,
        Writable = 1UL << 1,
        User = 1UL << 2,
        /// <summary>PS: maps a 4 MiB (32-bit), 2 MiB (PDE) or 1 GiB (PDPTE) page.</summary>
        LargePage = 1UL << 7,
        ExecuteDisable = 1UL << 63,
    }
}
