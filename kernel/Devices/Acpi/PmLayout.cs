// Where the guest's ACPI fixed hardware lives: the one place the FADT/DSDT builder and the device
// model take their numbers from. ACPI 6.x §4.8 (fixed hardware programming model), §5.2.9 (FADT).
//
//   0x600  PM1a_EVT_BLK  4 bytes  PM1_STS (2, write-1-to-clear) | PM1_EN (2)
//   0x604  PM1a_CNT_BLK  2 bytes  PM1_CNT: SCI_EN (always 1), SLP_TYPx, SLP_EN
//   0x608  PM_TMR_BLK    4 bytes  32-bit PM timer at 3.579545 MHz (FADT flag TMR_VAL_EXT = 1)
//   0x620  GPE0_BLK      4 bytes  GPE0_STS (2, write-1-to-clear) | GPE0_EN (2): GPEs 0-15
//   0xCF9  RESET_REG     1 byte   system I/O, RESET_VALUE 0x06 (FADT flag RESET_REG_SUP = 1)
//   SCI    IRQ 9, level
//
// No SMI_CMD (0): the machine is always in ACPI mode, so SCI_EN reads 1 and ACPI_ENABLE /
// ACPI_DISABLE are 0. No PM1b or PM2 blocks, no GPE1.
namespace Hv.Devices.Acpi
{
    public static class PmLayout
    {
        /// <summary>First port of the AcpiPmDevice, which claims [IoBase, IoBase + IoLength).</summary>
        public const ushort IoBase = 0x600;
        public const ushort IoLength = 0x24;

        public const ushort Pm1aEventBlock = 0x600;
        /// <summary>FADT PM1_EVT_LEN: PM1_STS and PM1_EN, 2 bytes each.</summary>
        public const byte Pm1EventLength = 4;
        public const ushort Pm1aControlBlock = 0x604;
        /// <summary>FADT PM1_CNT_LEN.</summary>
        public const byte Pm1ControlLength = 2;
        public const ushort PmTimerBlock = 0x608;
        /// <summary>FADT PM_TMR_LEN.</summary>
        public const byte PmTimerLength = 4;
        /// <summary>The PM timer counts 32 bits: the FADT must set TMR_VAL_EXT (Fixed Feature Flags bit 8).</summary>
        public const bool PmTimer32Bit = true;
        public const ulong PmTimerHz = 3_579_545;
        public const ushort Gpe0Block = 0x620;
        /// <summary>FADT GPE0_BLK_LEN: GPE0_STS then GPE0_EN, half each (16 GPEs).</summary>
        public const byte Gpe0Length = 4;
        /// <summary>FADT GPE1_BASE: GPE0 holds GPEs 0 to Gpe0Length * 4 - 1.</summary>
        public const int Gpe0Count = Gpe0Length / 2 * 8;

        /// <summary>FADT SMI_CMD = 0: no legacy mode, SCI_EN is always set.</summary>
        public const ushort SmiCommandPort = 0;
        /// <summary>FADT SCI_INT: ISA IRQ 9, level-triggered (MADT interrupt source override: IRQ 9, level, active high).</summary>
        public const int SciIrq = 9;

        /// <summary>FADT RESET_REG: a 1-byte system I/O register at 0xCF9 (also the chipset reset control register).</summary>
        public const ushort ResetRegisterPort = 0xCF9;
        /// <summary>FADT RESET_VALUE: SYS_RST | RST_CPU, a hard reset.</summary>
        public const byte ResetValue = 0x06;

        /// <summary>SLP_TYPa for \_S0 (working) in the DSDT: Name(\_S0, Package() { 0, 0, 0, 0 }).</summary>
        public const byte SlpTypS0 = 0;
        /// <summary>SLP_TYPa for \_S5 (soft off) in the DSDT: Name(\_S5, Package() { 5, 5, 0, 0 }). No \_S1-\_S4.</summary>
        public const byte SlpTypS5 = 5;

        // Offsets of the blocks inside the AcpiPmDevice's range.
        internal const ulong Pm1StatusOffset = Pm1aEventBlock - IoBase;
        internal const ulong Pm1EnableOffset = Pm1StatusOffset + 2;
        internal const ulong Pm1ControlOffset = Pm1aControlBlock - IoBase;
        internal const ulong PmTimerOffset = PmTimerBlock - IoBase;
        internal const ulong Gpe0StatusOffset = Gpe0Block - IoBase;
        internal const ulong Gpe0EnableOffset = Gpe0StatusOffset + Gpe0Length / 2;
    }
}
