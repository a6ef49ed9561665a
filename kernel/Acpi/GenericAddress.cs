using System;
using Hv.Virt.Caps;

namespace Hv.Acpi
{
    /// <summary>Generic Address Structure address space IDs (ACPI 6.5 §5.2.3.2, Table 5.2).</summary>
    public enum AddressSpace : byte
    {
        SystemMemory = 0x00,
        SystemIo = 0x01,
        PciConfig = 0x02,
        EmbeddedController = 0x03,
        SmBus = 0x04,
        SystemCmos = 0x05,
        PciBarTarget = 0x06,
        Ipmi = 0x07,
        GeneralPurposeIo = 0x08,
        GenericSerialBus = 0x09,
        PlatformCommunicationsChannel = 0x0A,
        PlatformRuntimeMechanism = 0x0B,
        FunctionalFixedHardware = 0x7F,
    }

    /// <summary>GAS access sizes (ACPI 6.5 Table 5.1).</summary>
    public enum AccessSize : byte
    {
        Undefined = 0,
        Byte = 1,
        Word = 2,
        Dword = 3,
        Qword = 4,
    }

    /// <summary>
    /// A Generic Address Structure (ACPI 6.5 §5.2.3.2, Table 5.1), 12 bytes:
    /// <code>
    /// 0 AddressSpaceId  1 RegisterBitWidth  2 RegisterBitOffset  3 AccessSize  4..11 Address
    /// </code>
    /// </summary>
    public struct GenericAddress
    {
        public const int Size = 12;

        public AddressSpace Space;
        public byte BitWidth;
        public byte BitOffset;
        public AccessSize Access;
        public ulong Address;

        /// <summary>Address 0 means "not present" for every optional FADT/HPET register.</summary>
        public bool IsPresent => Address != 0;

        /// <summary>Reads the 12 bytes at <paramref name="offset"/>; the caller has checked they fit.</summary>
        internal static GenericAddress Read(ReadOnlySpan<byte> s, int offset)
        {
            GenericAddress g;
            g.Space = (AddressSpace)s[offset];
            g.BitWidth = s[offset + 1];
            g.BitOffset = s[offset + 2];
            g.Access = (AccessSize)s[offset + 3];
            g.Address = Le.U64(s, offset + 4);
            return g;
        }

        /// <summary>An I/O-port register given by a legacy FADT block (port number and byte length).</summary>
        internal static GenericAddress Port(uint port, int byteLength)
        {
            GenericAddress g;
            g.Space = AddressSpace.SystemIo;
            g.BitWidth = (byte)(byteLength * 8);
            g.BitOffset = 0;
            g.Access = AccessSize.Undefined;
            g.Address = port;
            return g;
        }

        /// <summary>"port 0x608", "memory 0xfed00000", "PCI config 0x...", "space 0x7f 0x...".</summary>
        public string Describe()
        {
            string a = Hex.Format(Address, 1);
            switch (Space)
            {
                case AddressSpace.SystemIo: return "port " + a;
                case AddressSpace.SystemMemory: return "memory " + a;
                case AddressSpace.PciConfig: return "PCI config " + a;
                case AddressSpace.FunctionalFixedHardware: return "fixed hardware " + a;
                default: return "space " + Hex.Format((ulong)Space, 2) + " " + a;
            }
        }
    }
}
