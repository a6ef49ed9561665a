// Inter-processor interrupts (SDM Vol. 3A §11.6): the ICR (xAPIC: two 32-bit registers, the write
// to the low one sends; x2APIC: one 64-bit MSR 0x830, §11.12.9) and the x2APIC SELF IPI register
// (§11.12.11). Messages leave through IApicBus.Send and are delivered synchronously, so the
// delivery-status bit is always 0 (idle).
using Hv.Devices.Platform;

namespace Hv.Devices.Lapic
{
    public sealed partial class LocalApic
    {
        /// <summary>ICR low bits software sets: vector, delivery mode, destination mode, level, trigger, shorthand (Figure 11-12).</summary>
        private const uint IcrWritable = ApicFields.VectorMask | ApicFields.DeliveryModeMask | ApicFields.LogicalDestination
            | ApicFields.IcrAssert | ApicFields.LevelTrigger | ApicFields.IcrShorthandMask;

        /// <summary>x2APIC ICR low bits that do not fault (§11.12.9 Figure 11-28); delivery status is tolerated and ignored.</summary>
        private const uint IcrX2Allowed = IcrWritable | ApicFields.DeliveryStatus;

        private bool WriteIcrX2(ulong value)
        {
            uint low = (uint)value;
            if ((low & ~IcrX2Allowed) != 0)
                return false;
            _icrLow = low & IcrWritable;
            _icrHigh = (uint)(value >> 32);
            SendIpi();
            return true;
        }

        private ulong IcrX2 => (ulong)_icrHigh << 32 | _icrLow;

        /// <summary>
        /// Sends what the ICR holds. Fixed and lowest-priority IPIs with vectors 0-15 are not sent and set
        /// ESR "send illegal vector" (§11.5.3). Delivery modes reserved for IPIs (011b, and ExtINT 111b,
        /// Table 11-2) send nothing. The self shorthand, valid only with fixed delivery (§11.6.1), is
        /// accepted here without the bus.
        /// </summary>
        private void SendIpi()
        {
            bool x2 = Mode == ApicMode.X2Apic;
            var message = new ApicMessage
            {
                Vector = (byte)(_icrLow & ApicFields.VectorMask),
                Mode = (ApicDeliveryMode)((_icrLow & ApicFields.DeliveryModeMask) >> ApicFields.DeliveryModeShift),
                LogicalDestination = (_icrLow & ApicFields.LogicalDestination) != 0,
                Destination = x2 ? _icrHigh : _icrHigh >> 24,
                Shorthand = (ApicShorthand)((_icrLow & ApicFields.IcrShorthandMask) >> ApicFields.IcrShorthandShift),
                LevelTriggered = (_icrLow & ApicFields.LevelTrigger) != 0,
                Assert = (_icrLow & ApicFields.IcrAssert) != 0,
                SourceApicId = ApicId,
            };
            switch (message.Mode)
            {
                case ApicDeliveryMode.Fixed:
                case ApicDeliveryMode.LowestPriority:
                    if (message.Vector < ApicFields.FirstLegalVector)
                    {
                        ReportError(ApicErrors.SendIllegalVector);
                        return;
                    }
                    break;
                case ApicDeliveryMode.Smi:
                case ApicDeliveryMode.Nmi:
                case ApicDeliveryMode.Init:
                case ApicDeliveryMode.StartUp:
                    break;
                default:
                    return;
            }
            if (message.Shorthand == ApicShorthand.Self)
            {
                if (message.Mode == ApicDeliveryMode.Fixed)
                    Accept(in message);
                return;
            }
            _bus.Send(in message);
        }

        /// <summary>SELF IPI (x2APIC MSR 0x83F): a fixed, edge-triggered interrupt to this APIC; vectors 0-15 are a receive error.</summary>
        private void SendSelfIpi(byte vector)
        {
            var message = new ApicMessage
            {
                Vector = vector,
                Mode = ApicDeliveryMode.Fixed,
                Shorthand = ApicShorthand.Self,
                Assert = true,
                SourceApicId = ApicId,
            };
            Accept(in message);
        }
    }
}
