// The Fixed ACPI Description Table, signature "FACP" (ACPI 6.5 §5.2.9, Table 5.9), revision 6.5:
// a full (not hardware-reduced) ACPI PC with the PM1a event and control blocks, a 32-bit PM
// timer, one GPE block, the SCI and a reset register; no SMM, no C2/C3, no 8042, no VGA.
using System;
using Hv.Acpi;

namespace Hv.Virt.Platform.Acpi
{
    internal static class GuestFadt
    {
        public const int Length = FadtOffset.V6End;   // 276
        public const byte Revision = 6;
        public const byte MinorVersion = 5;

        /// <summary>P_LVL2_LAT above 100 and P_LVL3_LAT above 1000 say "C2 / C3 not supported" (Table 5.9).</summary>
        public const ushort C2LatencyNone = 101;
        public const ushort C3LatencyNone = 1001;

        /// <summary>
        /// WBINVD: WBINVD flushes caches (required of every ACPI PC). PROC_C1: HLT works on every
        /// CPU. PWR_BUTTON and SLP_BUTTON set: no fixed-feature buttons (and no control-method
        /// ones). FIX_RTC: no RTC wake status in PM1 (the PM model has none). TMR_VAL_EXT: the PM
        /// timer is 32 bits. RESET_REG_SUP: the reset register below works.
        /// FORCE_APIC_PHYSICAL_DESTINATION_MODE: the OS programs the local APICs and IOAPIC in
        /// physical destination mode only, which the APIC models need not reproduce otherwise.
        /// </summary>
        public const FadtFlags Flags = FadtFlags.Wbinvd | FadtFlags.ProcC1 | FadtFlags.PowerButton | FadtFlags.SleepButton
            | FadtFlags.FixedRtc | FadtFlags.TimerValueExtended | FadtFlags.ResetRegisterSupported
            | FadtFlags.ForceApicPhysicalDestinationMode;

        /// <summary>
        /// LEGACY_DEVICES: there are ISA-style devices (COM1, RTC, PIT, PIC). No 8042 (bit clear):
        /// there is no keyboard controller, and Linux then skips probing ports 0x60/0x64. VGA not
        /// present. ASPM controls: the OS must not enable PCIe ASPM (there are no real links).
        /// The CMOS RTC is present (bit clear).
        /// </summary>
        public const IaPcBootFlags BootFlags = IaPcBootFlags.LegacyDevices | IaPcBootFlags.VgaNotPresent | IaPcBootFlags.PcieAspmControls;

        /// <summary>
        /// Writes the FADT. SMI_CMD 0: there is no SMM, so the platform is always in ACPI mode
        /// (SCI_EN reads 1) and ACPI_ENABLE/ACPI_DISABLE are 0 (§5.2.9, §4.8.2.5). CENTURY 0: the
        /// RTC model keeps no century byte the OS could trust. Every register block is given
        /// twice, as the ACPI 1.0 port field and the X_ Generic Address (same port, bit width =
        /// 8 x the legacy length), and DSDT/FACS as both the 32- and 64-bit address, so an OS
        /// reading either form gets the same answer.
        /// </summary>
        public static void Write(Span<byte> fadt, in GuestAcpiConfig cfg, ulong dsdt, ulong facs)
        {
            Span<byte> t = fadt.Slice(0, Length);
            t.Clear();
            TableBytes.Header(t, AcpiSignature.Fadt, Revision);
            TableBytes.Put32(t, FadtOffset.FirmwareCtrl, (uint)facs);
            TableBytes.Put32(t, FadtOffset.Dsdt, (uint)dsdt);
            t[FadtOffset.PreferredPmProfile] = (byte)PmProfile.Unspecified;
            TableBytes.Put16(t, FadtOffset.SciInt, cfg.SciIrq);
            TableBytes.Put32(t, FadtOffset.SmiCmd, 0);
            t[FadtOffset.AcpiEnable] = 0;
            t[FadtOffset.AcpiDisable] = 0;

            TableBytes.Put32(t, FadtOffset.Pm1aEvtBlk, cfg.Pm1aEventPort);
            TableBytes.Put32(t, FadtOffset.Pm1aCntBlk, cfg.Pm1aControlPort);
            TableBytes.Put32(t, FadtOffset.PmTmrBlk, cfg.PmTimerPort);
            TableBytes.Put32(t, FadtOffset.Gpe0Blk, cfg.Gpe0Port);
            t[FadtOffset.Pm1EvtLen] = GuestPlatformLayout.Pm1EventLength;
            t[FadtOffset.Pm1CntLen] = GuestPlatformLayout.Pm1ControlLength;
            t[FadtOffset.PmTmrLen] = GuestPlatformLayout.PmTimerLength;
            t[FadtOffset.Gpe0BlkLen] = GuestPlatformLayout.Gpe0Length;
            TableBytes.Put16(t, FadtOffset.PLvl2Lat, C2LatencyNone);
            TableBytes.Put16(t, FadtOffset.PLvl3Lat, C3LatencyNone);
            t[FadtOffset.Century] = 0;
            TableBytes.Put16(t, FadtOffset.IapcBootArch, (ushort)BootFlags);
            TableBytes.Put32(t, FadtOffset.Flags, (uint)Flags);

            TableBytes.Gas(t, FadtOffset.ResetReg, AddressSpace.SystemIo, 8, AccessSize.Byte, cfg.ResetPort);
            t[FadtOffset.ResetValue] = cfg.ResetValue;
            t[FadtOffset.MinorVersion] = MinorVersion;
            TableBytes.Put64(t, FadtOffset.XFirmwareCtrl, facs);
            TableBytes.Put64(t, FadtOffset.XDsdt, dsdt);

            // The event and GPE blocks are pairs of 16-bit (PM1) or 8-bit-register (GPE) halves;
            // the access sizes are the registers' natural widths (ACPI 6.5 §4.8.3, §4.8.4).
            TableBytes.Gas(t, FadtOffset.XPm1aEvtBlk, AddressSpace.SystemIo, GuestPlatformLayout.Pm1EventLength * 8, AccessSize.Word, cfg.Pm1aEventPort);
            TableBytes.Gas(t, FadtOffset.XPm1aCntBlk, AddressSpace.SystemIo, GuestPlatformLayout.Pm1ControlLength * 8, AccessSize.Word, cfg.Pm1aControlPort);
            TableBytes.Gas(t, FadtOffset.XPmTmrBlk, AddressSpace.SystemIo, GuestPlatformLayout.PmTimerLength * 8, AccessSize.Dword, cfg.PmTimerPort);
            TableBytes.Gas(t, FadtOffset.XGpe0Blk, AddressSpace.SystemIo, GuestPlatformLayout.Gpe0Length * 8, AccessSize.Byte, cfg.Gpe0Port);
            // PM1b, PM2, GPE1, the sleep registers (HW-reduced only) and the hypervisor vendor
            // identity stay zero: not present.
            TableBytes.Checksum(t, 9);
        }
    }
}
