// MC146818A register map and bits (Motorola MC146818A datasheet, "Address Map", "Register A-D";
// the PC AT CMOS layout of the bytes after 0x0D is the IBM PC/AT Technical Reference's, plus the
// conventions SeaBIOS/OVMF and Linux read: memory above 16 MiB at 0x34, above 4 GiB at 0x5B).
using System;

namespace Hv.Devices.Rtc
{
    /// <summary>CMOS indices the RTC itself implements (0x00-0x0D) and the PC layout bytes it keeps meaningful.</summary>
    public enum CmosIndex : byte
    {
        Seconds = 0x00,
        SecondsAlarm = 0x01,
        Minutes = 0x02,
        MinutesAlarm = 0x03,
        Hours = 0x04,
        HoursAlarm = 0x05,
        DayOfWeek = 0x06,
        DayOfMonth = 0x07,
        Month = 0x08,
        Year = 0x09,
        RegisterA = 0x0A,
        RegisterB = 0x0B,
        RegisterC = 0x0C,
        RegisterD = 0x0D,
        /// <summary>First byte of the 114 bytes of NVRAM.</summary>
        NvramFirst = 0x0E,
        DiagnosticStatus = 0x0E,
        ShutdownStatus = 0x0F,
        FloppyTypes = 0x10,
        HardDiskTypes = 0x12,
        Equipment = 0x14,
        BaseMemoryLow = 0x15,
        BaseMemoryHigh = 0x16,
        ExtendedMemoryLow = 0x17,
        ExtendedMemoryHigh = 0x18,
        /// <summary>Checksum (big-endian) of bytes 0x10-0x2D.</summary>
        ChecksumHigh = 0x2E,
        ChecksumLow = 0x2F,
        ExtendedMemoryPostLow = 0x30,
        ExtendedMemoryPostHigh = 0x31,
        /// <summary>Century, the ACPI FADT CENTURY field's usual value: kept with the time here.</summary>
        Century = 0x32,
        /// <summary>RAM from 16 MiB to 4 GiB in 64 KiB units (16 bits).</summary>
        MemoryAbove16MLow = 0x34,
        MemoryAbove16MHigh = 0x35,
        /// <summary>RAM above 4 GiB in 64 KiB units (24 bits, 0x5B-0x5D).</summary>
        MemoryAbove4G = 0x5B,
        Last = 0x7F,
    }

    /// <summary>Register A: UIP (read-only), divider DV2-0, rate select RS3-0.</summary>
    [Flags]
    public enum RtcRegisterA : byte
    {
        RateMask = 0x0F,
        DividerMask = 0x70,
        /// <summary>DV = 010: the 32.768 kHz time base, the only setting in which the clock runs.</summary>
        DividerNormal = 0x20,
        UpdateInProgress = 0x80,
        Writable = 0x7F,
    }

    /// <summary>Register B.</summary>
    [Flags]
    public enum RtcRegisterB : byte
    {
        DaylightSaving = 0x01,
        Hours24 = 0x02,
        /// <summary>DM: 1 = binary, 0 = BCD.</summary>
        Binary = 0x04,
        SquareWave = 0x08,
        UpdateEndedInterrupt = 0x10,
        AlarmInterrupt = 0x20,
        PeriodicInterrupt = 0x40,
        /// <summary>Updates stop; the time registers can be set.</summary>
        Set = 0x80,
    }

    /// <summary>Register C: interrupt flags, read-only, cleared by a read.</summary>
    [Flags]
    public enum RtcRegisterC : byte
    {
        UpdateEnded = 0x10,
        Alarm = 0x20,
        Periodic = 0x40,
        /// <summary>IRQF = PF·PIE + AF·AIE + UF·UIE; while set the IRQ line is asserted.</summary>
        Irq = 0x80,
        Sources = 0x70,
    }

    /// <summary>Register D: VRT, valid RAM and time (the battery is good).</summary>
    [Flags]
    public enum RtcRegisterD : byte
    {
        ValidRamAndTime = 0x80,
    }
}
