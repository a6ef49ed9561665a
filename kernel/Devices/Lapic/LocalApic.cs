// A virtual local APIC, one per vCPU (SDM Vol. 3A ch. 11): the xAPIC MMIO page (IIoDevice) and the
// x2APIC MSRs, IA32_APIC_BASE, interrupt acceptance and priority, IPIs, the timer (ITimedDevice).
// Split by concern: .Registers (the register file), .Mmio, .Msr, .ApicBase (mode transitions),
// .Accept (incoming messages, any thread), .Delivery (to the vCPU: IRR -> ISR, EOI, PPR), .Icr
// (IPIs), .Destination (message addressing), .Timer.
//
// Threads (PlatformContracts.cs): everything runs on the owning vCPU's thread except Accept and
// MatchesDestination. Accept touches only IRR/TMR words, the error accumulator and the pending
// INIT/SIPI/NMI/ExtINT flags, all with Interlocked operations. MatchesDestination reads the ID,
// LDR, DFR and mode, each one aligned word: a sender racing with the guest reprogramming them
// sees the old or the new value, as on hardware.
using System.Threading;
using Hv.Devices.Platform;

namespace Hv.Devices.Lapic
{
    public sealed partial class LocalApic : IIoDevice, ITimedDevice
    {
        /// <summary>Power-up APIC base (§11.4.4).</summary>
        public const ulong DefaultBase = 0xFEE0_0000;

        /// <summary>
        /// Version register (§11.4.8 Figure 11-7): version 0x14 (an integrated xAPIC), max LVT entry 6
        /// (CMCI, timer, thermal, performance, LINT0, LINT1, error), bit 24 clear: EOI-broadcast
        /// suppression is not offered, so SVR bit 12 is reserved and every level EOI reaches the IOAPIC.
        /// </summary>
        public const uint VersionValue = 0x0006_0014;

        private const int LvtCount = 7;
        private const uint ResetDfr = 0xFFFF_FFFF;
        private const uint ResetSvr = 0xFF;

        private readonly uint _index;
        private readonly bool _isBsp;
        private readonly IApicBus _bus;
        private readonly IDeviceClock _clock;
        private readonly IGuestTsc _tsc;
        private readonly bool _x2ApicSupported;
        private readonly ulong _baseAddressMask;

        private ulong _apicBase;
        private int _mode;
        private uint _xApicId;
        private uint _tpr;
        private uint _ldr;
        private uint _dfr;
        private uint _svr;
        private int _softwareEnabled;
        private uint _icrLow;
        private uint _icrHigh;
        private uint _esr;
        private int _pendingErrors;
        private readonly int[] _isr = new int[ApicVectorBits.Words];
        private readonly int[] _irr = new int[ApicVectorBits.Words];
        private readonly int[] _tmr = new int[ApicVectorBits.Words];
        private readonly uint[] _lvt = new uint[LvtCount];
        private readonly ApicTimer _timer = new ApicTimer();

        private int _initPending;
        private int _nmiPending;
        private int _extIntPending;
        private int _sipi;
        private int _waitingForSipi;

        /// <param name="index">The vCPU index: xAPIC ID = index (bits 31:24 of the ID register), x2APIC ID = index, as CPUID reports.</param>
        /// <param name="isBsp">IA32_APIC_BASE.BSP; APs start in wait-for-SIPI.</param>
        /// <param name="bus">Where IPIs go (Send) and level EOIs go (BroadcastEoi).</param>
        /// <param name="clock">The VM's device clock, for the timer's current count.</param>
        /// <param name="tsc">The guest TSC for TSC-deadline mode; null when CPUID does not offer it (LVT timer bit 18 is then reserved and MSR 0x6E0 faults).</param>
        /// <param name="x2ApicSupported">CPUID.1:ECX.x2APIC as the guest sees it; without it IA32_APIC_BASE.EXTD faults.</param>
        /// <param name="physicalAddressBits">The guest's MAXPHYADDR: base address bits at or above it are reserved.</param>
        public LocalApic(uint index, bool isBsp, IApicBus bus, IDeviceClock clock, IGuestTsc tsc, bool x2ApicSupported, int physicalAddressBits)
        {
            _index = index;
            _isBsp = isBsp;
            _bus = bus;
            _clock = clock;
            _tsc = tsc;
            _x2ApicSupported = x2ApicSupported;
            int bits = physicalAddressBits < 32 ? 32 : physicalAddressBits > 52 ? 52 : physicalAddressBits;
            _baseAddressMask = ((1UL << bits) - 1) & ~(ulong)ApicBaseBits.AddressLowMask;
            PowerOnReset();
        }

