// 16550A register map and bits (National Semiconductor / TI PC16550D datasheet, "Register
// Summary", sections 8.1-8.8). Offsets from the base port; DLAB is LCR bit 7.
using System;

namespace Hv.Devices.Uart
{
    /// <summary>Register offsets. 0 and 1 are the divisor latch while DLAB = 1; 2 is IIR on reads, FCR on writes, whatever DLAB says.</summary>
    public enum UartRegister : byte
    {
        Data = 0,               // RBR (read) / THR (write); DLL with DLAB
        InterruptEnable = 1,    // IER; DLM with DLAB
        InterruptId = 2,        // IIR (read) / FCR (write)
        LineControl = 3,
        ModemControl = 4,
        LineStatus = 5,
        ModemStatus = 6,
        Scratch = 7,
    }

    [Flags]
    public enum UartIer : byte
    {
        ReceivedData = 0x01,    // ERBFI
        TransmitterEmpty = 0x02,// ETBEI
        LineStatus = 0x04,      // ELSI
        ModemStatus = 0x08,     // EDSSI
        /// <summary>Bits 7:4 are always 0 on a 16550A (Linux's probe relies on it).</summary>
        Implemented = 0x0F,
    }

    /// <summary>IIR bits 3:0, highest priority first; bit 0 = 1 means nothing pending.</summary>
    public enum UartInterruptId : byte
    {
        LineStatus = 0x06,
        ReceivedData = 0x04,
        CharacterTimeout = 0x0C,
        TransmitterEmpty = 0x02,
        ModemStatus = 0x00,
        None = 0x01,
    }

    [Flags]
    public enum UartIir : byte
    {
        /// <summary>IIR bits 7:6 = 11 while the FIFOs are enabled: how a 16550A is told from a 16550 / 8250.</summary>
        FifosEnabled = 0xC0,
    }

    [Flags]
    public enum UartFcr : byte
    {
        Enable = 0x01,
        ClearReceive = 0x02,
        ClearTransmit = 0x04,
        DmaMode = 0x08,
        /// <summary>Bits 7:6: receive trigger level 1, 4, 8, 14 bytes.</summary>
        TriggerMask = 0xC0,
    }

    [Flags]
    public enum UartLcr : byte
    {
        WordLengthMask = 0x03,
        StopBits = 0x04,
        Parity = 0x08,
        Break = 0x40,
        DivisorLatchAccess = 0x80,
    }

    [Flags]
    public enum UartMcr : byte
    {
        Dtr = 0x01,
        Rts = 0x02,
        Out1 = 0x04,
        /// <summary>On a PC, OUT2 enables the UART's IRQ onto the ISA bus.</summary>
        Out2 = 0x08,
        Loopback = 0x10,
        Implemented = 0x1F,
    }

    [Flags]
    public enum UartLsr : byte
    {
        DataReady = 0x01,
        Overrun = 0x02,
        Parity = 0x04,
        Framing = 0x08,
        Break = 0x10,
        TransmitHoldingEmpty = 0x20,
        TransmitterEmpty = 0x40,
        FifoError = 0x80,
        Errors = Overrun | Parity | Framing | Break,
    }

    [Flags]
    public enum UartMsr : byte
    {
        DeltaCts = 0x01,
        DeltaDsr = 0x02,
        TrailingEdgeRi = 0x04,
        DeltaDcd = 0x08,
        Cts = 0x10,
        Dsr = 0x20,
        Ri = 0x40,
        Dcd = 0x80,
        Deltas = 0x0F,
    }
}
