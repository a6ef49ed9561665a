// Per-vCPU exit statistics (issue 4 item 9). Each vCPU owns its counters and only its own thread
// writes them, so the exit path increments plain fields: no atomics, no allocation. The VM sums
// them when it stops (Vm.SumCounters) and ExitReport prints the result.
using System.Runtime.CompilerServices;

namespace Hv.Virt
{
    public sealed class ExitCounters
    {
        /// <summary>Number of VmExitKind values (the array is indexed by kind).</summary>
        public const int KindCount = (int)VmExitKind.Unknown + 1;
        /// <summary>Distinct raw reasons of Unknown exits remembered; more go to UnknownOverflow.</summary>
        public const int RawSlots = 8;

        private readonly ulong[] _byKind = new ulong[KindCount];
        private readonly uint[] _rawReason = new uint[RawSlots];
        private readonly ulong[] _rawCount = new ulong[RawSlots];
        private int _rawUsed;

        /// <summary>Unknown exits whose raw reason did not fit in the table.</summary>
        public ulong UnknownOverflow;
        public ulong UnclaimedIoReads, UnclaimedIoWrites;
        public ulong UnclaimedMmioReads, UnclaimedMmioWrites;
        public ulong InjectedInterrupts, InjectedExceptions;
        /// <summary>Interrupts posted while the same vector was already pending (coalesced, as in a LAPIC IRR).</summary>
        public ulong CoalescedInterrupts;
        /// <summary>PC platform (issue 5): NMIs injected, INITs and SIPIs taken from the LAPIC.</summary>
        public ulong InjectedNmis, InitSignals, StartupIpis;
        /// <summary>Why guests exit on host interrupts (the ext-intr count): host timers armed at a virtual-timer deadline that fired, and kick IPIs sent to this vCPU while it ran the guest. Counted by other code paths, not atomically: approximate.</summary>
        public ulong GuestTimerFires, KickIpis;
        /// <summary>Entries whose virtual-timer deadline had already passed (the guest still ran its minimum time first).</summary>
        public ulong GuestTimerLate;

        public ulong this[VmExitKind kind] => (uint)kind < KindCount ? _byKind[(int)kind] : 0;

        public ulong Total
        {
            get
            {
                ulong t = 0;
                for (int i = 0; i < KindCount; i++)
                    t += _byKind[i];
                return t;
            }
        }

        public int RawReasonCount => _rawUsed;
        public uint RawReason(int slot) => _rawReason[slot];
        public ulong RawReasonExits(int slot) => _rawCount[slot];

        /// <summary>Counts one exit (a kind out of range counts as Unknown); Unknown exits also by raw reason.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Count(VmExitKind kind, uint rawReason)
        {
            if ((uint)kind < (uint)VmExitKind.Unknown)
            {
                _byKind[(int)kind]++;                   // every exit passes here: one increment
                return;
            }
            _byKind[(int)VmExitKind.Unknown]++;
            CountRaw(rawReason, 1);
        }

        private void CountRaw(uint raw, ulong n)
        {
            for (int i = 0; i < _rawUsed; i++)
                if (_rawReason[i] == raw) { _rawCount[i] += n; return; }
            if (_rawUsed == RawSlots) { UnknownOverflow += n; return; }
            _rawReason[_rawUsed] = raw;
            _rawCount[_rawUsed++] = n;
        }

        /// <summary>Adds these counters into <paramref name="sum"/>.</summary>
        public void AddTo(ExitCounters sum)
        {
            for (int i = 0; i < KindCount; i++)
                sum._byKind[i] += _byKind[i];
            for (int i = 0; i < _rawUsed; i++)
                sum.CountRaw(_rawReason[i], _rawCount[i]);
            sum.UnknownOverflow += UnknownOverflow;
            sum.UnclaimedIoReads += UnclaimedIoReads;
            sum.UnclaimedIoWrites += UnclaimedIoWrites;
            sum.UnclaimedMmioReads += UnclaimedMmioReads;
            sum.UnclaimedMmioWrites += UnclaimedMmioWrites;
            sum.InjectedInterrupts += InjectedInterrupts;
            sum.InjectedExceptions += InjectedExceptions;
            sum.CoalescedInterrupts += CoalescedInterrupts;
            sum.InjectedNmis += InjectedNmis;
            sum.InitSignals += InitSignals;
            sum.StartupIpis += StartupIpis;
            sum.GuestTimerFires += GuestTimerFires;
            sum.KickIpis += KickIpis;
            sum.GuestTimerLate += GuestTimerLate;
        }

        /// <summary>Short name of an exit kind for reports.</summary>
        public static string KindName(VmExitKind kind)
        {
            switch (kind)
            {
                case VmExitKind.None: return "none";
                case VmExitKind.Cpuid: return "cpuid";
                case VmExitKind.Hlt: return "hlt";
                case VmExitKind.IoIn: return "io-in";
                case VmExitKind.IoOut: return "io-out";
                case VmExitKind.MmioAccess: return "mmio";
                case VmExitKind.MemoryFault: return "memory-fault";
                case VmExitKind.EptMisconfig: return "ept-misconfig";
                case VmExitKind.MsrRead: return "rdmsr";
                case VmExitKind.MsrWrite: return "wrmsr";
                case VmExitKind.CrAccess: return "cr-access";
                case VmExitKind.Exception: return "exception";
                case VmExitKind.Nmi: return "nmi";
                case VmExitKind.ExternalInterrupt: return "ext-intr";
                case VmExitKind.InterruptWindow: return "intr-window";
                case VmExitKind.TripleFault: return "triple-fault";
                case VmExitKind.Init: return "init";
                case VmExitKind.Sipi: return "sipi";
                case VmExitKind.Hypercall: return "hypercall";
                case VmExitKind.Xsetbv: return "xsetbv";
                case VmExitKind.PreemptionTimer: return "preempt";
                case VmExitKind.Invalid: return "entry-failure";
                default: return "unknown";
            }
        }
    }
}
