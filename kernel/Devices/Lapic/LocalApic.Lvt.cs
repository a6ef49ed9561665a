// The local vector table (SDM Vol. 3A §11.5.1 Figure 11-8): which bits each entry stores, how an
// entry fires, and the LINT inputs. Delivery status (bit 12) always reads 0: a local interrupt is
// posted to the IRR at once, never left pending. LINT remote IRR (bit 14) is not modelled (reads
// 0): the LINT inputs are pulsed (edge) by the VM, and the PIC's level INTR is polled instead.
using System.Threading;
using Hv.Devices.Platform;

namespace Hv.Devices.Lapic
{
    public sealed partial class LocalApic
    {
        private const uint LvtVectorModeMask = ApicFields.VectorMask | ApicFields.DeliveryModeMask | ApicFields.Masked;
        private const uint LvtLintMask = LvtVectorModeMask | ApicFields.PolarityLow | ApicFields.LevelTrigger;
        private const uint LvtErrorMask = ApicFields.VectorMask | ApicFields.Masked;
        private const uint LvtTimerPeriodic = (uint)LvtTimerMode.Periodic << ApicFields.TimerModeShift;

        /// <summary>The bits an entry stores: the timer and error entries have no delivery mode, only LINT0/1 have polarity and trigger.</summary>
        private uint LvtWritable(LvtIndex lvt)
        {
            switch (lvt)
            {
                case LvtIndex.Timer:
                    return LvtErrorMask | (_tsc != null ? ApicFields.TimerModeMask : LvtTimerPeriodic);
                case LvtIndex.Lint0:
                case LvtIndex.Lint1:
                    return LvtLintMask;
                case LvtIndex.Error:
                    return LvtErrorMask;
                default:
                    return LvtVectorModeMask;                            // CMCI, thermal, performance
            }
        }

        private bool WriteLvt(LvtIndex lvt, uint value, bool x2)
        {
            uint writable = LvtWritable(lvt);
            uint readOnly = ApicFields.DeliveryStatus | (lvt == LvtIndex.Lint0 || lvt == LvtIndex.Lint1 ? ApicFields.RemoteIrr : 0);
            if (x2 && (value & ~(writable | readOnly)) != 0)
                return false;
            value &= writable;
            if (lvt == LvtIndex.Timer && new LvtEntry(value).TimerMode == LvtTimerMode.Reserved)
            {
                // Mode 11b is reserved (§11.5.1): x2APIC faults, xAPIC keeps the previous mode.
                if (x2)
                    return false;
                value = (value & ~ApicFields.TimerModeMask) | (_lvt[(int)lvt] & ApicFields.TimerModeMask);
            }
            if (!SoftwareEnabled)
                value |= ApicFields.Masked;                              // §11.4.7.2: cannot unmask while disabled
            if (lvt == LvtIndex.Timer)
            {
                Advance(_clock.NowNs());                                 // expire under the old mask and mode first
                _timer.SetMode(new LvtEntry(value).TimerMode);
            }
            _lvt[(int)lvt] = value;
            return true;
        }

        /// <summary>
        /// An LVT entry fires: its vector into the IRR (fixed; the timer and error entries are always
        /// fixed), or a pending NMI, INIT or ExtINT. Masked entries and SMI do nothing.
        /// </summary>
        private void DeliverLvt(LvtIndex lvt)
        {
            var entry = new LvtEntry(_lvt[(int)lvt]);
            if (entry.Masked)
                return;
            ApicDeliveryMode mode = lvt == LvtIndex.Timer || lvt == LvtIndex.Error ? ApicDeliveryMode.Fixed : entry.DeliveryMode;
            switch (mode)
            {
                case ApicDeliveryMode.Fixed:
                    PostVector(entry.Vector, false);
                    break;
                case ApicDeliveryMode.Nmi:
                    Interlocked.Exchange(ref _nmiPending, 1);
                    break;
                case ApicDeliveryMode.Init:
                    RaiseInit();
                    break;
                case ApicDeliveryMode.ExtInt:
                    Interlocked.Exchange(ref _extIntPending, 1);
                    break;
            }
        }

        /// <summary>
        /// An edge on LINT0 (<paramref name="pin"/> 0) or LINT1 (1), e.g. the platform's NMI source on
        /// LINT1: delivered as the entry says. vCPU thread. The PIC's INTR on LINT0 is polled through
        /// <see cref="AcceptsPicInterrupts"/> instead, as it is a level that the INTA cycle answers.
        /// </summary>
        public void PulseLint(int pin)
        {
            if (pin == 0)
                DeliverLvt(LvtIndex.Lint0);
            else if (pin == 1)
                DeliverLvt(LvtIndex.Lint1);
        }

        /// <summary>
        /// True when the 8259's INTR reaches this CPU: the APIC is globally disabled (the CPU then has
        /// only its INTR pin, §11.4.3) or LINT0 is unmasked in ExtINT mode (virtual-wire mode, §11.5.1).
        /// </summary>
        public bool AcceptsPicInterrupts
        {
            get
            {
                if (Mode == ApicMode.Disabled)
                    return true;
                var lint0 = Lint0;
                return !lint0.Masked && lint0.DeliveryMode == ApicDeliveryMode.ExtInt;
            }
        }
    }
}
