// The host's I/O APICs (Intel 82093AA data sheet: IOREGSEL at +0x00, IOWIN at +0x10; register 1
// = version with the highest redirection entry in bits 23:16; entries at 0x10 + 2n, low and high
// dwords). At boot every pin is masked: host devices are polled or passed through, and nothing
// may interrupt the hypervisor unexpectedly. Route() is for drivers that want a pin.
namespace Hv.Arch.Apic
{
    public static unsafe class IoApic
    {
        private const uint RegVersion = 0x01, RegRedirection = 0x10;
        private const uint Masked = 1u << 16, LevelTriggered = 1u << 15, ActiveLow = 1u << 13;

        private static uint Read(ulong mmio, uint reg)
        {
            *(uint*)mmio = reg;
            return *(uint*)(mmio + 0x10);
        }

        private static void Write(ulong mmio, uint reg, uint value)
        {
            *(uint*)mmio = reg;
            *(uint*)(mmio + 0x10) = value;
        }

        /// <summary>Number of redirection entries (pins).</summary>
        public static int Pins(ulong mmio) => (int)((Read(mmio, RegVersion) >> 16) & 0xFF) + 1;

        /// <summary>Masks every pin; returns the pin count.</summary>
        public static int MaskAll(ulong mmio)
        {
            int pins = Pins(mmio);
            for (uint n = 0; n < pins; n++)
            {
                Write(mmio, RegRedirection + 2 * n, Masked);
                Write(mmio, RegRedirection + 2 * n + 1, 0);
            }
            return pins;
        }

        /// <summary>Routes a pin to a vector on one CPU (physical destination, fixed delivery), unmasked.</summary>
        public static void Route(ulong mmio, int pin, byte vector, uint apicId, bool level, bool activeLow)
        {
            uint low = vector | (level ? LevelTriggered : 0) | (activeLow ? ActiveLow : 0);
            Write(mmio, RegRedirection + 2 * (uint)pin + 1, apicId << 24);
            Write(mmio, RegRedirection + 2 * (uint)pin, low);
        }

        public static void Mask(ulong mmio, int pin) => Write(mmio, RegRedirection + 2 * (uint)pin, Masked);
    }
}