        public uint Index => _index;
        public bool IsBsp => _isBsp;
        public ApicMode Mode => (ApicMode)Volatile.Read(ref _mode);
        public bool TscDeadlineSupported => _tsc != null;

        /// <summary>The APIC ID messages are addressed to: the 32-bit x2APIC ID in x2APIC mode, else the 8-bit xAPIC ID.</summary>
        public uint ApicId => Mode == ApicMode.X2Apic ? _index : _xApicId >> 24;

        /// <summary>SVR bit 8 (§11.4.7.2).</summary>
        public bool SoftwareEnabled => Volatile.Read(ref _softwareEnabled) != 0;

        public LvtEntry GetLvt(LvtIndex index) => new LvtEntry((uint)index < LvtCount ? _lvt[(int)index] : ApicFields.Masked);
        public LvtEntry Lint0 => new LvtEntry(_lvt[(int)LvtIndex.Lint0]);
        public LvtEntry Lint1 => new LvtEntry(_lvt[(int)LvtIndex.Lint1]);

        /// <summary>RESET (not INIT): xAPIC mode at the default base, every register at its power-up value (§11.4.7.1, §11.12.5.1).</summary>
        public void PowerOnReset()
        {
            _apicBase = DefaultBase | (ulong)ApicBaseBits.GlobalEnable | (_isBsp ? (ulong)ApicBaseBits.Bsp : 0);
            Interlocked.Exchange(ref _mode, (int)ApicMode.XApic);
            _xApicId = _index << 24;
            ResetRegisters();
            ClearPendingEvents();
            Interlocked.Exchange(ref _waitingForSipi, _isBsp ? 0 : 1);
        }

        /// <summary>
        /// The register state after power-up or INIT (§11.4.7.1, §11.4.7.3): IRR/ISR/TMR, ICR, TPR, ESR,
        /// timer cleared, DFR all ones, SVR 0xFF (software-disabled), every LVT masked. Mode, base and
        /// ID are the caller's business; in x2APIC mode the LDR keeps its value derived from the ID.
        /// </summary>
        private void ResetRegisters()
        {
            _tpr = 0;
            _ldr = Mode == ApicMode.X2Apic ? X2ApicLdr : 0;
            _dfr = ResetDfr;
            _svr = ResetSvr;
            Interlocked.Exchange(ref _softwareEnabled, 0);
            _icrLow = 0;
            _icrHigh = 0;
            _esr = 0;
            Interlocked.Exchange(ref _pendingErrors, 0);
            ApicVectorBits.ClearAll(_isr);
            ApicVectorBits.ClearAll(_irr);
            ApicVectorBits.ClearAll(_tmr);
            for (int i = 0; i < LvtCount; i++)
                _lvt[i] = ApicFields.Masked;
            _timer.Reset();
        }

        private void ClearPendingEvents()
        {
            Interlocked.Exchange(ref _initPending, 0);
            Interlocked.Exchange(ref _nmiPending, 0);
            Interlocked.Exchange(ref _extIntPending, 0);
            Interlocked.Exchange(ref _sipi, 0);
        }

        /// <summary>x2APIC logical ID (§11.12.10.2): cluster ID[31:4] in bits 31:16, bit ID[3:0] of 15:0.</summary>
        private uint X2ApicLdr => ((_index >> 4) << 16) | (1u << (int)(_index & 0xF));
    }
}
