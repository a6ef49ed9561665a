// Read-only view of one local vector table entry (SDM Vol. 3A §11.5.1 Figure 11-8). The VM reads
// LINT0/LINT1 through it to route the PIC's INTR and the NMI line (virtual-wire mode, §11.5.1 and
// MP spec §3.6.2.2).
using Hv.Devices.Platform;

namespace Hv.Devices.Lapic
{
    public readonly struct LvtEntry
    {
        public readonly uint Raw;

        public LvtEntry(uint raw) { Raw = raw; }

        public byte Vector => (byte)(Raw & ApicFields.VectorMask);
        public ApicDeliveryMode DeliveryMode => (ApicDeliveryMode)((Raw & ApicFields.DeliveryModeMask) >> ApicFields.DeliveryModeShift);
        public bool Masked => (Raw & ApicFields.Masked) != 0;
        /// <summary>LINT0/LINT1 only: the input is active low.</summary>
        public bool ActiveLow => (Raw & ApicFields.PolarityLow) != 0;
        /// <summary>LINT0/LINT1 only (SDM: LINT1 is always edge in practice).</summary>
        public bool LevelTriggered => (Raw & ApicFields.LevelTrigger) != 0;
        /// <summary>Timer only.</summary>
        public LvtTimerMode TimerMode => (LvtTimerMode)((Raw & ApicFields.TimerModeMask) >> ApicFields.TimerModeShift);
    }
}
