// From the IRR to the vCPU and back (SDM Vol. 3A §11.8.3-§11.8.5): priorities, the INTA step
// (IRR -> ISR) and EOI. vCPU thread only.
using Hv.Devices.Platform;

namespace Hv.Devices.Lapic
{
    public sealed partial class LocalApic
    {
        /// <summary>TPR (8 bits). MOV to/from CR8 use bits 7:4 (§11.8.6.1): see Cr8 / WriteCr8.</summary>
        public uint TaskPriority => _tpr;

        public void SetTaskPriority(uint tpr) => _tpr = tpr & TprMask;

        /// <summary>CR8 as the guest reads it: TPR[7:4].</summary>
        public ulong Cr8 => _tpr >> 4;

        /// <summary>MOV to CR8: TPR[7:4] = CR8[3:0], TPR[3:0] = 0 (§11.8.6.1; CR8 bits 63:4 are the caller's #GP check).</summary>
        public void WriteCr8(ulong cr8) => _tpr = (uint)(cr8 & 0xF) << 4;

        /// <summary>PPR (§11.8.3.1): the TPR, or the class of the highest in-service vector if that is higher.</summary>
        public uint ProcessorPriority
        {
            get
            {
                uint isrClass = HighestClass(_isr);
                return (_tpr & 0xF0) >= isrClass ? _tpr : isrClass;
            }
        }

        /// <summary>APR (§11.8.2 Figure 11-15): the priority for lowest-priority arbitration. Reported only; arbitration is first-match.</summary>
        public uint ArbitrationPriority
        {
            get
            {
                uint tprClass = _tpr & 0xF0;
                uint isrClass = HighestClass(_isr);
                uint irrClass = HighestClass(_irr);
                if (tprClass >= irrClass && tprClass > isrClass)
                    return _tpr;
                uint max = tprClass > isrClass ? tprClass : isrClass;
                return max > irrClass ? max : irrClass;
            }
        }

        private static uint HighestClass(int[] set)
        {
            int v = ApicVectorBits.Highest(set);
            return v < 0 ? 0 : (uint)v & 0xF0;
        }

        /// <summary>
        /// The interrupt the vCPU should take next: the highest IRR vector whose priority class is above
        /// PPR[7:4] (§11.8.3.1, §11.8.4). False when there is none or the APIC is globally disabled.
        /// The interrupt stays in the IRR until <see cref="AcknowledgeInterrupt"/>.
        /// </summary>
        public bool TryGetInterrupt(out byte vector)
        {
            vector = 0;
            if (Mode == ApicMode.Disabled)
                return false;
            int highest = ApicVectorBits.Highest(_irr);
            if (highest < 0 || ((uint)highest & 0xF0) <= (ProcessorPriority & 0xF0))
                return false;
            vector = (byte)highest;
            return true;
        }

        /// <summary>The vCPU injected <paramref name="vector"/> (from TryGetInterrupt): IRR bit -> ISR bit, which raises the PPR (§11.8.4). A vector not in the IRR is ignored.</summary>
        public void AcknowledgeInterrupt(byte vector)
        {
            if (ApicVectorBits.ClearAtomic(_irr, vector))
                ApicVectorBits.Set(_isr, vector);
        }

        /// <summary>
        /// EOI (§11.8.5): ends the highest in-service interrupt; for a level-triggered one (TMR bit set)
        /// the EOI is broadcast so the IOAPIC can clear Remote IRR (there is no suppression, see VersionValue).
        /// </summary>
        private void WriteEoi()
        {
            int vector = ApicVectorBits.Highest(_isr);
            if (vector < 0)
                return;
            ApicVectorBits.Clear(_isr, (byte)vector);
            if (ApicVectorBits.Test(_tmr, (byte)vector))
                _bus.BroadcastEoi((byte)vector);
        }

        /// <summary>
        /// Anything for the vCPU: a deliverable interrupt, or a pending NMI, INIT, SIPI or ExtINT. For a
        /// halted vCPU deciding whether to wake (it still needs RFLAGS.IF for maskable ones).
        /// </summary>
        public bool HasPendingEvents => TryGetInterrupt(out _) || NmiPending || InitPending || ExtIntPending
            || (IsWaitingForSipi && System.Threading.Volatile.Read(ref _sipi) != 0);
    }
}
