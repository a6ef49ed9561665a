using System;

// Architectural register bits the VMX backend sets, checks and shadows (SDM Vol. 3A §2.5
// "Control Registers", §2.2.1 "Extended Feature Enable Register", Vol. 1 §3.4.3 "EFLAGS").
namespace Hv.Virt.Vmx
{
    [Flags]
    public enum Cr0 : ulong
    {
        PE = 1ul << 0, MP = 1ul << 1, EM = 1ul << 2, TS = 1ul << 3, ET = 1ul << 4, NE = 1ul << 5,
        WP = 1ul << 16, AM = 1ul << 18, NW = 1ul << 29, CD = 1ul << 30, PG = 1ul << 31,
    }

    [Flags]
    public enum Cr4 : ulong
    {
        VME = 1ul << 0, PVI = 1ul << 1, TSD = 1ul << 2, DE = 1ul << 3, PSE = 1ul << 4, PAE = 1ul << 5,
        MCE = 1ul << 6, PGE = 1ul << 7, PCE = 1ul << 8, OSFXSR = 1ul << 9, OSXMMEXCPT = 1ul << 10,
        UMIP = 1ul << 11, LA57 = 1ul << 12, VMXE = 1ul << 13, SMXE = 1ul << 14, FSGSBASE = 1ul << 16,
        PCIDE = 1ul << 17, OSXSAVE = 1ul << 18, SMEP = 1ul << 20, SMAP = 1ul << 21, PKE = 1ul << 22,
        CET = 1ul << 23,
    }

    [Flags]
    public enum Efer : ulong
    {
        SCE = 1ul << 0, LME = 1ul << 8, LMA = 1ul << 10, NXE = 1ul << 11,
    }

    [Flags]
    public enum Rflags : ulong
    {
        CF = 1ul << 0, Reserved1 = 1ul << 1, TF = 1ul << 8, IF = 1ul << 9, DF = 1ul << 10,
        VM = 1ul << 17,
    }

    /// <summary>Architectural MSR numbers the backend uses (SDM Vol. 4 Table 2-2).</summary>
    public enum X86Msr : uint
    {
        SysenterCs = 0x174,
        SysenterEsp = 0x175,
        SysenterEip = 0x176,
        Pat = 0x277,
        Efer = 0xC000_0080,
        FsBase = 0xC000_0100,
        GsBase = 0xC000_0101,
        KernelGsBase = 0xC000_0102,
        Star = 0xC000_0081,
        Lstar = 0xC000_0082,
        Cstar = 0xC000_0083,
        Sfmask = 0xC000_0084,
        TscAux = 0xC000_0103,
    }

    /// <summary>Exception vectors (SDM Vol. 3A §6.3.1, Table 6-1) the backend names.</summary>
    public static class ExceptionVector
    {
        public const byte DoubleFault = 8, InvalidTss = 10, SegmentNotPresent = 11, StackFault = 12,
            GeneralProtection = 13, PageFault = 14, AlignmentCheck = 17, MachineCheck = 18;

        /// <summary>
        /// Exceptions that push an error code in protected mode and that VM entry lets us inject with
        /// one (SDM "Checks on VM-Entry Control Fields": 8, 10-14, 17; #CP exists only with CET, unused).
        /// </summary>
        public static bool HasErrorCode(byte v)
            => v == DoubleFault || (v >= InvalidTss && v <= PageFault) || v == AlignmentCheck;
    }
}
