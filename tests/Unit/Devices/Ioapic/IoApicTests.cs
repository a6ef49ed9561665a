using System;
using Hv.Devices.Ioapic;
using Hv.Devices.Platform;
using Xunit;

namespace Hv.Tests.Unit.Devices.Ioapic
{
    /// <summary>The IOAPIC's register window (82093AA datasheet §3; ICH version 0x20 with the EOI register).</summary>
    public class IoApicTests
    {
        internal static uint ReadReg(IoApic io, uint index)
        {
            io.Write(0x00, BitConverter.GetBytes(index));
            var data = new byte[4];
            io.Read(0x10, data);
            return BitConverter.ToUInt32(data, 0);
        }

        internal static void WriteReg(IoApic io, uint index, uint value)
        {
            io.Write(0x00, BitConverter.GetBytes(index));
            io.Write(0x10, BitConverter.GetBytes(value));
        }

        [Fact]
        public void IdVersionArbitration()
        {
            var io = new IoApic(new RecordingApicBus(), 2);
            Assert.Equal(2u << 24, ReadReg(io, 0));
            Assert.Equal(0x0017_0020u, ReadReg(io, 1));
            Assert.Equal(0u, ReadReg(io, 2));
            WriteReg(io, 0, 0xFFFF_FFFF);
            Assert.Equal(0x0F00_0000u, ReadReg(io, 0));
            Assert.Equal(0x0F00_0000u, ReadReg(io, 2));                  // loaded from the ID
            Assert.Equal(15, io.Id);
            WriteReg(io, 1, 0);
            WriteReg(io, 2, 0x0100_0000);
            Assert.Equal(0x0017_0020u, ReadReg(io, 1));
            Assert.Equal(0x0F00_0000u, ReadReg(io, 2));
        }

        [Fact]
        public void Entries_ResetMasked_StoreOnlyWritableBits()
        {
            var io = new IoApic(new RecordingApicBus(), 0);
            for (uint pin = 0; pin < 24; pin++)
            {
                Assert.Equal(0x1_0000u, ReadReg(io, 0x10 + 2 * pin));
                Assert.Equal(0u, ReadReg(io, 0x11 + 2 * pin));
            }
            WriteReg(io, 0x12, 0xFFFF_FFFF);
            Assert.Equal(0x1_AFFFu, ReadReg(io, 0x12));                   // no delivery status, no Remote IRR
            WriteReg(io, 0x13, 0xFFFF_FFFF);
            Assert.Equal(0xFF00_0000u, ReadReg(io, 0x13));
            Assert.Equal(0xFF, io.GetEntry(1).Destination);
            Assert.True(io.GetEntry(99).Masked);
        }

        [Fact]
        public void UnknownIndices_ReadZero_IgnoreWrites()
        {
            var io = new IoApic(new RecordingApicBus(), 0);
            foreach (uint index in new uint[] { 3, 0x0F, 0x40, 0x41, 0xFF })
            {
                WriteReg(io, index, 0x1234_5678);
                Assert.Equal(0u, ReadReg(io, index));
            }
            io.Write(0x00, BitConverter.GetBytes(0x1_0010u));             // IOREGSEL keeps 8 bits
            var sel = new byte[4];
            io.Read(0x00, sel);
            Assert.Equal(0x10u, BitConverter.ToUInt32(sel, 0));
        }

        [Fact]
        public void OddAccesses_AreHarmless()
        {
            var io = new IoApic(new RecordingApicBus(), 0);
            WriteReg(io, 0x10, 0x0000_8031);
            var b = new byte[1];
            io.Read(0x11, b);                                              // byte 1 of IOWIN
            Assert.Equal(0x80, b[0]);
            var q = new byte[8];
            Array.Fill(q, (byte)0xAA);
            io.Read(0x10, q);                                              // crosses the dword: zeros
            Assert.All(q, x => Assert.Equal(0, x));
            io.Write(0x10, new byte[] { 0x44 });                           // narrow IOWIN write: ignored
            Assert.Equal(0x0000_8031u, ReadReg(io, 0x10));
            io.Write(0x20, BitConverter.GetBytes(0xFFu));
            io.Write(0xFFF, new byte[] { 1 });
            io.Write(0x10, ReadOnlySpan<byte>.Empty);
            var r = new byte[4];
            io.Read(0x20, r);
            Assert.Equal(0u, BitConverter.ToUInt32(r, 0));
            io.Read(0x40, r);                                              // EOI is write-only
            Assert.Equal(0u, BitConverter.ToUInt32(r, 0));
            Assert.Equal(0x0000_8031u, ReadReg(io, 0x10));
        }
    }
}
