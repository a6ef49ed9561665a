using System.Collections.Generic;
using Hv.Devices.Lapic;
using Hv.Devices.Platform;

namespace Hv.Tests.Unit.Devices
{
    /// <summary>A device clock the test moves by hand.</summary>
    internal sealed class FakeClock : IDeviceClock
    {
        public ulong Now;
        public ulong NowNs() => Now;
    }

    /// <summary>A guest TSC the test moves by hand.</summary>
    internal sealed class FakeTsc : IGuestTsc
    {
        public ulong Ticks;
        public ulong Hz = 2_000_000_000;
        public ulong Now() => Ticks;
        public ulong TicksPerSecond => Hz;
    }

    /// <summary>An APIC bus that records what it is given, and can forward messages to LAPICs as the VM's bus would.</summary>
    internal sealed class RecordingApicBus : IApicBus
    {
        public readonly List<ApicMessage> Sent = new List<ApicMessage>();
        public readonly List<byte> Eois = new List<byte>();
        public readonly List<LocalApic> Apics = new List<LocalApic>();

        public void Send(in ApicMessage message)
        {
            Sent.Add(message);
            foreach (LocalApic apic in Apics)
                if (apic.MatchesDestination(in message))
                    apic.Accept(in message);
        }

        public void BroadcastEoi(byte vector) => Eois.Add(vector);
    }
}
