// The timer as a timed device (PlatformContracts ITimedDevice) and IA32_TSC_DEADLINE
// (SDM Vol. 3A §11.5.4, §11.5.4.1). The counting itself is ApicTimer's. vCPU thread.
using Hv.Devices.Platform;

namespace Hv.Devices.Lapic
{
    public sealed partial class LocalApic
    {
        /// <summary>
        /// When Advance must run next for the timer, or Deadline.None. A masked timer reports none:
        /// it can deliver nothing, and every change to the mask first runs Advance under the old one.
        /// </summary>
        public ulong NextDeadlineNs =>
            new LvtEntry(_lvt[(int)LvtIndex.Timer]).Masked ? Deadline.None : _timer.NextDeadlineNs;

        /// <summary>Fires the timer if it expired at or before <paramref name="nowNs"/>: the LVT timer vector goes into the IRR unless masked.</summary>
        public void Advance(ulong nowNs)
        {
            if (_timer.Advance(nowNs))
                DeliverLvt(LvtIndex.Timer);
        }

        private void WriteTscDeadline(ulong deadline)
        {
            ulong now = _clock.NowNs();
            Advance(now);
            _timer.WriteDeadline(deadline, _tsc.Now(), _tsc.TicksPerSecond, now);
        }

        /// <summary>The timer's divider as the guest programmed it (1-128), for diagnostics.</summary>
        public uint TimerDivider => _timer.Divider;
    }
}
