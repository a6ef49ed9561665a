// Incoming interrupt messages (SDM Vol. 3A §11.6.1 delivery modes, §11.8.4 acceptance into the IRR)
// and the events the vCPU takes from them (INIT, SIPI, NMI, ExtINT). Accept runs on any thread: it
// only uses Interlocked operations (see LocalApic.cs). The Take* methods run on the vCPU's thread.
using System.Threading;
using Hv.Devices.Platform;

namespace Hv.Devices.Lapic
{
    public sealed partial class LocalApic
    {
        private const int SipiPending = 0x100;

        /// <summary>
        /// Accepts a message the bus found addressed to this APIC (MatchesDestination). Fixed and
        /// lowest-priority set the IRR bit, and the TMR bit for a level-triggered message (cleared for
        /// an edge); a software-disabled APIC refuses them (§11.4.7.2), but still takes NMI, INIT and
        /// SIPI. A globally disabled APIC takes nothing. Vectors 0-15 are refused with ESR bit 6
        /// (§11.5.3). SMI is dropped (guests have no SMM). Callable from any thread; the caller kicks
        /// the vCPU afterwards.
        /// </summary>
        public void Accept(in ApicMessage message)
        {
            if (Mode == ApicMode.Disabled)
                return;
            switch (message.Mode)
            {
                case ApicDeliveryMode.Fixed:
                case ApicDeliveryMode.LowestPriority:
                    if (SoftwareEnabled)
                        PostVector(message.Vector, message.LevelTriggered);
                    return;
                case ApicDeliveryMode.Nmi:
                    Interlocked.Exchange(ref _nmiPending, 1);
                    return;
                case ApicDeliveryMode.Init:
                    // INIT level de-assert (trigger level, level 0) does nothing since the Pentium 4 (§11.6.1).
                    if (!(message.LevelTriggered && !message.Assert))
                        RaiseInit();
                    return;
                case ApicDeliveryMode.StartUp:
                    // Only a CPU in wait-for-SIPI responds; the first SIPI wins, a repeat is ignored (§9.4.4.1).
                    if (Volatile.Read(ref _waitingForSipi) != 0)
                        Interlocked.CompareExchange(ref _sipi, SipiPending | message.Vector, 0);
                    return;
                case ApicDeliveryMode.ExtInt:
                    Interlocked.Exchange(ref _extIntPending, 1);
                    return;
                default:
                    return;
            }
        }

        /// <summary>IRR (and TMR) bit for a legal vector; vectors 0-15 raise "received illegal vector" instead.</summary>
        private void PostVector(byte vector, bool level)
        {
            if (vector < ApicFields.FirstLegalVector)
            {
                ReportError(ApicErrors.ReceivedIllegalVector);
                return;
            }
            // TMR before IRR, so that the vCPU never sees the IRR bit with a stale trigger mode.
            if (level)
                ApicVectorBits.SetAtomic(_tmr, vector);
            else
                ApicVectorBits.ClearAtomic(_tmr, vector);
            ApicVectorBits.SetAtomic(_irr, vector);
        }

        /// <summary>Records an error for the next ESR write and raises the LVT error interrupt (§11.5.3).</summary>
        private void ReportError(ApicErrors error)
        {
            while (true)
            {
                int old = Volatile.Read(ref _pendingErrors);
                if (Interlocked.CompareExchange(ref _pendingErrors, old | (int)error, old) == old)
                    break;
            }
            var entry = new LvtEntry(_lvt[(int)LvtIndex.Error]);
            // An illegal error vector would report an error again: it is dropped instead of recursing.
            if (!entry.Masked && entry.Vector >= ApicFields.FirstLegalVector)
                PostVector(entry.Vector, false);
        }

        /// <summary>INIT: pending until the vCPU takes it; an AP (and any CPU after INIT but the BSP) then waits for a SIPI, earlier SIPIs are void.</summary>
        private void RaiseInit()
        {
            Interlocked.Exchange(ref _sipi, 0);
            if (!_isBsp)
                Interlocked.Exchange(ref _waitingForSipi, 1);
            Interlocked.Exchange(ref _initPending, 1);
        }

        public bool InitPending => Volatile.Read(ref _initPending) != 0;

        /// <summary>
        /// Takes a pending INIT: the APIC's registers go back to their INIT state (§11.4.7.3: all but
        /// the ID; mode and base unchanged), pending NMI and ExtINT are dropped. The vCPU then resets its
        /// own state (SDM Vol. 3A §9.1.1 Table 9-1, INIT column): the BSP runs from the reset vector, an
        /// AP waits (IsWaitingForSipi) until TakeSipi succeeds.
        /// </summary>
        public bool TakeInit()
        {
            if (Interlocked.Exchange(ref _initPending, 0) == 0)
                return false;
            ResetRegisters();
            if (!_isBsp)
                Interlocked.Exchange(ref _waitingForSipi, 1);            // again: a racing TakeSipi may have cleared it
            Interlocked.Exchange(ref _nmiPending, 0);
            Interlocked.Exchange(ref _extIntPending, 0);
            return true;
        }

        public bool IsWaitingForSipi => Volatile.Read(ref _waitingForSipi) != 0;

        /// <summary>A start-up IPI was accepted and not yet taken (it wakes a vCPU waiting for SIPI).</summary>
        public bool HasSipi => Volatile.Read(ref _sipi) != 0;

        /// <summary>Takes a start-up IPI received in wait-for-SIPI: the AP starts in real mode at CS = vector &lt;&lt; 8, IP = 0 (§9.4.4.1). Later SIPIs are ignored until the next INIT.</summary>
        public bool TakeSipi(out byte vector)
        {
            vector = 0;
            if (Volatile.Read(ref _sipi) == 0)
                return false;
            Interlocked.Exchange(ref _waitingForSipi, 0);                // first: a SIPI arriving now is refused
            int sipi = Interlocked.Exchange(ref _sipi, 0);
            vector = (byte)sipi;
            return sipi != 0;                                            // 0: an INIT voided it meanwhile
        }

        public bool NmiPending => Volatile.Read(ref _nmiPending) != 0;

        /// <summary>Takes the pending NMI (NMIs that arrive while one is pending merge into it). Call when the vCPU injects it.</summary>
        public bool TakeNmi() => Interlocked.Exchange(ref _nmiPending, 0) != 0;

        /// <summary>An ExtINT message (IOAPIC pin in ExtINT mode, LINT in ExtINT mode) asks the vCPU to run an INTA cycle on the 8259 pair.</summary>
        public bool ExtIntPending => Volatile.Read(ref _extIntPending) != 0;

        /// <summary>Takes the pending ExtINT when the vCPU acknowledges the PIC (PicPair.Acknowledge) and injects its vector.</summary>
        public bool TakeExtInt() => Interlocked.Exchange(ref _extIntPending, 0) != 0;
    }
}
