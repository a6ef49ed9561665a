using System;
using Hv.Devices.Ioapic;
using Hv.Devices.Lapic;
using Hv.Devices.Pic;
using Hv.Devices.Platform;
using Xunit;

namespace Hv.Tests.Unit.Devices
{
    /// <summary>The interrupt controllers' exit-path operations allocate nothing (docs/runtime.md).</summary>
    public class InterruptControllerAllocationTests
    {
        private sealed class CountingBus : IApicBus
        {
            public LocalApic Apic;
            public IoApic IoApic;
            public int Sent, Eois;
            public void Send(in ApicMessage message)
            {
                Sent++;
                if (Apic.MatchesDestination(in message))
                    Apic.Accept(in message);
            }
            public void BroadcastEoi(byte vector)
            {
                Eois++;
                IoApic.Eoi(vector);
            }
        }

        private sealed class CountingOutput : IPicOutput
        {
            public int Changes;
            public void IntrChanged(bool high) => Changes++;
        }

        [Fact]
        public void LapicIoapicPicOperations_AllocateNothing()
        {
            var clock = new FakeClock { Now = 1000 };
            var tsc = new FakeTsc();
            var bus = new CountingBus();
            bus.Apic = new LocalApic(0, true, bus, clock, tsc, true, 39);
            bus.IoApic = new IoApic(bus, 1);
            var output = new CountingOutput();
            var pic = new PicPair(output);
            byte[] word = new byte[4];
            byte[] one = new byte[1];

            Run(bus, pic, clock, word, one, 100);                              // warm up
            long before = GC.GetAllocatedBytesForCurrentThread();
            Run(bus, pic, clock, word, one, 2000);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(0, allocated);
            Assert.True(bus.Sent > 0 && bus.Eois > 0 && output.Changes > 0);
        }

        private static void Put(byte[] word, uint value)
        {
            word[0] = (byte)value; word[1] = (byte)(value >> 8); word[2] = (byte)(value >> 16); word[3] = (byte)(value >> 24);
        }

        private static void Run(CountingBus bus, PicPair pic, FakeClock clock, byte[] word, byte[] one, int rounds)
        {
            LocalApic apic = bus.Apic;
            IoApic io = bus.IoApic;
            Put(word, 0x1FF);
            apic.Write(0xF0, word);                                            // SVR enable
            Put(word, 0x2_0040);
            apic.Write(0x320, word);                                           // periodic timer, vector 0x40
            Put(word, 100);
            apic.Write(0x380, word);
            Put(word, 0x12);
            io.Write(0x00, word);
            Put(word, 0x0000_8050);                                            // pin 1: level, vector 0x50, dest 0
            io.Write(0x10, word);
            for (int i = 0; i < rounds; i++)
            {
                clock.Now += 150;
                apic.Advance(clock.Now);
                io.SetPin(1, true);
                while (apic.TryGetInterrupt(out byte vector))
                {
                    apic.AcknowledgeInterrupt(vector);
                    io.SetPin(1, false);
                    Put(word, 0);
                    apic.Write(0xB0, word);                                    // EOI
                }
                apic.Read(0x390, word);                                        // current count
                apic.TryWriteMsr(0x1B, apic.ApicBaseMsr);
                apic.TryReadMsr(0x6E0, out _);
                Put(word, 0x000C_4060);
                apic.Write(0x300, word);                                       // IPI to all others (none)

                one[0] = 0x00;
                pic.Master.Write(1, one);
                pic.SetIrq(0, true);
                pic.SetIrq(0, false);
                if (pic.HasInterrupt)
                    pic.Acknowledge();
                one[0] = 0x20;
                pic.Master.Write(0, one);
                pic.Master.Read(0, one);
            }
        }
    }
}
