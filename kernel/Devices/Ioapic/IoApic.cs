// The I/O APIC (Intel 82093AA datasheet; ICH-style I/O(x)APIC version 0x20 with the EOI register).
// 24 input pins (GSI 0-23), an indirect register window and a directly written EOI register:
//
//   offset 0x00  IOREGSEL  register index (bits 7:0)
//   offset 0x10  IOWIN     the selected 32-bit register
//   offset 0x40  EOI       writing a vector clears Remote IRR of level entries using it
//
// Indirect registers: 0x00 ID (bits 27:24), 0x01 version (RO), 0x02 arbitration ID (RO, loaded
// from the ID on ID writes), 0x10 + 2n / 0x11 + 2n the low / high dwords of redirection entry n.
// The VM registers the device at 0xFEC00000 (MMIO, MmioSize bytes) and calls it with its platform
// lock held (PlatformContracts.cs); interrupts leave through IApicBus.Send.
using System;
using Hv.Devices.Platform;

namespace Hv.Devices.Ioapic
{
    public sealed partial class IoApic : IIoDevice
    {
        public const ulong DefaultBase = 0xFEC0_0000;
        /// <summary>The register window; the ICH decodes 4 KiB (only the first 0x44 bytes hold registers).</summary>
        public const ulong MmioSize = 0x1000;
        public const int PinCount = 24;
        /// <summary>Version 0x20: PCI 2.2 I/OxAPIC with the EOI register (ICH); max redirection entry 23 in bits 23:16.</summary>
        public const uint VersionValue = 0x20 | ((PinCount - 1) << 16);

        private const ulong SelectOffset = 0x00;
        private const ulong WindowOffset = 0x10;
        private const ulong EoiOffset = 0x40;
        private const uint IdRegister = 0x00, VersionRegister = 0x01, ArbitrationRegister = 0x02, FirstEntryRegister = 0x10;
        private const uint IdMask = 0x0F00_0000;

        private readonly IApicBus _bus;
        private readonly ulong[] _entries = new ulong[PinCount];
        private uint _select;
        private uint _id;
        private uint _arbitrationId;
        private uint _pinLevels;

        /// <param name="bus">Where redirected interrupts go.</param>
        /// <param name="id">The IOAPIC ID the MADT announces (4 bits).</param>
        public IoApic(IApicBus bus, byte id)
        {
            _bus = bus;
            _id = ((uint)id << 24) & IdMask;
            Reset();
        }

        /// <summary>Power-up: every entry masked, Remote IRR clear, IOREGSEL 0. The ID and the pin levels stay.</summary>
        public void Reset()
        {
            for (int i = 0; i < PinCount; i++)
                _entries[i] = RedirectionEntry.ResetValue;
            _select = 0;
            _arbitrationId = 0;
        }

        public byte Id => (byte)(_id >> 24);

        public RedirectionEntry GetEntry(int pin) =>
            new RedirectionEntry((uint)pin < PinCount ? _entries[pin] : RedirectionEntry.ResetValue);

        public void Read(ulong offset, Span<byte> data)
        {
            // Any width inside one dword reads those bytes; an access crossing a dword reads 0.
            ulong dword = offset & ~3UL;
            int shift = (int)(offset & 3) * 8;
            uint value = 0;
            if ((int)(offset & 3) + data.Length <= 4)
            {
                if (dword == SelectOffset)
                    value = _select;
                else if (dword == WindowOffset)
                    value = ReadRegister(_select);
            }
            for (int i = 0; i < data.Length; i++)
                data[i] = i < 4 && shift + i * 8 < 32 ? (byte)(value >> (shift + i * 8)) : (byte)0;
        }

        public void Write(ulong offset, ReadOnlySpan<byte> data)
        {
            if (data.Length == 0)
                return;
            if (offset == SelectOffset)
                _select = data[0];                                       // bits 7:0; a wider write's upper bytes are reserved
            else if (offset == WindowOffset && data.Length == 4)
                WriteRegister(_select, (uint)(data[0] | data[1] << 8 | data[2] << 16 | data[3] << 24));
            else if (offset == EoiOffset)
                Eoi(data[0]);
        }

        private uint ReadRegister(uint index)
        {
            switch (index)
            {
                case IdRegister: return _id;
                case VersionRegister: return VersionValue;
                case ArbitrationRegister: return _arbitrationId;
            }
            if (!TryEntry(index, out int pin, out bool high))
                return 0;
            ulong entry = _entries[pin];
            return high ? (uint)(entry >> 32) : (uint)entry;
        }

        private void WriteRegister(uint index, uint value)
        {
            if (index == IdRegister)
            {
                _id = value & IdMask;
                _arbitrationId = _id;                                    // datasheet §3.2.3: loaded on ID writes
                return;
            }
            if (!TryEntry(index, out int pin, out bool high))
                return;                                                  // version, arbitration, unknown: read-only
            ulong entry = _entries[pin];
            if (high)
            {
                entry = (entry & 0x0000_0000_FFFF_FFFFUL) | ((ulong)(value & RedirectionEntry.HighWritable) << 32);
                _entries[pin] = entry;
                return;
            }
            entry = (entry & ~(ulong)RedirectionEntry.LowWritable) | (value & RedirectionEntry.LowWritable);
            if ((entry & RedirectionEntry.LevelTriggeredBit) == 0)
                entry &= ~RedirectionEntry.RemoteIrrBit;                 // Remote IRR is undefined for edge entries
            _entries[pin] = entry;
            DeliverIfLevelPending(pin);                                  // unmasking an asserted level pin delivers
        }

        private static bool TryEntry(uint index, out int pin, out bool high)
        {
            pin = (int)((index - FirstEntryRegister) >> 1);
            high = (index & 1) != 0;
            return index >= FirstEntryRegister && index < FirstEntryRegister + 2 * PinCount;
        }
    }
}
