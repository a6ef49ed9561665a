// The IOAPIC's inputs and its messages (82093AA datasheet §2.4 and the IOREDTBL description):
// - edge entries send one message per inactive -> active transition; edges on a masked pin are lost;
// - level entries send while the pin is active, unmasked and Remote IRR is clear, and set Remote IRR;
//   the LAPIC's EOI (IApicBus.BroadcastEoi -> Eoi, or the EOI register) clears it, and a pin still
//   active then sends again;
// - polarity: an active-low pin is active when its line is low.
// Delivery status stays 0: the bus delivers synchronously.
using Hv.Devices.Platform;

namespace Hv.Devices.Ioapic
{
    public sealed partial class IoApic
    {
        /// <summary>Source ID of IOAPIC messages (ApicMessage.SourceApicId: not a LAPIC).</summary>
        private const uint NoSourceApic = uint.MaxValue;

        /// <summary>Drives input <paramref name="pin"/> (GSI) to the line level <paramref name="high"/>. Pins outside 0-23 are ignored.</summary>
        public void SetPin(int pin, bool high)
        {
            if ((uint)pin >= PinCount)
                return;
            uint bit = 1u << pin;
            bool wasHigh = (_pinLevels & bit) != 0;
            if (high)
                _pinLevels |= bit;
            else
                _pinLevels &= ~bit;
            var entry = new RedirectionEntry(_entries[pin]);
            if (entry.LevelTriggered)
            {
                DeliverIfLevelPending(pin);
                return;
            }
            bool wasActive = wasHigh != entry.ActiveLow;
            bool active = high != entry.ActiveLow;
            if (active && !wasActive && !entry.Masked)
                Send(entry);
        }

        /// <summary>The line level last given to <paramref name="pin"/>.</summary>
        public bool GetPinLevel(int pin) => (uint)pin < PinCount && (_pinLevels & (1u << pin)) != 0;

        /// <summary>
        /// End of interrupt for <paramref name="vector"/> (a LAPIC's EOI of a level-triggered vector, or
        /// the EOI register): level entries with that vector and Remote IRR set clear it, and deliver
        /// again if their pin is still active.
        /// </summary>
        public void Eoi(byte vector)
        {
            for (int pin = 0; pin < PinCount; pin++)
            {
                var entry = new RedirectionEntry(_entries[pin]);
                if (!entry.LevelTriggered || !entry.RemoteIrr || entry.Vector != vector)
                    continue;
                _entries[pin] &= ~RedirectionEntry.RemoteIrrBit;
                DeliverIfLevelPending(pin);
            }
        }

        /// <summary>A level entry whose pin is active, unmasked and without Remote IRR sends and sets Remote IRR.</summary>
        private void DeliverIfLevelPending(int pin)
        {
            var entry = new RedirectionEntry(_entries[pin]);
            if (!entry.LevelTriggered || entry.Masked || entry.RemoteIrr)
                return;
            bool active = ((_pinLevels & (1u << pin)) != 0) != entry.ActiveLow;
            if (active && Send(entry))
                _entries[pin] |= RedirectionEntry.RemoteIrrBit;
        }

        /// <summary>Sends the entry's message; false for the delivery modes reserved in an IOAPIC (011b, 110b).</summary>
        private bool Send(RedirectionEntry entry)
        {
            ApicDeliveryMode mode = entry.DeliveryMode;
            if (mode != ApicDeliveryMode.Fixed && mode != ApicDeliveryMode.LowestPriority && mode != ApicDeliveryMode.Smi
                && mode != ApicDeliveryMode.Nmi && mode != ApicDeliveryMode.Init && mode != ApicDeliveryMode.ExtInt)
                return false;
            var message = new ApicMessage
            {
                Vector = entry.Vector,
                Mode = mode,
                LogicalDestination = entry.LogicalDestination,
                Destination = entry.Destination,
                Shorthand = ApicShorthand.None,
                LevelTriggered = entry.LevelTriggered,
                Assert = true,
                SourceApicId = NoSourceApic,
            };
            _bus.Send(in message);
            return true;
        }
    }
}
