// The host's local APIC, in xAPIC (MMIO) or x2APIC (MSR) mode (SDM Vol. 3 ch. 11 "Advanced
// Programmable Interrupt Controller"). x2APIC is used when CPUID.1:ECX[21] says it exists;
// every CPU switches itself over in Enable().
namespace Hv.Arch.Apic
{
    public enum ApicRegister : uint
    {
        Id = 0x020, Version = 0x030, Tpr = 0x080, Eoi = 0x0B0, Svr = 0x0F0, Esr = 0x280,
        IcrLow = 0x300, IcrHigh = 0x310, LvtTimer = 0x320, LvtLint0 = 0x350, LvtLint1 = 0x360,
        LvtError = 0x370, TimerInitialCount = 0x380, TimerCurrentCount = 0x390, TimerDivide = 0x3E0,
    }

    /// <summary>ICR delivery modes (bits 10:8) and the destination shorthands (bits 19:18).</summary>
    public enum IpiDelivery : uint { Fixed = 0 << 8, Nmi = 4 << 8, Init = 5 << 8, Startup = 6 << 8 }
    public enum IpiShorthand : uint { None = 0, Self = 1u << 18, AllIncludingSelf = 2u << 18, AllExcludingSelf = 3u << 18 }

    public static unsafe class LocalApic
    {
        private const uint ApicBaseMsr = 0x1B;
        private const ulong BaseEnable = 1UL << 11, BaseX2Apic = 1UL << 10;
        private const uint X2ApicMsrBase = 0x800;
        private const uint IcrLevelAssert = 1u << 14, IcrDeliveryPending = 1u << 12;
        private const uint SvrEnable = 1u << 8;

        public static bool X2Apic { get; private set; }
        private static ulong s_mmio;

        public const byte SpuriousVector = 0xFF;

        /// <summary>Once, on the boot CPU: choose the mode and find the MMIO base.</summary>
        public static void InitializeGlobal()
        {
            Cpu.Cpuid(1, 0, out _, out _, out uint ecx, out _);
            X2Apic = (ecx & (1u << 21)) != 0;
            s_mmio = Cpu.hv_rdmsr(ApicBaseMsr) & 0x000FFFFFFFFFF000UL;
        }

        /// <summary>On each CPU: global enable (and x2APIC mode), software enable with the spurious vector, LVTs masked.</summary>
        public static void Enable()
        {
            ulong b = Cpu.hv_rdmsr(ApicBaseMsr) | BaseEnable;
            if (X2Apic) b |= BaseX2Apic;
            Cpu.hv_wrmsr(ApicBaseMsr, b);
            Write(ApicRegister.Tpr, 0);
            Write(ApicRegister.LvtTimer, 1u << 16);
            Write(ApicRegister.LvtError, 1u << 16);
            Write(ApicRegister.Svr, SvrEnable | SpuriousVector);
        }

        public static uint Id => X2Apic ? Read(ApicRegister.Id) : Read(ApicRegister.Id) >> 24;

        public static void Eoi() => Write(ApicRegister.Eoi, 0);

        public static uint Read(ApicRegister r) =>
            X2Apic ? (uint)Cpu.hv_rdmsr(X2ApicMsrBase + ((uint)r >> 4)) : *(uint*)(s_mmio + (uint)r);

        public static void Write(ApicRegister r, uint value)
        {
            if (X2Apic) Cpu.hv_wrmsr(X2ApicMsrBase + ((uint)r >> 4), value);
            else *(uint*)(s_mmio + (uint)r) = value;
        }

        /// <summary>Sends an IPI and, in xAPIC mode, waits (bounded) for the delivery-status bit to clear.</summary>
        public static void SendIpi(uint destination, IpiDelivery delivery, byte vector, IpiShorthand shorthand = IpiShorthand.None)
        {
            uint low = (uint)delivery | vector | (uint)shorthand | IcrLevelAssert;
            if (X2Apic)
            {
                Cpu.hv_wrmsr(X2ApicMsrBase + 0x30, ((ulong)destination << 32) | low);
                return;
            }
            Write(ApicRegister.IcrHigh, destination << 24);
            Write(ApicRegister.IcrLow, low);
            for (int i = 0; i < 1000000 && (Read(ApicRegister.IcrLow) & IcrDeliveryPending) != 0; i++) Cpu.hv_pause();
        }

        // --- timer (SDM Vol. 3 §11.5.4): divide by 16, one-shot ---
        public const byte TimerVector = 0x20;

        public static void TimerOneShot(uint count)
        {
            Write(ApicRegister.TimerDivide, 0x3);           // divide by 16
            Write(ApicRegister.LvtTimer, TimerVector);      // one-shot, unmasked
            Write(ApicRegister.TimerInitialCount, count == 0 ? 1 : count);
        }

        public static void TimerStop()
        {
            Write(ApicRegister.LvtTimer, 1u << 16);
            Write(ApicRegister.TimerInitialCount, 0);
        }

        /// <summary>LAPIC timer ticks (divide 16) per second, measured against the TSC over 10 ms.</summary>
        public static ulong MeasureTimerHz()
        {
            Write(ApicRegister.TimerDivide, 0x3);
            Write(ApicRegister.LvtTimer, 1u << 16);          // masked: count, but no interrupt
            Write(ApicRegister.TimerInitialCount, 0xFFFFFFFF);
            Time.Tsc.WaitMicroseconds(10000);
            uint left = Read(ApicRegister.TimerCurrentCount);
            Write(ApicRegister.TimerInitialCount, 0);
            return (0xFFFFFFFFUL - left) * 100;
        }
    }
}
