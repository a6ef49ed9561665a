// The guest platform in one place: where things are in a VM's physical address space, its I/O
// ports and its interrupt lines. The ACPI tables (GuestAcpiTables, dsdt.asl), the Linux loader
// and the device models all describe this one machine, so they all take their numbers from here.
//
// The port and IRQ constants MUST MATCH kernel/Devices/Acpi/PmLayout.cs and
// kernel/Devices/Pci/PciLayout.cs (written in parallel by the device-model work); the values in
// dsdt.asl must match too (tests/Unit/Platform/DsdtAmlTests.cs checks the compiled AML).
using System;

namespace Hv.Virt.Platform
{
    /// <summary>
    /// The guest-physical map (a PC/Q35-like layout; addresses are guest-physical):
    /// <code>
    /// 0x0000_0000 .. 0x0000_0FFF  real-mode IVT and BIOS data area: left zero (a zero BDA tells
    ///                             Linux "no EBDA", so it uses its defaults)
    /// 0x0000_1000 .. 0x0000_1FFF  Linux boot: GDT (null, null, __BOOT_CS 0x10, __BOOT_DS 0x18)
    /// 0x0000_2000 .. 0x0000_2FFF  Linux boot: a stack page (RSP = 0x3000 at entry)
    /// 0x0000_3000 .. 0x0000_3FFF  Linux boot: PML4
    /// 0x0000_4000 .. 0x0000_4FFF  Linux boot: PDPT
    /// 0x0000_5000 .. 0x0000_8FFF  Linux boot: 4 page directories, 2 MiB pages, identity 0..4 GiB
    /// 0x0000_9000 .. 0x0000_9FFF  Linux boot: boot_params (the "zero page")
    /// 0x0000_A000 .. 0x0000_AFFF  Linux boot: kernel command line (at most 4095 bytes + NUL)
    /// 0x0000_B000 .. 0x0009_FBFF  free RAM (the Multiboot loader uses 0x9000..0x9FFF for its own
    ///                             information area; the two loaders never run for one VM)
    /// 0x0009_FC00 .. 0x000F_FFFF  reserved in the E820 map (EBDA slot, legacy video and ROM
    ///                             area); RAM-backed in the VM so the tables below can live there
    /// 0x000E_0000 .. 0x000F_FFFF  ACPI tables, RSDP first at 0xE0000 (Linux scans this range on
    ///                             16-byte boundaries when boot_params.acpi_rsdp_addr is 0)
    /// 0x0010_0000 .. LowRamEnd    RAM (kernel, initrd); LowRamEnd = min(RAM, 0xB000_0000)
    /// 0xB000_0000 .. 0xBFFF_FFFF  PCI Express ECAM, segment 0, buses 0-255 (256 MiB)
    /// 0xC000_0000 .. 0xFEBF_FFFF  32-bit PCI BAR window (the root bridge's _CRS)
    /// 0xFEC0_0000 .. 0xFEC0_0FFF  IOAPIC (ID 0, GSI 0-23)
    /// 0xFEE0_0000 .. 0xFEE0_0FFF  local APICs
    /// 0x1_0000_0000 ..            the rest of RAM when the VM has more than LowRamLimit
    /// </code>
    /// The Linux boot structures sit below 0x9C000: Linux's decompressor may borrow the two pages
    /// just below the EBDA start it computes (0x9F000 with a zero BDA) for its 5-level paging
    /// trampoline while still running on the loader's page tables.
    /// </summary>
    public static class GuestPlatformLayout
    {
        // ---- Low memory: the Linux boot structures (kernel/Loader/LinuxLoader.cs) ----
        public const ulong BootGdt = 0x1000;
        public const ulong BootStackTop = 0x3000;
        public const ulong BootPml4 = 0x3000;
        public const ulong BootPdpt = 0x4000;
        /// <summary>Four page directories, one per GiB: 0x5000, 0x6000, 0x7000, 0x8000.</summary>
        public const ulong BootPageDirectories = 0x5000;
        public const ulong BootParams = 0x9000;
        public const ulong BootCommandLine = 0xA000;
        public const int BootCommandLineMax = 4095;
        /// <summary>End (exclusive) of the boot structures: [BootGdt, BootAreaEnd) is written by the Linux loader.</summary>
        public const ulong BootAreaEnd = 0xB000;

        // ---- The legacy hole and the ACPI tables ----
        /// <summary>Start of the range the E820 map reports reserved (a PC's EBDA begins at 639 KiB).</summary>
        public const ulong LowReservedStart = 0x9FC00;
        public const ulong HighMemoryStart = 0x100000;
        /// <summary>The ACPI table area: RSDP at its start, the other tables after it (GuestAcpiTables).</summary>
        public const ulong AcpiAreaStart = 0xE0000;
        public const ulong AcpiAreaSize = 0x20000;
        public const ulong RsdpAddress = AcpiAreaStart;

