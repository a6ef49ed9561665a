/*
 * The guest's Differentiated System Description Table (ACPI 6.5 §5.2.11.1), compiled to AML by
 * iasl at build time (tools/gen-dsdt.sh) and placed in guest memory by GuestAcpiTables.
 *
 * Every number here is a fact of the guest platform stated once in C# in
 * kernel/Virt/Platform/GuestPlatformLayout.cs; tests/Unit/Platform/DsdtAmlTests.cs checks
 * that the compiled AML holds the same values. Change both together.
 *
 * What the namespace describes (and why):
 *   \_S0, \_S5    sleep-type values: S5 (soft off) writes SLP_TYP 5 to PM1a_CNT (ACPI 6.5
 *                 §7.4.2); the PM device model powers the VM off on it.
 *   \_SB.PCI0     the PCI Express root bridge (PCI Firmware 3.3 §4.1.5; ACPI 6.5 §6.1.5):
 *                 segment 0, buses 0-255 (the MCFG's ECAM range), the I/O and memory windows
 *                 the guest may assign to BARs, the INTx routing (_PRT), and _OSC.
 *   \_SB.MRES     motherboard resources (PNP0C02): the ECAM window and the PM I/O block, so
 *                 the OS reserves them (Linux uses MCFG only when ECAM is reserved here,
 *                 PCI Firmware 3.3 §4.1.2).
 *   \_SB.COM1 ... the legacy devices: COM1 (16550), RTC, PIT, PIC, each with its ports and
 *                 ISA IRQ, so the PNP layer reserves their resources.
 * No processor objects: the OS takes the CPUs from the MADT. No 8042, no VGA, no HPET.
 */
DefinitionBlock ("", "DSDT", 2, "HV", "HVGUEST", 1)
{
    /* Sleep states: package of SLP_TYP for PM1a_CNT and PM1b_CNT (ACPI 6.5 §7.4.2). */
    Name (\_S0, Package (0x04) { Zero, Zero, Zero, Zero })
    Name (\_S5, Package (0x04) { 0x05, 0x05, Zero, Zero })

    Scope (\_SB)
    {
        Device (PCI0)
        {
            Name (_HID, EisaId ("PNP0A08"))     /* PCI Express root bridge */
            Name (_CID, EisaId ("PNP0A03"))     /* compatible: PCI root bridge */
            Name (_UID, Zero)
            Name (_SEG, Zero)                   /* segment group 0 (the MCFG entry's) */
            Name (_BBN, Zero)                   /* first bus number */

            Name (_CRS, ResourceTemplate ()
            {
                WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode,
                    0x0000, 0x0000, 0x00FF, 0x0000, 0x0100)
                /* The configuration mechanism #1 ports the bridge itself decodes. */
                IO (Decode16, 0x0CF8, 0x0CF8, 0x01, 0x08)
                WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange,
                    0x0000, 0x0000, 0x0CF7, 0x0000, 0x0CF8)
                WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange,
                    0x0000, 0x0D00, 0xFFFF, 0x0000, 0xF300)
                /* 32-bit BAR window: from the end of ECAM to the IOAPIC. */
                DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite,
                    0x00000000, 0xC0000000, 0xFEBFFFFF, 0x00000000, 0x3EC00000)
            })

            /*
             * INTx routing (PCI Firmware 3.3 §4.5.1 style, ACPI 6.5 §6.2.13): pin P (0 = INTA)
             * of device slot S goes to IOAPIC input 16 + ((S + P) mod 4), level-triggered,
             * active-low (Source 0: the fourth field is a GSI). Built at run time: 32 slots x 4
             * pins = 128 entries of { address (slot << 16 | 0xFFFF), pin, 0, GSI }.
             */
            Method (_PRT, 0, Serialized)
            {
                Local0 = Package (0x80) {}
                Local1 = Zero
                While (Local1 < 0x80)
                {
                    Local2 = (Local1 >> 0x02)           /* slot */
                    Local3 = (Local1 & 0x03)            /* pin */
                    Local4 = Package (0x04) { Zero, Zero, Zero, Zero }
                    Local4 [Zero] = ((Local2 << 0x10) | 0xFFFF)
                    Local4 [One] = Local3
                    Local4 [0x03] = (0x10 + ((Local2 + Local3) & 0x03))
                    Local0 [Local1] = Local4
                    Local1++
                }
                Return (Local0)
            }

            /*
             * Operating system capabilities (ACPI 6.5 §6.2.11; PCI Firmware 3.3 §4.5): with no
             * firmware that could compete for them, every PCI Express control the OS asks for
             * is granted (Control dword returned unchanged).
             */
            Method (_OSC, 4, NotSerialized)
            {
                CreateDWordField (Arg3, Zero, CDW1)
                If ((Arg0 == ToUUID ("33db4d5b-1ff7-401c-9657-7441c03dd766")))
                {
                    If ((Arg1 != One))
                    {
                        CDW1 |= 0x08                    /* unrecognized revision */
                    }
                }
                Else
                {
                    CDW1 |= 0x04                        /* unrecognized UUID */
                }
                Return (Arg3)
            }
        }

        /* Resources no other device claims: ECAM and the ACPI PM I/O block. */
        Device (MRES)
        {
            Name (_HID, EisaId ("PNP0C02"))
            Name (_UID, One)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0xB0000000, 0x10000000)
                IO (Decode16, 0x0600, 0x0600, 0x01, 0x40)
            })
        }

        Device (COM1)
        {
            Name (_HID, EisaId ("PNP0501"))     /* 16550A-compatible UART */
            Name (_UID, One)
            Name (_CRS, ResourceTemplate ()
            {
                IO (Decode16, 0x03F8, 0x03F8, 0x01, 0x08)
                IRQNoFlags () {4}
            })
        }

        Device (RTC)
        {
            Name (_HID, EisaId ("PNP0B00"))     /* AT real-time clock (MC146818) */
            Name (_CRS, ResourceTemplate ()
            {
                IO (Decode16, 0x0070, 0x0070, 0x01, 0x02)
                IRQNoFlags () {8}
            })
        }

        Device (TIMR)
        {
            Name (_HID, EisaId ("PNP0100"))     /* AT interval timer (8254) */
            Name (_CRS, ResourceTemplate ()
            {
                IO (Decode16, 0x0040, 0x0040, 0x01, 0x04)
                IRQNoFlags () {0}
            })
        }

        Device (PIC)
        {
            Name (_HID, EisaId ("PNP0000"))     /* AT interrupt controllers (8259A pair) */
            Name (_CRS, ResourceTemplate ()
            {
                IO (Decode16, 0x0020, 0x0020, 0x01, 0x02)
                IO (Decode16, 0x00A0, 0x00A0, 0x01, 0x02)
                IRQNoFlags () {2}
            })
        }
    }
}
