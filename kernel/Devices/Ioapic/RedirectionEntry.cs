// One I/O redirection table entry (82093AA datasheet §3.2.4 "IOREDTBL[23:0]"):
//
//   63      56 55           17  16   15   14    13   12   11   10  8  7      0
//  +----------+---------------+----+----+-----+----+----+----+------+--------+
//  |   dest   |   reserved    |mask|trig|rIRR |pol |dlvs|dstm| dlvm | vector |
//  +----------+---------------+----+----+-----+----+----+----+------+--------+
//
// dest: APIC ID (physical) or logical set; trig 1 = level; rIRR (read-only) = a level interrupt
// was accepted and its EOI has not come back; pol 1 = active low; dlvs (read-only) = delivery
// status; dstm 1 = logical.
using Hv.Devices.Platform;

namespace Hv.Devices.Ioapic
{
    public readonly struct RedirectionEntry
    {
        public const ulong VectorMask = 0xFF;
        public const int DeliveryModeShift = 8;
        public const ulong DeliveryModeMask = 0x7UL << DeliveryModeShift;
        public const ulong LogicalDestinationBit = 1UL << 11;
        public const ulong DeliveryStatusBit = 1UL << 12;
        public const ulong ActiveLowBit = 1UL << 13;
        public const ulong RemoteIrrBit = 1UL << 14;
        public const ulong LevelTriggeredBit = 1UL << 15;
        public const ulong MaskedBit = 1UL << 16;
        public const int DestinationShift = 56;

        /// <summary>Bits software writes in the low dword (delivery status and Remote IRR are read-only).</summary>
        public const uint LowWritable = (uint)(VectorMask | DeliveryModeMask | LogicalDestinationBit | ActiveLowBit | LevelTriggeredBit | MaskedBit);
        /// <summary>Bits software writes in the high dword: the destination field, 63:56.</summary>
        public const uint HighWritable = 0xFF00_0000;

        /// <summary>Power-up value: masked, everything else 0 (datasheet: the mask bit resets to 1).</summary>
        public const ulong ResetValue = MaskedBit;

        public readonly ulong Raw;

        public RedirectionEntry(ulong raw) { Raw = raw; }

        public byte Vector => (byte)(Raw & VectorMask);
        public ApicDeliveryMode DeliveryMode => (ApicDeliveryMode)((Raw & DeliveryModeMask) >> DeliveryModeShift);
        public bool LogicalDestination => (Raw & LogicalDestinationBit) != 0;
        public bool ActiveLow => (Raw & ActiveLowBit) != 0;
        public bool RemoteIrr => (Raw & RemoteIrrBit) != 0;
        public bool LevelTriggered => (Raw & LevelTriggeredBit) != 0;
        public bool Masked => (Raw & MaskedBit) != 0;
        public byte Destination => (byte)(Raw >> DestinationShift);
    }
}
