using System;

namespace Hv.Acpi
{
    /// <summary>
    /// The Fixed ACPI Description Table, signature "FACP" (ACPI 6.5 §5.2.9), decoded into the
    /// fields the hypervisor uses. Register blocks are given as Generic Addresses: the 64-bit X_
    /// form when the table is long enough to hold it and its address is non-zero, else the
    /// legacy 32-bit I/O port (ACPI 6.5 §5.2.9: "X_ fields take precedence if non-zero").
    /// Which fields exist is decided by Length, not Revision: a revision this code does not know
    /// is read as far as its Length goes.
    /// </summary>
    public struct Fadt
    {
        public SdtHeader Header;
        public byte MinorVersion;
        public ulong FirmwareControl;   // FACS address
        public ulong Dsdt;
        public PmProfile Profile;
        public ushort SciInterrupt;
        public uint SmiCommand;
        public byte AcpiEnable, AcpiDisable;
        public GenericAddress Pm1aEvent, Pm1bEvent, Pm1aControl, Pm1bControl, Pm2Control;
        public GenericAddress PmTimer, Gpe0, Gpe1;
        /// <summary>PM_TMR_LEN: 4 when there is a PM timer, 0 when not.</summary>
        public byte PmTimerLength;
        public byte Century;            // CMOS RAM index of the century, 0 if none
        public IaPcBootFlags BootFlags;
        public FadtFlags Flags;
        public GenericAddress ResetRegister;
        public byte ResetValue;
        public GenericAddress SleepControl, SleepStatus;
        public ulong HypervisorVendorId;

        public bool HardwareReduced => (Flags & FadtFlags.HardwareReduced) != 0;

        /// <summary>ACPI PM timer width: 32 with TMR_VAL_EXT, else 24 (ACPI 6.5 §4.8.3.3).</summary>
        public int PmTimerBits => (Flags & FadtFlags.TimerValueExtended) != 0 ? 32 : 24;

        /// <summary>There is a PM timer: not HW-reduced, and a block is given (a port block must be 4 bytes).</summary>
        public bool HasPmTimer => !HardwareReduced && PmTimer.IsPresent && (PmTimer.Space != AddressSpace.SystemIo || PmTimer.BitWidth >= 32);

        /// <summary>RESET_REG_SUP is set and the register has an address (ACPI 6.5 §4.8.3.6).</summary>
        public bool HasResetRegister => (Flags & FadtFlags.ResetRegisterSupported) != 0 && ResetRegister.IsPresent;

        public static AcpiError TryParse(ReadOnlySpan<byte> table, out Fadt fadt)
        {
            fadt = default;
            AcpiError e = SdtHeader.TryParse(table, AcpiSignature.Fadt, FadtOffset.V1End, out SdtHeader h);
            if (!e.Ok)
                return e;
            ReadOnlySpan<byte> t = table.Slice(0, (int)h.Length);
            Fadt f = default;
            f.Header = h;
            f.FirmwareControl = Le.U32(t, FadtOffset.FirmwareCtrl);
            f.Dsdt = Le.U32(t, FadtOffset.Dsdt);
            f.Profile = (PmProfile)t[FadtOffset.PreferredPmProfile];
            f.SciInterrupt = Le.U16(t, FadtOffset.SciInt);
            f.SmiCommand = Le.U32(t, FadtOffset.SmiCmd);
            f.AcpiEnable = t[FadtOffset.AcpiEnable];
            f.AcpiDisable = t[FadtOffset.AcpiDisable];
            f.PmTimerLength = t[FadtOffset.PmTmrLen];
            f.Century = t[FadtOffset.Century];
            f.BootFlags = (IaPcBootFlags)Le.U16(t, FadtOffset.IapcBootArch);
            f.Flags = (FadtFlags)Le.U32(t, FadtOffset.Flags);

            f.Pm1aEvent = Block(t, FadtOffset.XPm1aEvtBlk, FadtOffset.Pm1aEvtBlk, t[FadtOffset.Pm1EvtLen]);
            f.Pm1bEvent = Block(t, FadtOffset.XPm1bEvtBlk, FadtOffset.Pm1bEvtBlk, t[FadtOffset.Pm1EvtLen]);
            f.Pm1aControl = Block(t, FadtOffset.XPm1aCntBlk, FadtOffset.Pm1aCntBlk, t[FadtOffset.Pm1CntLen]);
            f.Pm1bControl = Block(t, FadtOffset.XPm1bCntBlk, FadtOffset.Pm1bCntBlk, t[FadtOffset.Pm1CntLen]);
            f.Pm2Control = Block(t, FadtOffset.XPm2CntBlk, FadtOffset.Pm2CntBlk, t[FadtOffset.Pm2CntLen]);
            f.PmTimer = Block(t, FadtOffset.XPmTmrBlk, FadtOffset.PmTmrBlk, t[FadtOffset.PmTmrLen]);
            f.Gpe0 = Block(t, FadtOffset.XGpe0Blk, FadtOffset.Gpe0Blk, t[FadtOffset.Gpe0BlkLen]);
            f.Gpe1 = Block(t, FadtOffset.XGpe1Blk, FadtOffset.Gpe1Blk, t[FadtOffset.Gpe1BlkLen]);

            if (Has(t, FadtOffset.ResetValue, 1))
            {
                f.ResetRegister = GenericAddress.Read(t, FadtOffset.ResetReg);
                f.ResetValue = t[FadtOffset.ResetValue];
            }
            if (Has(t, FadtOffset.MinorVersion, 1))
                f.MinorVersion = t[FadtOffset.MinorVersion];
            if (Has(t, FadtOffset.XFirmwareCtrl, 8) && Le.U64(t, FadtOffset.XFirmwareCtrl) != 0)
                f.FirmwareControl = Le.U64(t, FadtOffset.XFirmwareCtrl);
            if (Has(t, FadtOffset.XDsdt, 8) && Le.U64(t, FadtOffset.XDsdt) != 0)
                f.Dsdt = Le.U64(t, FadtOffset.XDsdt);
            if (Has(t, FadtOffset.SleepStatusReg, GenericAddress.Size))
            {
                f.SleepControl = GenericAddress.Read(t, FadtOffset.SleepControlReg);
                f.SleepStatus = GenericAddress.Read(t, FadtOffset.SleepStatusReg);
            }
            if (Has(t, FadtOffset.HypervisorVendorId, 8))
                f.HypervisorVendorId = Le.U64(t, FadtOffset.HypervisorVendorId);
            fadt = f;
            return AcpiError.None;
        }

        private static bool Has(ReadOnlySpan<byte> t, int offset, int size) => Le.Fits(t.Length, offset, size);

        /// <summary>The X_ GAS when present and non-zero, else the legacy port block with its byte length.</summary>
        private static GenericAddress Block(ReadOnlySpan<byte> t, int xOffset, int legacyOffset, byte legacyLength)
        {
            if (Has(t, xOffset, GenericAddress.Size))
            {
                GenericAddress x = GenericAddress.Read(t, xOffset);
                if (x.IsPresent)
                    return x;
            }
            uint port = Le.U32(t, legacyOffset);
            return port == 0 ? default : GenericAddress.Port(port, legacyLength);
        }
    }
}
