// The 8254 programmable interval timer's register encodings (Intel 8254 datasheet, order no.
// 231164: "Control Word Format", "Read-Back Command", "Status Byte"). Port 0x43 takes the
// control word; ports 0x40-0x42 are the three counters.
using System;

namespace Hv.Devices.Pit
{
    /// <summary>Counter operating mode, control word bits 3:1 (modes 6 and 7 are 2 and 3: bit 3 is "don't care" there).</summary>
    public enum PitMode : byte
    {
        InterruptOnTerminalCount = 0,
        HardwareRetriggerableOneShot = 1,
        RateGenerator = 2,
        SquareWave = 3,
        SoftwareTriggeredStrobe = 4,
        HardwareTriggeredStrobe = 5,
    }

    /// <summary>Read/write access, control word bits 5:4 (RW1, RW0). 0 is the counter latch command.</summary>
    public enum PitAccess : byte
    {
        LatchCommand = 0,
        LowByte = 1,
        HighByte = 2,
        LowThenHigh = 3,
    }

    /// <summary>Fields of a control word written to port 0x43.</summary>
    public static class PitControlWord
    {
        /// <summary>Bits 7:6 = 3 select the read-back command instead of a counter.</summary>
        public const int ReadBackSelect = 3;

        public static int Counter(byte cw) => cw >> 6;
        public static PitAccess Access(byte cw) => (PitAccess)((cw >> 4) & 3);
        public static bool Bcd(byte cw) => (cw & 1) != 0;

        public static PitMode Mode(byte cw)
        {
            int m = (cw >> 1) & 7;
            return (PitMode)(m >= 6 ? m - 4 : m);
        }
    }

    /// <summary>Read-back command bits (control word with bits 7:6 = 11). Latch bits are active low.</summary>
    [Flags]
    public enum PitReadBack : byte
    {
        Counter0 = 0x02,
        Counter1 = 0x04,
        Counter2 = 0x08,
        /// <summary>0 = latch the status of the selected counters.</summary>
        NotStatus = 0x10,
        /// <summary>0 = latch the count of the selected counters.</summary>
        NotCount = 0x20,
    }

    /// <summary>Status byte returned after a read-back with STATUS# = 0.</summary>
    [Flags]
    public enum PitStatus : byte
    {
        Bcd = 0x01,
        /// <summary>Bits 3:1 mode and 5:4 access are the programmed control word's.</summary>
        ControlBitsMask = 0x3F,
        /// <summary>The count register's value has not yet reached the counting element.</summary>
        NullCount = 0x40,
        Output = 0x80,
    }
}
