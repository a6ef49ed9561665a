// Port 0x61, "system control port B" / NMI status and control of the PC chipset (IBM PC/AT
// technical reference; Intel ICH "NMI_SC" register, I/O 0x61). Bits 3:0 are read/write, 7:4
// read-only. What matters to a guest: bit 0 gates PIT counter 2 and bit 5 shows its OUT, which is
// how Linux calibrates the TSC against the PIT; bit 4 toggles with each DRAM refresh request
// (every 15.085 us, counter 1's conventional 18 ticks) and some old delay loops poll it. No NMI
// sources exist here, so bits 7:6 read 0.
using System;

namespace Hv.Devices.Pit
{
    /// <summary>Port 0x61 bits.</summary>
    [Flags]
    public enum PortBBits : byte
    {
        Timer2Gate = 0x01,
        SpeakerData = 0x02,
        ParityCheckDisable = 0x04,
        ChannelCheckDisable = 0x08,
        RefreshToggle = 0x10,
        Timer2Output = 0x20,
        ChannelCheck = 0x40,
        ParityError = 0x80,
        Writable = 0x0F,
    }

    public sealed class SystemControlPortB : IIoDevice
    {
        public const ushort Port = 0x61;
        public const ushort PortCount = 1;
        /// <summary>PIT ticks per refresh request (15.085 us).</summary>
        public const ulong RefreshTicks = 18;

        private readonly Pit8254 _pit;
        private byte _latch;

        internal SystemControlPortB(Pit8254 pit) { _pit = pit; }

        /// <summary>The read/write bits 3:0 as last written.</summary>
        public PortBBits Latch => (PortBBits)_latch;

        public void Read(ulong offset, Span<byte> data)
        {
            data.Fill(0xFF);
            if (offset == 0 && data.Length > 0)
                data[0] = (byte)(_latch | _pit.ReadPortB());
        }

        public void Write(ulong offset, ReadOnlySpan<byte> data)
        {
            if (offset != 0 || data.Length == 0)
                return;
            _latch = (byte)(data[0] & (byte)PortBBits.Writable);
            _pit.WriteGate2((_latch & (byte)PortBBits.Timer2Gate) != 0);
        }

        /// <summary>The read-only bits at <paramref name="tick"/>.</summary>
        internal static byte Compose(ulong tick, bool timer2Output)
        {
            int v = (tick / RefreshTicks & 1) != 0 ? (int)PortBBits.RefreshToggle : 0;
            if (timer2Output)
                v |= (int)PortBBits.Timer2Output;
            return (byte)v;
        }
    }
}
