using System;
using Hv.Devices.Ioapic;
using Hv.Tests.Unit.Virt;
using Hv.Virt;
using Hv.Virt.Platform;
using Xunit;

namespace Hv.Tests.Unit.Virt.Platform
{
    /// <summary>The assembled PC platform: a device IRQ travels IOAPIC -> APIC bus -> LAPIC -> injection; LAPIC pages are per vCPU.</summary>
    public class PcPlatformTests
    {
        private sealed class Wall : Hv.Devices.Rtc.IWallClock { public ulong UnixSeconds() => 1_700_000_000; }
        private sealed class Power : Hv.Devices.Acpi.IPowerControl { public int Offs, Resets; public void PowerOff() => Offs++; public void Reset() => Resets++; }
        private sealed class Output : Hv.Devices.Uart.IUartOutput { public readonly System.Collections.Generic.List<byte> Bytes = new System.Collections.Generic.List<byte>(); public void Write(byte b) => Bytes.Add(b); }

        private static (TestVm T, PcPlatform Pc, RecordingKicker K) Build(int vcpus = 2)
        {
            var t = new TestVm(vcpus);
            var k = new RecordingKicker();
            var opts = new PcPlatformOptions
            {
                TicksPerSecond = 1_000_000_000, PhysicalAddressBits = 39, WallClock = new Wall(), Power = new Power(),
                Com1Output = new Output(), RamBelow4G = 0x10_0000,
            };
            PcPlatform pc = PcPlatform.Build(t.Vm, new FakeClock(), k, opts, out string error);
            Assert.True(pc != null, error);
            return (t, pc, k);
        }

        private static void Write32(Vcpu v, ulong gpa, uint value)
        {
            Span<byte> b = stackalloc byte[4];
            BitConverter.TryWriteBytes(b, value);
            Assert.True(v.MmioWrite(gpa, b));
        }

        private static uint Read32(Vcpu v, ulong gpa)
        {
            Span<byte> b = stackalloc byte[4];
            Assert.True(v.MmioRead(gpa, b));
            return BitConverter.ToUInt32(b);
        }

        [Fact]
        public void EachVcpuSeesItsOwnLapicId_AtTheSameAddress()
        {
            var (t, _, _) = Build();
            Assert.Equal(0u, Read32(t.Vm.VcpuAt(0), 0xFEE0_0020) >> 24);
            Assert.Equal(1u, Read32(t.Vm.VcpuAt(1), 0xFEE0_0020) >> 24);
        }

        [Fact]
        public void Irq4_ThroughTheIoapic_IsInjectedIntoTheTargetVcpu()
        {
            var (t, pc, k) = Build();
            Vcpu bsp = t.Vm.VcpuAt(0), ap = t.Vm.VcpuAt(1);
            Write32(ap, 0xFEE0_00F0, 0x1FF);                               // SVR: software enable, spurious 0xFF
            // IOAPIC pin 4 -> vector 0x34, fixed, physical destination APIC ID 1, edge, unmasked.
            Write32(bsp, IoApic.DefaultBase, 0x10 + 2 * 4 + 1);
            Write32(bsp, IoApic.DefaultBase + 0x10, 1u << 24);
            Write32(bsp, IoApic.DefaultBase, 0x10 + 2 * 4);
            Write32(bsp, IoApic.DefaultBase + 0x10, 0x34);
            pc.Platform.Lock.Enter();
            pc.Platform.SetLevel(4, true);
            pc.Platform.SetLevel(4, false);
            pc.Platform.Lock.Exit();
            Assert.Contains(1, k.Kicks);
            t.States[1].InterruptsOn();
            ap.PrepareEntry(0);
            Assert.Equal(0x34, t.States[1].LastVector);
            Assert.Equal(0, t.States[0].Injections);
            // The guest's EOI clears the in-service bit: the next IRQ is delivered again.
            Write32(ap, 0xFEE0_00B0, 0);
            t.States[1].Deliver();
            pc.Platform.Lock.Enter();
            pc.Platform.SetLevel(4, true);
            pc.Platform.SetLevel(4, false);
            pc.Platform.Lock.Exit();
            ap.PrepareEntry(0);
            Assert.Equal(2, t.States[1].Injections);
        }

