using System;
using System.Collections.Generic;
using Hv.Devices.Platform;
using Hv.Virt;
using Hv.Virt.Platform;

namespace Hv.Tests.Unit.Virt.Platform
{
    /// <summary>A LAPIC stand-in: an IRR set, no priorities beyond "highest first", INIT/SIPI/NMI flags.</summary>
    internal sealed class FakeApic : IVcpuInterruptController, IApicEndpoint
    {
        public readonly SortedSet<byte> Irr = new SortedSet<byte>();
        public readonly List<byte> Acked = new List<byte>();
        public bool Nmi, Init, ExtInt;
        public int Sipi = -1;
        public ulong Deadline = Hv.Devices.Platform.Deadline.None;
        public ulong AdvancedTo;
        public uint Id;
        public readonly List<ApicMessage> Accepted = new List<ApicMessage>();

        public FakeApic(uint id) { Id = id; }

        public bool TryGetInterrupt(out byte vector)
        {
            vector = Irr.Count == 0 ? (byte)0 : Irr.Max;
            return Irr.Count != 0;
        }

        public void AcknowledgeInterrupt(byte vector) { Irr.Remove(vector); Acked.Add(vector); }
        public bool TakeNmi() { bool n = Nmi; Nmi = false; return n; }
        public bool TakeInit() { bool i = Init; Init = false; return i; }
        public bool TakeSipi(out byte vector) { vector = (byte)(Sipi < 0 ? 0 : Sipi); bool s = Sipi >= 0; Sipi = -1; return s; }
        public bool HasWakeSignal => Nmi || Init || Sipi >= 0;
        public bool AcceptsExtInt => ExtInt;
        public void Advance(ulong nowNs) { AdvancedTo = nowNs; if (nowNs >= Deadline) { Irr.Add(0xEC); Deadline = Hv.Devices.Platform.Deadline.None; } }
        public ulong NextDeadlineNs => Deadline;
        public ulong MmioBase => 0xFEE0_0000;
        public void MmioRead(ulong offset, Span<byte> data) => data.Clear();
        public void MmioWrite(ulong offset, ReadOnlySpan<byte> data) { }
        public bool OwnsMsr(uint msr) => msr == 0x1B;
        public bool ReadMsr(uint msr, out ulong value) { value = 0; return true; }
        public bool WriteMsr(uint msr, ulong value) => true;

        public bool MatchesDestination(in ApicMessage m) => !m.LogicalDestination && (m.Destination == Id || m.Destination == 0xFF);
        public uint ApicId => Id;

        public void Accept(in ApicMessage m)
        {
            Accepted.Add(m);
            switch (m.Mode)
            {
                case ApicDeliveryMode.Init: Init = true; break;
                case ApicDeliveryMode.StartUp: Sipi = m.Vector; break;
                case ApicDeliveryMode.Nmi: Nmi = true; break;
                default: Irr.Add(m.Vector); break;
            }
        }
    }

    internal sealed class FakePic : IPicController
    {
        public readonly bool[] Lines = new bool[16];
        public byte Base = 0x30;
        public bool HasInterrupt => Array.IndexOf(Lines, true) >= 0;
        public void SetIrq(int irq, bool high) => Lines[irq] = high;
        public byte Acknowledge() { int i = Array.IndexOf(Lines, true); Lines[i] = false; return (byte)(Base + i); }
    }

    internal sealed class FakeIoapic : IIoapicController
    {
        public readonly List<(int Pin, bool High)> Pins = new List<(int, bool)>();
        public readonly List<byte> Eois = new List<byte>();
        public void SetPin(int pin, bool high) => Pins.Add((pin, high));
        public void Eoi(byte vector) => Eois.Add(vector);
    }

    internal sealed class FakeClock : IDeviceClock
    {
        public ulong Ns;
        public ulong NowNs() => Ns;
    }

    internal sealed class RecordingKicker : IVcpuKicker
    {
        public readonly List<int> Kicks = new List<int>();
        public void Kick(int vcpuIndex) => Kicks.Add(vcpuIndex);
    }

    internal sealed class FakeTimed : ITimedDevice
    {
        public ulong Next = Hv.Devices.Platform.Deadline.None;
        public int Advances;
        public void Advance(ulong nowNs) { Advances++; Next = Hv.Devices.Platform.Deadline.None; }
        public ulong NextDeadlineNs => Next;
    }
}
