using System;

namespace Hv.Acpi
{
    /// <summary>MADT Interrupt Controller Structure types (ACPI 6.5 §5.2.12, Table 5.21).</summary>
    public enum MadtEntryType : byte
    {
        LocalApic = 0x00,
        IoApic = 0x01,
        InterruptSourceOverride = 0x02,
        NmiSource = 0x03,
        LocalApicNmi = 0x04,
        LocalApicAddressOverride = 0x05,
        IoSapic = 0x06,
        LocalSapic = 0x07,
        PlatformInterruptSources = 0x08,
        LocalX2Apic = 0x09,
        LocalX2ApicNmi = 0x0A,
        GicCpuInterface = 0x0B,
        GicDistributor = 0x0C,
        GicMsiFrame = 0x0D,
        GicRedistributor = 0x0E,
        GicIts = 0x0F,
        MultiprocessorWakeup = 0x10,
    }

    /// <summary>MADT Flags (ACPI 6.5 Table 5.20).</summary>
    [Flags]
    public enum MadtFlags : uint
    {
        None = 0,
        /// <summary>The system also has dual 8259 PICs, which must be masked to use the APICs.</summary>
        PcAtCompat = 1 << 0,
    }

    /// <summary>Local APIC / x2APIC Flags (ACPI 6.5 Table 5.23).</summary>
    [Flags]
    public enum LocalApicFlags : uint
    {
        None = 0,
        Enabled = 1 << 0,
        /// <summary>ACPI 6.3+: disabled now but may be brought online (hot-add); meaningless when Enabled.</summary>
        OnlineCapable = 1 << 1,
    }

    /// <summary>MPS INTI flags polarity, bits 1:0 (ACPI 6.5 Table 5.26).</summary>
    public enum InterruptPolarity : byte
    {
        ConformsToBus = 0,
        ActiveHigh = 1,
        Reserved = 2,
        ActiveLow = 3,
    }

    /// <summary>MPS INTI flags trigger mode, bits 3:2 (ACPI 6.5 Table 5.26).</summary>
    public enum InterruptTrigger : byte
    {
        ConformsToBus = 0,
        Edge = 1,
        Reserved = 2,
        Level = 3,
    }

    /// <summary>The 16-bit MPS INTI flags of overrides and NMI structures (ACPI 6.5 Table 5.26).</summary>
    public readonly struct MpsIntiFlags
    {
        public readonly ushort Raw;

        public MpsIntiFlags(ushort raw) { Raw = raw; }

        public InterruptPolarity Polarity => (InterruptPolarity)(Raw & 3);
        public InterruptTrigger Trigger => (InterruptTrigger)((Raw >> 2) & 3);
    }

    /// <summary>Processor Local APIC, type 0, 8 bytes (ACPI 6.5 §5.2.12.2): 2 UID, 3 APIC ID, 4 Flags.</summary>
    public struct MadtLocalApic
    {
        public const int Length = 8;
        public byte ProcessorUid;
        public byte ApicId;
        public LocalApicFlags Flags;
    }

    /// <summary>I/O APIC, type 1, 12 bytes (ACPI 6.5 §5.2.12.3): 2 ID, 4 Address, 8 GSI base.</summary>
    public struct MadtIoApic
    {
        public const int Length = 12;
        public byte Id;
        public uint Address;
        public uint GsiBase;
    }

    /// <summary>Interrupt Source Override, type 2, 10 bytes (ACPI 6.5 §5.2.12.5): 2 Bus, 3 Source, 4 GSI, 8 Flags.</summary>
    public struct MadtInterruptOverride
    {
        public const int Length = 10;
        /// <summary>0 = ISA, the only bus the spec defines.</summary>
        public byte Bus;
        /// <summary>The bus-relative IRQ (ISA IRQ number).</summary>
        public byte Source;
        public uint Gsi;
        public MpsIntiFlags Flags;
    }

    /// <summary>NMI Source, type 3, 8 bytes (ACPI 6.5 §5.2.12.6): 2 Flags, 4 GSI.</summary>
    public struct MadtNmiSource
    {
        public const int Length = 8;
        public MpsIntiFlags Flags;
        public uint Gsi;
    }

    /// <summary>Local APIC NMI, type 4, 6 bytes (ACPI 6.5 §5.2.12.7): 2 UID (0xFF = all), 3 Flags, 5 LINT#.</summary>
    public struct MadtLocalApicNmi
    {
        public const int Length = 6;
        public const byte AllProcessors = 0xFF;
        public byte ProcessorUid;
        public MpsIntiFlags Flags;
        public byte Lint;
    }

    /// <summary>Local x2APIC, type 9, 16 bytes (ACPI 6.5 §5.2.12.12): 4 x2APIC ID, 8 Flags, 12 UID.</summary>
    public struct MadtLocalX2Apic
    {
        public const int Length = 16;
        public uint X2ApicId;
        public LocalApicFlags Flags;
        public uint ProcessorUid;
    }

    /// <summary>Local x2APIC NMI, type 0xA, 12 bytes (ACPI 6.5 §5.2.12.13): 2 Flags, 4 UID (all ones = all), 8 LINT#.</summary>
    public struct MadtLocalX2ApicNmi
    {
        public const int Length = 12;
        public const uint AllProcessors = 0xFFFFFFFF;
        public MpsIntiFlags Flags;
        public uint ProcessorUid;
        public byte Lint;
    }

    /// <summary>Local APIC Address Override, type 5, 12 bytes (ACPI 6.5 §5.2.12.8): 4 Address (u64).</summary>
    public struct MadtLocalApicAddressOverride
    {
        public const int Length = 12;
        public ulong Address;
    }
}
