// Bit encodings of the local APIC's registers (SDM Vol. 3A ch. 11).
using System;

namespace Hv.Devices.Lapic
{
    /// <summary>IA32_APIC_BASE (MSR 0x1B) flags, SDM Vol. 3A §11.4.4 Figure 11-5 and §11.12.1 (EXTD).</summary>
    [Flags]
    public enum ApicBaseBits : ulong
    {
        Bsp = 1UL << 8,
        /// <summary>x2APIC mode enable (EXTD).</summary>
        X2ApicEnable = 1UL << 10,
        /// <summary>APIC global enable (EN).</summary>
        GlobalEnable = 1UL << 11,
        /// <summary>Bits 11:0 of the base are not an address (the page is 4 KiB aligned).</summary>
        AddressLowMask = 0xFFF,
    }

    /// <summary>The three valid states of IA32_APIC_BASE[EN, EXTD] (§11.12.5.1).</summary>
    public enum ApicMode : byte { Disabled = 0, XApic = 1, X2Apic = 2 }

    /// <summary>The local vector table in the order of the model's storage; the register each belongs to is in <see cref="ApicRegister"/>.</summary>
    public enum LvtIndex : byte { Cmci = 0, Timer = 1, Thermal = 2, Perf = 3, Lint0 = 4, Lint1 = 5, Error = 6 }

    /// <summary>LVT timer bits 18:17 (§11.5.1 Figure 11-8, §11.5.4).</summary>
    public enum LvtTimerMode : byte { OneShot = 0, Periodic = 1, TscDeadline = 2, Reserved = 3 }

    /// <summary>Error Status Register bits (§11.5.3 Figure 11-9).</summary>
    [Flags]
    public enum ApicErrors : uint
    {
        None = 0,
        SendChecksum = 1u << 0,
        ReceiveChecksum = 1u << 1,
        SendAccept = 1u << 2,
        ReceiveAccept = 1u << 3,
        RedirectableIpi = 1u << 4,
        SendIllegalVector = 1u << 5,
        ReceivedIllegalVector = 1u << 6,
        IllegalRegisterAddress = 1u << 7,
    }

    /// <summary>Field masks shared by the LVT entries, the ICR and the SVR (§11.5.1 Figure 11-8, §11.6.1 Figure 11-12, §11.9 Figure 11-23).</summary>
    public static class ApicFields
    {
        public const uint VectorMask = 0xFF;
        public const int DeliveryModeShift = 8;
        public const uint DeliveryModeMask = 0x7u << DeliveryModeShift;
        public const uint LogicalDestination = 1u << 11;
        public const uint DeliveryStatus = 1u << 12;
        public const uint PolarityLow = 1u << 13;
        public const uint RemoteIrr = 1u << 14;
        public const uint LevelTrigger = 1u << 15;
        public const uint Masked = 1u << 16;
        public const int TimerModeShift = 17;
        public const uint TimerModeMask = 0x3u << TimerModeShift;

        /// <summary>ICR bit 14: level assert (1) / de-assert (0).</summary>
        public const uint IcrAssert = 1u << 14;
        public const int IcrShorthandShift = 18;
        public const uint IcrShorthandMask = 0x3u << IcrShorthandShift;

        public const uint SvrSoftwareEnable = 1u << 8;
        /// <summary>Focus processor checking: kept as written, without effect (lowest priority picks the first match).</summary>
        public const uint SvrFocusDisable = 1u << 9;

        /// <summary>Vectors 0-15 are illegal in any interrupt message or LVT entry (§11.5.2).</summary>
        public const int FirstLegalVector = 16;
    }
}