        // ---- MMIO (32-bit hole) ----
        /// <summary>RAM below 4 GiB ends here at the latest; the rest of a VM's RAM starts at 4 GiB.</summary>
        public const ulong LowRamLimit = 0xB0000000;
        /// <summary>PCIe ECAM (PCI Firmware 3.3 §4.1.2): bus N's 1 MiB at EcamBase + (N &lt;&lt; 20). Must match PciLayout.</summary>
        public const ulong EcamBase = 0xB0000000;
        public const byte EcamStartBus = 0;
        public const byte EcamEndBus = 255;
        public const ulong EcamSize = (ulong)(EcamEndBus - EcamStartBus + 1) << 20;
        /// <summary>The 32-bit memory window PCI BARs are assigned from: [PciMmioStart, PciMmioEnd).</summary>
        public const ulong PciMmioStart = 0xC0000000;
        public const ulong PciMmioEnd = 0xFEC00000;
        public const ulong IoApicBase = 0xFEC00000;
        public const byte IoApicId = 0;
        /// <summary>IOAPIC inputs (82093AA: 24 redirection entries), GSI 0..23.</summary>
        public const int IoApicPins = 24;
        public const ulong LocalApicBase = 0xFEE00000;
        public const ulong FourGiB = 0x100000000;

        // ---- I/O ports. Must match kernel/Devices/Acpi/PmLayout.cs ----
        /// <summary>The ACPI PM block the PM device decodes: [PmIoBase, PmIoBase + PmIoLength).</summary>
        public const ushort PmIoBase = 0x600;
        public const ushort PmIoLength = 0x40;
        /// <summary>PM1a event block: PM1_STS (2 bytes) then PM1_EN (2 bytes) (ACPI 6.5 §4.8.3.1).</summary>
        public const ushort Pm1aEventPort = 0x600;
        public const byte Pm1EventLength = 4;
        /// <summary>PM1a control block: PM1_CNT, 16 bits (ACPI 6.5 §4.8.3.2).</summary>
        public const ushort Pm1aControlPort = 0x604;
        public const byte Pm1ControlLength = 2;
        /// <summary>PM timer: 32-bit counter at 3.579545 MHz (ACPI 6.5 §4.8.3.3), TMR_VAL_EXT set.</summary>
        public const ushort PmTimerPort = 0x608;
        public const byte PmTimerLength = 4;
        /// <summary>GPE0 block: GPE0_STS (2 bytes) then GPE0_EN (2 bytes) (ACPI 6.5 §4.8.4.1).</summary>
        public const ushort Gpe0Port = 0x620;
        public const byte Gpe0Length = 4;
        /// <summary>The reset register (FADT RESET_REG): a byte write of ResetValue to port 0xCF9 resets the VM.</summary>
        public const ushort ResetPort = 0xCF9;
        public const byte ResetValue = 0x06;
        /// <summary>SLP_TYP value of \_S5 (soft off) in dsdt.asl.</summary>
        public const byte SleepTypeS5 = 5;

        // ---- Legacy devices (ports and ISA IRQs; dsdt.asl declares them) ----
        public const ushort Com1Port = 0x3F8;
        public const byte Com1Irq = 4;
        public const ushort RtcPort = 0x70;
        public const byte RtcIrq = 8;
        public const ushort PitPort = 0x40;
        public const byte PitIrq = 0;
        public const ushort PicMasterPort = 0x20;
        public const ushort PicSlavePort = 0xA0;
        public const ushort PciConfigAddressPort = 0xCF8;

        // ---- Interrupt lines. Must match PmLayout (SCI) and PciLayout (INTx) ----
        /// <summary>The SCI: ISA IRQ 9, GSI 9, level-triggered, active-high (MADT override).</summary>
        public const byte SciIrq = 9;
        /// <summary>The PIT's ISA IRQ 0 arrives at GSI 2 (MADT override), as on every PC with an IOAPIC.</summary>
        public const byte PitGsi = 2;
        /// <summary>
        /// PCI INTx: pin P (0 = INTA) of device slot S on bus 0 is GSI PciIntxGsiBase + ((S + P) mod 4),
        /// level-triggered, active-low (the DSDT's _PRT).
        /// </summary>
        public const byte PciIntxGsiBase = 16;

        /// <summary>The GSI of INTx pin <paramref name="pin"/> (0..3 = INTA..INTD) of bus-0 slot <paramref name="slot"/>.</summary>
        public static int PciIntxGsi(int slot, int pin) => PciIntxGsiBase + ((slot + pin) & 3);

        /// <summary>
        /// The guest-physical RAM ranges of a VM with <paramref name="memoryBytes"/> of RAM: one range
        /// [0, size) when it fits below LowRamLimit, else [0, LowRamLimit) and [4 GiB, 4 GiB + rest).
        /// Writes them into <paramref name="ranges"/> (at least 2 long) and returns how many.
        /// </summary>
        public static int RamRanges(ulong memoryBytes, Span<GuestRange> ranges)
        {
            if (memoryBytes <= LowRamLimit)
            {
                ranges[0] = new GuestRange(0, memoryBytes);
                return 1;
            }
            ranges[0] = new GuestRange(0, LowRamLimit);
            ranges[1] = new GuestRange(FourGiB, memoryBytes - LowRamLimit);
            return 2;
        }
    }
}
