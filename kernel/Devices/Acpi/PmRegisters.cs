// ACPI fixed-hardware register bits: ACPI 6.x §4.8.4.1 (PM1 status and enable), §4.8.4.2 (PM1
// control); Intel ICH/PCH datasheets, "Reset Control Register (RST_CNT), I/O 0xCF9".
using System;

namespace Hv.Devices.Acpi
{
    /// <summary>PM1_STS (write 1 to clear).</summary>
    [Flags]
    public enum Pm1Status : ushort
    {
        /// <summary>The PM timer's top bit (bit 31 here, TMR_VAL_EXT) changed.</summary>
        Timer = 0x0001,
        BusMaster = 0x0010,
        Global = 0x0020,
        PowerButton = 0x0100,
        SleepButton = 0x0200,
        Rtc = 0x0400,
        PciExpressWake = 0x4000,
        Wake = 0x8000,
    }

    /// <summary>PM1_EN.</summary>
    [Flags]
    public enum Pm1Enable : ushort
    {
        Timer = 0x0001,
        Global = 0x0020,
        PowerButton = 0x0100,
        SleepButton = 0x0200,
        Rtc = 0x0400,
        PciExpressWakeDisable = 0x4000,
        Writable = Timer | Global | PowerButton | SleepButton | Rtc | PciExpressWakeDisable,
    }

    /// <summary>PM1_CNT.</summary>
    [Flags]
    public enum Pm1Control : ushort
    {
        SciEnable = 0x0001,
        BusMasterReload = 0x0002,
        /// <summary>Write-only: releases the global lock to firmware (no firmware here).</summary>
        GlobalRelease = 0x0004,
        SleepTypeMask = 0x1C00,
        /// <summary>Write-only: enter the sleep state SLP_TYPx.</summary>
        SleepEnable = 0x2000,
        /// <summary>The bits that read back as written.</summary>
        Stored = BusMasterReload | SleepTypeMask,
    }

    /// <summary>Reset control register at 0xCF9.</summary>
    [Flags]
    public enum ResetControl : byte
    {
        /// <summary>SYS_RST: 1 = hard reset (platform), 0 = soft reset (INIT).</summary>
        SystemReset = 0x02,
        /// <summary>RST_CPU: a 0-to-1 write starts the reset SYS_RST selects; reads 0.</summary>
        ResetCpu = 0x04,
        /// <summary>FULL_RST: power-cycle on a hard reset.</summary>
        FullReset = 0x08,
        Stored = SystemReset | FullReset,
    }

    internal static class PmBits
    {
        public const int SleepTypeShift = 10;
    }
}
