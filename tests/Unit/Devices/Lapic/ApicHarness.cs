using System;
using Hv.Devices.Lapic;
using Hv.Devices.Platform;
using Xunit;

namespace Hv.Tests.Unit.Devices.Lapic
{
    /// <summary>One LAPIC with a fake clock, TSC and bus; register access through the MMIO page or the MSRs as a guest would.</summary>
    internal sealed class ApicHarness
    {
        public const ulong En = 1UL << 11;
        public const ulong Extd = 1UL << 10;
        public const ulong Bsp = 1UL << 8;

        public readonly FakeClock Clock = new FakeClock { Now = 1_000_000 };
        public readonly FakeTsc Tsc = new FakeTsc { Ticks = 5_000_000 };
        public readonly RecordingApicBus Bus;
        public readonly LocalApic Apic;

        public ApicHarness(uint index = 0, bool bsp = true, bool tscDeadline = true, bool x2ApicSupported = true, RecordingApicBus bus = null)
        {
            Bus = bus ?? new RecordingApicBus();
            Apic = new LocalApic(index, bsp, Bus, Clock, tscDeadline ? Tsc : null, x2ApicSupported, 39);
            Bus.Apics.Add(Apic);
        }

        public uint Read(ApicRegister reg) => ReadAt((ulong)reg << 4);

        public uint ReadAt(ulong offset)
        {
            var data = new byte[4];
            Apic.Read(offset, data);
            return BitConverter.ToUInt32(data, 0);
        }

        public void Write(ApicRegister reg, uint value) => Apic.Write((ulong)reg << 4, BitConverter.GetBytes(value));

        /// <summary>SVR: software enable with spurious vector 0xFF.</summary>
        public ApicHarness Enable()
        {
            Write(ApicRegister.Svr, 0x1FF);
            return this;
        }

        public void Post(byte vector, bool level = false, ApicDeliveryMode mode = ApicDeliveryMode.Fixed) =>
            Apic.Accept(new ApicMessage { Vector = vector, Mode = mode, LevelTriggered = level, Assert = true, SourceApicId = uint.MaxValue });

        /// <summary>What the vCPU does before an entry: the next deliverable vector, injected (acknowledged), or -1.</summary>
        public int Take()
        {
            if (!Apic.TryGetInterrupt(out byte vector))
                return -1;
            Apic.AcknowledgeInterrupt(vector);
            return vector;
        }

        public void EnterX2Apic() => Assert.True(Apic.TryWriteMsr(0x1B, LocalApic.DefaultBase | En | Extd));

        public ulong Msr(uint msr)
        {
            Assert.True(Apic.TryReadMsr(msr, out ulong value), "rdmsr faulted");
            return value;
        }

        public void WriteMsr(uint msr, ulong value) => Assert.True(Apic.TryWriteMsr(msr, value), "wrmsr faulted");

        /// <summary>ESR as a guest reads it: write, then read (§11.5.3).</summary>
        public uint ReadEsr()
        {
            Write(ApicRegister.Esr, 0);
            return Read(ApicRegister.Esr);
        }
    }
}
