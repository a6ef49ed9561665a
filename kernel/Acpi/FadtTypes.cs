using System;

namespace Hv.Acpi
{
    /// <summary>FADT fixed feature flags (ACPI 6.5 §5.2.9, Table 5.10).</summary>
    [Flags]
    public enum FadtFlags : uint
    {
        None = 0,
        Wbinvd = 1u << 0,
        WbinvdFlush = 1u << 1,
        ProcC1 = 1u << 2,
        PLvl2Up = 1u << 3,
        PowerButton = 1u << 4,
        SleepButton = 1u << 5,
        FixedRtc = 1u << 6,
        RtcS4 = 1u << 7,
        /// <summary>TMR_VAL_EXT: the PM timer is 32 bits wide (else 24).</summary>
        TimerValueExtended = 1u << 8,
        DockCapable = 1u << 9,
        /// <summary>RESET_REG_SUP: the reset register and value are valid.</summary>
        ResetRegisterSupported = 1u << 10,
        SealedCase = 1u << 11,
        Headless = 1u << 12,
        CpuSoftwareSleep = 1u << 13,
        PciExpressWake = 1u << 14,
        UsePlatformClock = 1u << 15,
        S4RtcStatusValid = 1u << 16,
        RemotePowerOnCapable = 1u << 17,
        ForceApicClusterModel = 1u << 18,
        ForceApicPhysicalDestinationMode = 1u << 19,
        /// <summary>HW_REDUCED_ACPI: no fixed hardware (no PM timer, no PM1 blocks, no SCI_EN).</summary>
        HardwareReduced = 1u << 20,
        LowPowerS0IdleCapable = 1u << 21,
        PersistentCpuCaches0 = 1u << 22,
        PersistentCpuCaches1 = 1u << 23,
    }

    /// <summary>IA-PC Boot Architecture Flags (ACPI 6.5 §5.2.9.3, Table 5.11).</summary>
    [Flags]
    public enum IaPcBootFlags : ushort
    {
        None = 0,
        LegacyDevices = 1 << 0,
        Has8042 = 1 << 1,
        VgaNotPresent = 1 << 2,
        MsiNotSupported = 1 << 3,
        PcieAspmControls = 1 << 4,
        CmosRtcNotPresent = 1 << 5,
    }

    /// <summary>Preferred_PM_Profile (ACPI 6.5 §5.2.9, Table 5.9).</summary>
    public enum PmProfile : byte
    {
        Unspecified = 0,
        Desktop = 1,
        Mobile = 2,
        Workstation = 3,
        EnterpriseServer = 4,
        SohoServer = 5,
        AppliancePc = 6,
        PerformanceServer = 7,
        Tablet = 8,
    }

    /// <summary>
    /// FADT field offsets (ACPI 6.5 §5.2.9, Table 5.9). The table grew by revision: ACPI 1.0 ends
    /// at 116, 2.0 added the reset register and X_ fields (to 244), 5.0 the sleep registers (268),
    /// 6.0 the hypervisor vendor identity (276). A field is read only when Length covers it.
    /// </summary>
    internal static class FadtOffset
    {
        public const int FirmwareCtrl = 36, Dsdt = 40, PreferredPmProfile = 45, SciInt = 46, SmiCmd = 48;
        public const int AcpiEnable = 52, AcpiDisable = 53;
        public const int Pm1aEvtBlk = 56, Pm1bEvtBlk = 60, Pm1aCntBlk = 64, Pm1bCntBlk = 68, Pm2CntBlk = 72;
        public const int PmTmrBlk = 76, Gpe0Blk = 80, Gpe1Blk = 84;
        public const int Pm1EvtLen = 88, Pm1CntLen = 89, Pm2CntLen = 90, PmTmrLen = 91, Gpe0BlkLen = 92, Gpe1BlkLen = 93;
        public const int Gpe1Base = 94, CstCnt = 95, PLvl2Lat = 96, PLvl3Lat = 98;
        public const int Century = 108, IapcBootArch = 109, Flags = 112;
        /// <summary>End of the ACPI 1.0 table: everything below is always present.</summary>
        public const int V1End = 116;
        public const int ResetReg = 116, ResetValue = 128, ArmBootArch = 129, MinorVersion = 131;
        public const int XFirmwareCtrl = 132, XDsdt = 140;
        public const int XPm1aEvtBlk = 148, XPm1bEvtBlk = 160, XPm1aCntBlk = 172, XPm1bCntBlk = 184;
        public const int XPm2CntBlk = 196, XPmTmrBlk = 208, XGpe0Blk = 220, XGpe1Blk = 232;
        public const int SleepControlReg = 244, SleepStatusReg = 256, HypervisorVendorId = 268;
        public const int V6End = 276;
    }
}
