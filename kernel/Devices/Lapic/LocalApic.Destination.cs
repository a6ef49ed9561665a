// Message addressing (SDM Vol. 3A §11.6.2): shorthands, physical IDs with broadcast, logical
// flat/cluster (xAPIC, DFR + LDR) and x2APIC logical cluster (§11.12.10). The VM's bus calls this on
// every LAPIC for every message and Accepts where it matches. Lowest-priority delivery needs an
// arbitration among the matches (§11.6.2.4); the bus may simply take the first match, which the
// SDM allows for software that keeps TPRs equal (Linux does) and which every OS tolerates.
using Hv.Devices.Platform;

namespace Hv.Devices.Lapic
{
    public sealed partial class LocalApic
    {
        private const uint XApicBroadcast = 0xFF;
        private const uint X2ApicBroadcast = 0xFFFF_FFFF;
        /// <summary>SourceApicId of messages from the IOAPIC or an MSI (PlatformContracts.ApicMessage).</summary>
        private const uint NoSourceApic = uint.MaxValue;
        private const uint DfrFlat = 0xF;

        /// <summary>Whether this APIC is a destination of <paramref name="message"/>. Any thread (reads are single words). A globally disabled APIC is nobody's destination.</summary>
        public bool MatchesDestination(in ApicMessage message)
        {
            ApicMode mode = Mode;
            if (mode == ApicMode.Disabled)
                return false;
            uint id = ApicId;
            switch (message.Shorthand)
            {
                case ApicShorthand.Self: return message.SourceApicId == id;
                case ApicShorthand.AllIncludingSelf: return true;
                case ApicShorthand.AllExcludingSelf: return message.SourceApicId != id;
            }
            uint destination = message.Destination;
            bool x2 = mode == ApicMode.X2Apic;
            // Broadcast: all ones of the destination's width. An 8-bit 0xFF from the IOAPIC or an MSI
            // (xAPIC format, no interrupt remapping) still means "all" to an x2APIC.
            if (destination == X2ApicBroadcast || (destination == XApicBroadcast && (!x2 || message.SourceApicId == NoSourceApic)))
                return true;
            if (!message.LogicalDestination)
                return destination == id;
            uint ldr = _ldr;
            if (x2)
                return (destination >> 16) == (ldr >> 16) && (destination & ldr & 0xFFFF) != 0;
            uint logical = ldr >> 24;
            if ((_dfr >> 28) == DfrFlat)
                return (logical & destination) != 0;
            return (logical >> 4) == (destination >> 4) && (logical & destination & 0xF) != 0;
        }
    }
}