        [Fact]
        public void PicInVirtualWireMode_DeliversTheTimerToTheBsp()
        {
            var (t, pc, _) = Build(1);
            Vcpu bsp = t.Vcpu;
            // The BSP's LINT0 comes out of reset unmasked in ExtINT mode? Program it as Linux does for virtual wire.
            Write32(bsp, 0xFEE0_00F0, 0x1FF);
            Write32(bsp, 0xFEE0_0350, 0x700);                              // LVT LINT0: ExtINT, unmasked
            void Out(ushort port, byte v) => Assert.True(t.Vm.IoBus.Write(port, new[] { v }));
            Out(0x20, 0x11); Out(0x21, 0x30); Out(0x21, 0x04); Out(0x21, 0x01);   // ICW1-4: vectors 0x30-0x37
            Out(0x21, 0xFE);                                                      // only IRQ 0 unmasked
            pc.Platform.Lock.Enter();
            pc.Platform.SetLevel(0, true);
            pc.Platform.SetLevel(0, false);
            pc.Platform.Lock.Exit();
            t.State.InterruptsOn();
            bsp.PrepareEntry(0);
            Assert.Equal(0x30, t.State.LastVector);
        }
    
        [Fact]
        public void TheIsaDevicesAndPciAnswerAtTheirPorts()
        {
            var (t, pc, _) = Build(1);
            var b = new byte[4];
            Assert.True(t.Vm.IoBus.Write(0x3FF, new byte[] { 0x5A }));               // UART scratch register
            Assert.True(t.Vm.IoBus.Read(0x3FF, b.AsSpan(0, 1)));
            Assert.Equal(0x5A, b[0]);
            Assert.True(t.Vm.IoBus.Write(0xCF8, BitConverter.GetBytes(0x8000_0000u)));   // 00:00.0 vendor/device
            Assert.True(t.Vm.IoBus.Read(0xCFC, b));
            Assert.Equal(0x29C0_8086u, BitConverter.ToUInt32(b));
            Assert.True(t.Vm.MmioBus.Read(0xB000_0000, b));                             // the same through ECAM
            Assert.Equal(0x29C0_8086u, BitConverter.ToUInt32(b));
            Assert.True(t.Vm.IoBus.Read(0x608, b));                                     // PM timer answers
            Assert.False(pc.Platform.Lock.IsHeld);
        }

        [Fact]
        public void PitChannel0_RaisesIrq0_WhichTheBspGetsThroughTheIoapicPin2()
        {
            var clock = new FakeClock();
            var t = new TestVm(1);
            var opts = new PcPlatformOptions { TicksPerSecond = 1_000_000_000, PhysicalAddressBits = 39, WallClock = new Wall(), Power = new Power() };
            PcPlatform pc = PcPlatform.Build(t.Vm, clock, new RecordingKicker(), opts, out string error);
            Assert.True(pc != null, error);
            Vcpu bsp = t.Vcpu;
            Write32(bsp, 0xFEE0_00F0, 0x1FF);
            Write32(bsp, IoApic.DefaultBase, 0x10 + 2 * 2 + 1);                         // pin 2 -> APIC 0
            Write32(bsp, IoApic.DefaultBase + 0x10, 0);
            Write32(bsp, IoApic.DefaultBase, 0x10 + 2 * 2);
            Write32(bsp, IoApic.DefaultBase + 0x10, 0xEF);
            // PIT channel 0, mode 2, count 1193 (about 1 ms).
            Assert.True(t.Vm.IoBus.Write(0x43, new byte[] { 0x34 }));
            Assert.True(t.Vm.IoBus.Write(0x40, new byte[] { 1193 & 0xFF }));
            Assert.True(t.Vm.IoBus.Write(0x40, new byte[] { 1193 >> 8 }));
            Assert.NotEqual(Hv.Devices.Platform.Deadline.None, pc.Platform.NextDeadlineNs);
            t.State.InterruptsOn();
            clock.Ns = 500_000;
            bsp.PrepareEntry(0);
            Assert.Equal(0, t.State.Injections);
            clock.Ns = 1_100_000;
            bsp.PrepareEntry(0);
            Assert.Equal(0xEF, t.State.LastVector);
        }
    }
}
