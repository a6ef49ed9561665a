using System;
using Hv.Virt;
using Xunit;

namespace Hv.Tests.Unit.Virt
{
    /// <summary>Port and MMIO buses: overlap rejection, lookup, unclaimed accesses, split accesses.</summary>
    public class DeviceBusTests
    {
        private static DeviceBus Ports(out RecordingDevice a, out RecordingDevice b)
        {
            var bus = new DeviceBus("io", 0xFFFF);
            a = new RecordingDevice { Fill = 0x10 };
            b = new RecordingDevice { Fill = 0x20 };
            Assert.True(bus.TryRegister(0x60, 4, a, out string reason), reason);
            Assert.True(bus.TryRegister(0x64, 1, b, out reason), reason);
            return bus;
        }

        [Theory]
        [InlineData(0x60ul, 1ul)]        // same start
        [InlineData(0x5Ful, 2ul)]        // straddles the start
        [InlineData(0x62ul, 1ul)]        // inside
        [InlineData(0x63ul, 2ul)]        // straddles the boundary between the two
        [InlineData(0x50ul, 0x20ul)]     // encloses both
        [InlineData(0x64ul, 1ul)]
        public void Overlaps_AreRejected_WithReason(ulong start, ulong length)
        {
            DeviceBus bus = Ports(out _, out _);
            Assert.False(bus.TryRegister(start, length, new RecordingDevice(), out string reason));
            Assert.Contains("overlaps the device at", reason);
            Assert.Equal(2, bus.Count);
        }

        [Fact]
        public void Adjacent_Ranges_AreFine_AndBadRangesRefused()
        {
            DeviceBus bus = Ports(out _, out _);
            Assert.True(bus.TryRegister(0x5F, 1, new RecordingDevice(), out _));
            Assert.True(bus.TryRegister(0x65, 1, new RecordingDevice(), out _));
            Assert.False(bus.TryRegister(0x70, 0, new RecordingDevice(), out string reason));
            Assert.Contains("empty", reason);
            Assert.False(bus.TryRegister(0xFFFE, 4, new RecordingDevice(), out reason));
            Assert.Contains("end of the bus", reason);
            Assert.False(bus.TryRegister(0x1_0000, 1, new RecordingDevice(), out _));
            Assert.False(bus.TryRegister(0x80, 1, null, out _));
            Assert.True(bus.TryRegister(0xFFFF, 1, new RecordingDevice(), out _));

            var mmio = new DeviceBus("mmio", ulong.MaxValue);
            Assert.True(mmio.TryRegister(ulong.MaxValue - 0xFFF, 0x1000, new RecordingDevice(), out _));   // ends at 2^64
            Assert.False(mmio.TryRegister(ulong.MaxValue - 0xFFF, 0x1001, new RecordingDevice(), out _));
        }

        [Fact]
        public void Lookup_FindsEveryRange_InAnyRegistrationOrder()
        {
            var bus = new DeviceBus("mmio", ulong.MaxValue);
            var devices = new RecordingDevice[40];
            for (int i = 0; i < devices.Length; i++)
            {
                int slot = (i * 17) % devices.Length;                 // scrambled order, forces growth
                devices[slot] = new RecordingDevice();
                Assert.True(bus.TryRegister(0xF000_0000 + (ulong)slot * 0x1000, 0x100, devices[slot], out _));
            }
            for (int i = 0; i < devices.Length; i++)
            {
                ulong at = 0xF000_0000 + (ulong)i * 0x1000;
                Assert.True(bus.Find(at) >= 0);
                Assert.True(bus.Find(at + 0xFF) >= 0);
                Assert.Equal(-1, bus.Find(at + 0x100));
                Span<byte> d = stackalloc byte[4];
                Assert.True(bus.Write(at + 0x10, d));
                Assert.Equal(0x10ul, devices[i].LastOffset);          // offset, never the base
            }
            Assert.Equal(-1, bus.Find(0));
            Assert.Equal(-1, bus.Find(ulong.MaxValue));
        }

        [Fact]
        public void Unclaimed_ReadsAllOnes_WritesDropped()
        {
            DeviceBus bus = Ports(out RecordingDevice a, out _);
            Span<byte> d = stackalloc byte[4];
            d.Fill(0x11);
            Assert.False(bus.Read(0x80, d));
            Assert.Equal(0xFFFF_FFFFul, Bytes.Load(d));
            Assert.False(bus.Write(0x80, d));
            Assert.Equal(0, a.Writes);
        }

        [Fact]
        public void Access_InsideOneDevice_GoesWhole()
        {
            DeviceBus bus = Ports(out RecordingDevice a, out _);
            Span<byte> d = stackalloc byte[2];
            Assert.True(bus.Read(0x62, d));
            Assert.Equal(2ul, a.LastOffset);
            Assert.Equal(2, a.LastLength);
            Assert.Equal(0x1110ul, Bytes.Load(d));
        }

        [Fact]
        public void Access_StraddlingRanges_IsSplitIntoBytes()
        {
            DeviceBus bus = Ports(out RecordingDevice a, out RecordingDevice b);
            Span<byte> d = stackalloc byte[4];
            Assert.True(bus.Read(0x63, d));                           // 0x63 -> a, 0x64 -> b, 0x65-0x66 unclaimed
            Assert.Equal(0xFFFF_2010ul, Bytes.Load(d));
            Assert.Equal(1, a.LastLength);
            Assert.Equal(3ul, a.LastOffset);
            Assert.Equal(0ul, b.LastOffset);

            Bytes.Store(d, 0x4433_2211);
            Assert.True(bus.Write(0x63, d));
            Assert.Equal(0x11ul, a.LastWritten);
            Assert.Equal(0x22ul, b.LastWritten);
        }

        [Fact]
        public void Access_PastTheLastPort_HitsNothingBeyond()
        {
            var bus = new DeviceBus("io", 0xFFFF);
            var top = new RecordingDevice();
            var bottom = new RecordingDevice();
            Assert.True(bus.TryRegister(0xFFFF, 1, top, out _));
            Assert.True(bus.TryRegister(0, 4, bottom, out _));
            Span<byte> d = stackalloc byte[4];
            Assert.True(bus.Read(0xFFFF, d));                         // a 4-byte IN at port 0xFFFF does not wrap to 0
            Assert.Equal(0xFFFF_FF5Aul, Bytes.Load(d));
            Assert.Equal(0, bottom.Reads);
        }

        [Fact]
        public void Vm_RefusesMmioOverRam_AndRegistrationAfterStart()
        {
            var t = new TestVm();
            Assert.False(t.Vm.TryRegisterMmio(0xF_F000, 0x2000, new RecordingDevice(), out string reason));
            Assert.Contains("RAM", reason);
            Assert.True(t.Vm.TryRegisterMmio(0xFEC0_0000, 0x1000, new RecordingDevice(), out reason), reason);
            Assert.True(t.Vm.Start());
            Assert.False(t.Vm.Start());
            Assert.False(t.Vm.TryRegisterIo(0x80, 1, new RecordingDevice(), out reason));
            Assert.Contains("before the VM starts", reason);
        }
    }
}
