using System;

namespace Hv.Virt.Vmx
{
    /// <summary>Interruption types of the VM-entry / VM-exit interruption-information fields (SDM Vol. 3C Tables "Format of the VM-Entry Interruption-Information Field" and "... VM-Exit Interruption-Information Field").</summary>
    public enum InterruptionType : byte
    {
        ExternalInterrupt = 0,
        Nmi = 2,
        HardwareException = 3,
        SoftwareInterrupt = 4,
        PrivilegedSoftwareException = 5,
        SoftwareException = 6,
        OtherEvent = 7,
    }

    /// <summary>
    /// One interruption-information value (entry, exit and IDT-vectoring fields share the layout):
    /// bits 7:0 vector, 10:8 type, 11 error code valid/deliver, 12 NMI unblocking due to IRET (exit
    /// fields only), 30:13 reserved, 31 valid.
    /// </summary>
    public readonly struct InterruptionInfo
    {
        public const uint ErrorCodeBit = 1u << 11, NmiUnblockingBit = 1u << 12, ValidBit = 1u << 31;
        public readonly uint Raw;

        public InterruptionInfo(uint raw) { Raw = raw; }

        public static InterruptionInfo Make(InterruptionType type, byte vector, bool errorCode)
            => new InterruptionInfo(ValidBit | ((uint)type << 8) | vector | (errorCode ? ErrorCodeBit : 0));

        public bool Valid => (Raw & ValidBit) != 0;
        public byte Vector => (byte)Raw;
        public InterruptionType Type => (InterruptionType)((Raw >> 8) & 7);
        public bool HasErrorCode => (Raw & ErrorCodeBit) != 0;
        public bool NmiUnblockingDueToIret => (Raw & NmiUnblockingBit) != 0;
        /// <summary>Bits 30:12 must be 0 in the VM-entry field (SDM "Checks on VM-Entry Control Fields").</summary>
        public uint EntryReservedBits => Raw & 0x7FFF_F000;
    }

    /// <summary>Guest interruptibility state (SDM Vol. 3C Table "Format of Interruptibility State").</summary>
    [Flags]
    public enum Interruptibility : uint
    {
        None = 0,
        BlockingBySti = 1u << 0,
        BlockingByMovSs = 1u << 1,
        BlockingBySmi = 1u << 2,
        BlockingByNmi = 1u << 3,
        EnclaveInterruption = 1u << 4,
    }

    /// <summary>Guest activity state (SDM Vol. 3C "Guest Non-Register State").</summary>
    public enum ActivityState : uint { Active = 0, Hlt = 1, Shutdown = 2, WaitForSipi = 3 }

    /// <summary>
    /// Segment access rights as the VMCS holds them (SDM Vol. 3C "Guest Register State", Table
    /// "Format of Access Rights"): bits 3:0 type, 4 S, 6:5 DPL, 7 P, 12 AVL, 13 L, 14 D/B, 15 G,
    /// 16 unusable; 11:8 and 31:17 reserved.
    /// </summary>
    public readonly struct AccessRights
    {
        public const uint S = 1u << 4, P = 1u << 7, Avl = 1u << 12, L = 1u << 13, DB = 1u << 14, G = 1u << 15, UnusableBit = 1u << 16;
        /// <summary>Bits that must be 0 in a usable segment's field.</summary>
        public const uint Reserved = 0xF00u | 0xFFFE_0000u;
        public readonly uint Raw;

        public AccessRights(uint raw) { Raw = raw; }

        public uint Type => Raw & 0xF;
        public bool System => (Raw & S) == 0;
        public uint Dpl => (Raw >> 5) & 3;
        public bool Present => (Raw & P) != 0;
        public bool Long => (Raw & L) != 0;
        public bool DefaultBig => (Raw & DB) != 0;
        public bool Granularity => (Raw & G) != 0;
        public bool Unusable => (Raw & UnusableBit) != 0;

        /// <summary>Code/data segment: type | S | DPL | P | D/B | G.</summary>
        public static uint CodeData(uint type, uint dpl, bool big, bool granular)
            => type | S | (dpl << 5) | P | (big ? DB : 0) | (granular ? G : 0);

        /// <summary>System segment (TSS, LDT): type | DPL 0 | P.</summary>
        public static uint SystemSegment(uint type) => type | P;
    }

    /// <summary>Segment types used here (SDM Vol. 3A Tables 3-1 and 3-2).</summary>
    public static class SegmentType
    {
        public const uint DataReadWriteAccessed = 3, CodeExecReadAccessed = 11, Ldt = 2, BusyTss16 = 3, BusyTss32 = 11;
    }
}
