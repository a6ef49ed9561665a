// 8259A command word encodings (Intel 8259A datasheet, "Initialization Command Words" and
// "Operation Command Words", Figures 6-8).
using System;

namespace Hv.Devices.Pic
{
    /// <summary>ICW1, written to the command port (A0 = 0) with D4 = 1.</summary>
    [Flags]
    public enum Icw1 : byte
    {
        /// <summary>IC4: an ICW4 follows.</summary>
        Icw4Needed = 1 << 0,
        /// <summary>SNGL: no cascade, so no ICW3.</summary>
        Single = 1 << 1,
        /// <summary>ADI: call address interval (8080 mode only; ignored).</summary>
        Interval4 = 1 << 2,
        /// <summary>LTIM: every input level-triggered.</summary>
        LevelTriggered = 1 << 3,
        /// <summary>D4 = 1 marks ICW1.</summary>
        Select = 1 << 4,
    }

    /// <summary>ICW4 (data port, last word of the initialisation when IC4 was set).</summary>
    [Flags]
    public enum Icw4 : byte
    {
        /// <summary>µPM: 8086/88 mode (the only one modelled: the vector is ICW2[7:3] | IR).</summary>
        Mode8086 = 1 << 0,
        AutoEoi = 1 << 1,
        /// <summary>M/S and BUF: buffered-mode wiring, no effect here.</summary>
        MasterBuffered = 1 << 2,
        Buffered = 1 << 3,
        /// <summary>SFNM: special fully nested mode (for a master with slaves).</summary>
        SpecialFullyNested = 1 << 4,
    }

    /// <summary>OCW2 commands: bits 7:5 = R, SL, EOI (bits 2:0 carry the IR level where SL = 1).</summary>
    public enum Ocw2Command : byte
    {
        RotateInAutoEoiClear = 0x00,
        NonSpecificEoi = 0x20,
        NoOperation = 0x40,
        SpecificEoi = 0x60,
        RotateInAutoEoiSet = 0x80,
        RotateOnNonSpecificEoi = 0xA0,
        SetPriority = 0xC0,
        RotateOnSpecificEoi = 0xE0,
    }

    /// <summary>OCW3 (command port, D4 = 0, D3 = 1).</summary>
    [Flags]
    public enum Ocw3 : byte
    {
        /// <summary>RIS: with RR, read the ISR (1) or the IRR (0) on the next command-port reads.</summary>
        ReadIsr = 1 << 0,
        /// <summary>RR: RIS is valid.</summary>
        ReadRegister = 1 << 1,
        /// <summary>P: poll command.</summary>
        Poll = 1 << 2,
        /// <summary>D3 = 1 marks OCW3 (D4 = 0).</summary>
        Select = 1 << 3,
        /// <summary>SMM: special mask mode on (1) or off (0) when ESMM is set.</summary>
        SpecialMask = 1 << 5,
        /// <summary>ESMM: SMM is valid.</summary>
        EnableSpecialMask = 1 << 6,
    }
}
