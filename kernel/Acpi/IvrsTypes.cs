using System;

namespace Hv.Acpi
{
    /// <summary>IVRS block types (AMD I/O Virtualization Technology (IOMMU) Specification 48882 rev 3.x §5.2.2, §5.2.3).</summary>
    public enum IvrsBlockType : byte
    {
        /// <summary>IVHD with the legacy fixed layout (24-byte header).</summary>
        Ivhd10 = 0x10,
        /// <summary>IVHD with EFR image (40-byte header); describes the same IOMMU as a 10h block.</summary>
        Ivhd11 = 0x11,
        /// <summary>IVHD type 11h plus ACPI HID device entries (40-byte header).</summary>
        Ivhd40 = 0x40,
        /// <summary>IVMD for all peripherals.</summary>
        IvmdAll = 0x20,
        /// <summary>IVMD for the peripheral named by DeviceID.</summary>
        IvmdSelect = 0x21,
        /// <summary>IVMD for the DeviceIDs from DeviceID to the auxiliary data field.</summary>
        IvmdRange = 0x22,
    }

    /// <summary>IVHD Flags byte (48882 §5.2.2.1).</summary>
    [Flags]
    public enum IvhdFlags : byte
    {
        None = 0,
        HtTunnel = 1 << 0,
        PassPw = 1 << 1,
        ResPassPw = 1 << 2,
        Isoc = 1 << 3,
        IotlbSupported = 1 << 4,
        Coherent = 1 << 5,
        PrefetchSupported = 1 << 6,
        PprSupported = 1 << 7,
    }

    /// <summary>IVMD Flags byte (48882 §5.2.3).</summary>
    [Flags]
    public enum IvmdFlags : byte
    {
        None = 0,
        Unity = 1 << 0,
        ReadPermission = 1 << 1,
        WritePermission = 1 << 2,
        ExclusionRange = 1 << 3,
    }

    /// <summary>
    /// IVHD device entry types (48882 §5.2.2.2). Bits 7:6 of the type give the entry length
    /// (4, 8, 16 or 32 bytes), except AcpiHid, whose length is 22 + its UID length.
    /// </summary>
    public enum IvhdEntryType : byte
    {
        Pad4 = 0x00,
        All = 0x01,
        Select = 0x02,
        RangeStart = 0x03,
        RangeEnd = 0x04,
        Pad8 = 0x40,
        AliasSelect = 0x42,
        AliasRangeStart = 0x43,
        ExtendedSelect = 0x46,
        ExtendedRangeStart = 0x47,
        Special = 0x48,
        AcpiHid = 0xF0,
    }

    /// <summary>The DTE setting byte of a device entry (48882 §5.2.2.2): interrupt pass-through bits.</summary>
    [Flags]
    public enum DteSetting : byte
    {
        None = 0,
        InitPass = 1 << 0,
        ExtIntPass = 1 << 1,
        NmiPass = 1 << 2,
        SysMgt0 = 1 << 4,
        SysMgt1 = 1 << 5,
        Lint0Pass = 1 << 6,
        Lint1Pass = 1 << 7,
    }

    /// <summary>What a special device entry (type 48h) names.</summary>
    public enum SpecialVariety : byte
    {
        None = 0,
        IoApic = 1,
        Hpet = 2,
    }

    /// <summary>
    /// An IVHD block's fixed part (48882 §5.2.2.1):
    /// <code>
    ///  0 Type  1 Flags  2 Length (u16)  4 DeviceID (the IOMMU's BDF)  6 Capability Offset  8 IOMMU Base (u64)
    /// 16 PCI Segment  18 IOMMU Info  20 Feature Reporting (10h) / Attributes (11h, 40h)
    /// 24 EFR Register Image (u64, 11h and 40h)  32 EFR2 image or reserved  40 device entries (24 for 10h)
    /// </code>
    /// </summary>
    public struct IvrsIvhd
    {
        public const int Length10 = 24;
        public const int Length11 = 40;

        public IvrsBlockType Type;
        public IvhdFlags Flags;
        public ushort DeviceId;
        public ushort CapabilityOffset;
        public ulong BaseAddress;
        public ushort Segment;
        public ushort IommuInfo;
        public uint Attributes;
        /// <summary>The Extended Feature Register image (11h, 40h); 0 for type 10h.</summary>
        public ulong Efr;

        /// <summary>The MSI message number of the IOMMU's event interrupt (IOMMU Info bits 4:0).</summary>
        public int MsiNumber => IommuInfo & 0x1F;
    }

    /// <summary>IVMD block, 32 bytes (48882 §5.2.3): 4 DeviceID, 6 Auxiliary data, 16 Start (u64), 24 Length (u64).</summary>
    public struct IvrsIvmd
    {
        public const int Length = 32;

        public IvrsBlockType Type;
        public IvmdFlags Flags;
        /// <summary>First DeviceID covered (IvmdSelect, IvmdRange); 0 for IvmdAll.</summary>
        public ushort FirstDevice;
        /// <summary>Last DeviceID covered: the auxiliary data for IvmdRange, FirstDevice for IvmdSelect, 0xFFFF for IvmdAll.</summary>
        public ushort LastDevice;
        public ulong Start;
        public ulong Bytes;
    }

    /// <summary>
    /// One decoded device entry of an IVHD: the DeviceIDs First..Last (a start/end pair is
    /// folded into one range) and the settings that apply to them.
    /// </summary>
    public struct IvhdDeviceRange
    {
        /// <summary>The entry that gave the range (for pairs, the start entry's type).</summary>
        public IvhdEntryType Entry;
        /// <summary>Offset of that entry in the IVRS table.</summary>
        public int Offset;
        public ushort First;
        public ushort Last;
        public DteSetting Dte;
        /// <summary>Alias entries: the DeviceID the IOMMU sees for requests from these devices.</summary>
        public ushort AliasSource;
        /// <summary>Extended entries: the extended DTE setting (bit 31: ATS disabled).</summary>
        public uint ExtendedSetting;
        /// <summary>Special entries: the IOAPIC ID or HPET number.</summary>
        public byte Handle;
        public SpecialVariety Variety;
        /// <summary>ACPI HID entries: the _HID and _CID as 8 raw bytes each.</summary>
        public ulong Hid, Cid;

        public int Count => Last - First + 1;
    }
}
