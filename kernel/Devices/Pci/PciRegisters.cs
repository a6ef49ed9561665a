// Type 0 configuration header (PCI Local Bus 3.0 §6.1, Figure 6-1; §6.2.2 Command, §6.2.3
// Status; §6.2.5 Base Address Registers).
using System;

namespace Hv.Devices.Pci
{
    /// <summary>Offsets in a type 0 header.</summary>
    public enum PciConfigOffset : byte
    {
        VendorId = 0x00,
        DeviceId = 0x02,
        Command = 0x04,
        Status = 0x06,
        RevisionId = 0x08,
        ProgIf = 0x09,
        Subclass = 0x0A,
        ClassCode = 0x0B,
        CacheLineSize = 0x0C,
        LatencyTimer = 0x0D,
        HeaderType = 0x0E,
        Bist = 0x0F,
        Bar0 = 0x10,
        CardbusCis = 0x28,
        SubsystemVendorId = 0x2C,
        SubsystemId = 0x2E,
        ExpansionRom = 0x30,
        CapabilitiesPointer = 0x34,
        InterruptLine = 0x3C,
        InterruptPin = 0x3D,
    }

    [Flags]
    public enum PciCommand : ushort
    {
        IoSpace = 0x0001,
        MemorySpace = 0x0002,
        BusMaster = 0x0004,
        ParityErrorResponse = 0x0040,
        SErrEnable = 0x0100,
        InterruptDisable = 0x0400,
    }

    [Flags]
    public enum PciStatus : ushort
    {
        InterruptStatus = 0x0008,
        CapabilitiesList = 0x0010,
        MasterDataParityError = 0x0100,
        SignaledTargetAbort = 0x0800,
        ReceivedTargetAbort = 0x1000,
        ReceivedMasterAbort = 0x2000,
        SignaledSystemError = 0x4000,
        DetectedParityError = 0x8000,
        /// <summary>The error bits software clears by writing 1.</summary>
        WriteOneToClear = MasterDataParityError | SignaledTargetAbort | ReceivedTargetAbort | ReceivedMasterAbort | SignaledSystemError | DetectedParityError,
    }

    /// <summary>Header type register bit 7.</summary>
    public static class PciHeaderType
    {
        public const byte Normal = 0x00;
        public const byte MultiFunction = 0x80;
    }
}
