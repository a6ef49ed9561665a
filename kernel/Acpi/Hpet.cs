using System;

namespace Hv.Acpi
{
    /// <summary>HPET table Page Protection and OEM Attribute, bits 3:0 (IA-PC HPET 1.0a §3.2.4, Table 3).</summary>
    public enum HpetPageProtection : byte
    {
        None = 0,
        Protected4K = 1,
        Protected64K = 2,
    }

    /// <summary>
    /// The HPET description table (IA-PC HPET Specification 1.0a §3.2.4, Table 3), 56 bytes:
    /// <code>
    /// 36 Event Timer Block ID (u32): 7:0 hardware revision, 12:8 number of the last comparator,
    ///    13 COUNT_SIZE_CAP (64-bit counter), 15 legacy replacement IRQ routing capable, 31:16 PCI vendor ID
    /// 40 Base Address (GAS, system memory)   52 HPET Number   53 Main Counter Minimum Clock Tick (u16)
    /// 55 Page Protection and OEM Attribute
    /// </code>
    /// </summary>
    public struct Hpet
    {
        public const int Length = 56;

        public SdtHeader Header;
        public uint EventTimerBlockId;
        public GenericAddress BaseAddress;
        public byte Number;
        /// <summary>Minimum clock ticks between periodic-mode interrupts without losing any.</summary>
        public ushort MinimumTick;
        public byte PageProtectionAndOem;

        public byte HardwareRevision => (byte)EventTimerBlockId;
        /// <summary>Comparators in the first timer block: the field holds the last one's number.</summary>
        public int ComparatorCount => (int)((EventTimerBlockId >> 8) & 0x1F) + 1;
        public bool Counter64Bit => (EventTimerBlockId & (1u << 13)) != 0;
        public bool LegacyReplacementCapable => (EventTimerBlockId & (1u << 15)) != 0;
        public ushort PciVendorId => (ushort)(EventTimerBlockId >> 16);
        public HpetPageProtection PageProtection => (HpetPageProtection)(PageProtectionAndOem & 0xF);

        public static AcpiError TryParse(ReadOnlySpan<byte> table, out Hpet hpet)
        {
            hpet = default;
            AcpiError e = SdtHeader.TryParse(table, AcpiSignature.Hpet, Length, out SdtHeader h);
            if (!e.Ok)
                return e;
            Hpet v;
            v.Header = h;
            v.EventTimerBlockId = Le.U32(table, 36);
            v.BaseAddress = GenericAddress.Read(table, 40);
            v.Number = table[52];
            v.MinimumTick = Le.U16(table, 53);
            v.PageProtectionAndOem = table[55];
            if (v.BaseAddress.Space != AddressSpace.SystemMemory || v.BaseAddress.Address == 0)
                return AcpiError.Field(AcpiSignature.Hpet, 40, "base address is not a non-zero system memory address",
                    (ulong)v.BaseAddress.Space, v.BaseAddress.Address);
            hpet = v;
            return AcpiError.None;
        }
    }
}
