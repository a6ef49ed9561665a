// The local APIC's registers by index (SDM Vol. 3A Table 11-1 "Local APIC Register Address Map" and
// Table 11-6 "Local APIC Register Address Map Supported by x2APIC"). One index serves both
// interfaces: it is the xAPIC MMIO offset >> 4 (registers sit on 16-byte boundaries) and the
// x2APIC MSR number - 0x800 (§11.12.1.2 maps each 128-bit-aligned MMIO register to one MSR).
namespace Hv.Devices.Lapic
{
    public enum ApicRegister : byte
    {
        Id = 0x02,
        Version = 0x03,
        Tpr = 0x08,
        /// <summary>Arbitration priority: xAPIC only (no MSR 0x809).</summary>
        Apr = 0x09,
        Ppr = 0x0A,
        Eoi = 0x0B,
        /// <summary>Remote read: not supported on xAPIC processors, reads 0.</summary>
        Rrd = 0x0C,
        Ldr = 0x0D,
        /// <summary>Destination format: xAPIC only (no MSR 0x80E).</summary>
        Dfr = 0x0E,
        Svr = 0x0F,
        Isr0 = 0x10,
        Isr7 = 0x17,
        Tmr0 = 0x18,
        Tmr7 = 0x1F,
        Irr0 = 0x20,
        Irr7 = 0x27,
        Esr = 0x28,
        LvtCmci = 0x2F,
        IcrLow = 0x30,
        /// <summary>xAPIC only: x2APIC has one 64-bit ICR at MSR 0x830 and no MSR 0x831.</summary>
        IcrHigh = 0x31,
        LvtTimer = 0x32,
        LvtThermal = 0x33,
        LvtPerf = 0x34,
        LvtLint0 = 0x35,
        LvtLint1 = 0x36,
        LvtError = 0x37,
        TimerInitialCount = 0x38,
        TimerCurrentCount = 0x39,
        TimerDivide = 0x3E,
        /// <summary>x2APIC only (MSR 0x83F); offset 0x3F0 is reserved in xAPIC mode.</summary>
        SelfIpi = 0x3F,
    }

    /// <summary>MSRs the local APIC owns (SDM Vol. 4 Table 2-2; Vol. 3A §11.12.1.2, §11.5.4.1).</summary>
    public enum ApicMsr : uint
    {
        ApicBase = 0x1B,
        TscDeadline = 0x6E0,
        X2ApicFirst = 0x800,
        X2ApicLast = 0x8FF,
    }
}
