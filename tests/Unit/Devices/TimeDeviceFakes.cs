using System.Collections.Generic;
using Hv.Devices;
using Hv.Devices.Platform;

namespace Hv.Tests.Unit.Devices.Fakes
{
    /// <summary>A device clock the test moves by hand.</summary>
    internal sealed class ManualClock : IDeviceClock
    {
        public ulong Now;
        public ManualClock(ulong start = 0) { Now = start; }
        public ulong NowNs() => Now;
        public void AdvanceNs(ulong ns) => Now += ns;
    }

    /// <summary>Records every IRQ line transition and keeps each line's level.</summary>
    internal sealed class IrqLineLog : IIrqLines
    {
        public readonly bool[] Level = new bool[24];
        public readonly List<(int Irq, bool High)> Changes = new List<(int, bool)>();

        public void SetLevel(int irq, bool high)
        {
            Level[irq] = high;
            Changes.Add((irq, high));
        }

        /// <summary>Rising edges seen on <paramref name="irq"/>.</summary>
        public int Rises(int irq)
        {
            int n = 0;
            bool level = false;
            foreach (var c in Changes)
            {
                if (c.Irq != irq)
                    continue;
                if (c.High && !level)
                    n++;
                level = c.High;
            }
            return n;
        }
    }

    /// <summary>Byte-wide port helpers over an IIoDevice, the way IN/OUT reach it.</summary>
    internal static class Port
    {
        public static byte In8(IIoDevice d, ulong offset)
        {
            var b = new byte[1];
            d.Read(offset, b);
            return b[0];
        }

        public static ushort In16(IIoDevice d, ulong offset)
        {
            var b = new byte[2];
            d.Read(offset, b);
            return (ushort)(b[0] | b[1] << 8);
        }

        public static uint In32(IIoDevice d, ulong offset)
        {
            var b = new byte[4];
            d.Read(offset, b);
            return (uint)(b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24);
        }

        public static void Out8(IIoDevice d, ulong offset, int value) => d.Write(offset, new[] { (byte)value });

        public static void Out16(IIoDevice d, ulong offset, int value) => d.Write(offset, new[] { (byte)value, (byte)(value >> 8) });

        public static void Out32(IIoDevice d, ulong offset, uint value) =>
            d.Write(offset, new[] { (byte)value, (byte)(value >> 8), (byte)(value >> 16), (byte)(value >> 24) });
    }
}

namespace Hv.Tests.Unit.Devices.Fakes
{
    /// <summary>IRQ lines that only count rising edges (no allocation: for the hot-path tests).</summary>
    internal sealed class SilentIrqLines : Hv.Devices.Platform.IIrqLines
    {
        public readonly bool[] Level = new bool[24];
        public int Rises;

        public void SetLevel(int irq, bool high)
        {
            if (high && !Level[irq])
                Rises++;
            Level[irq] = high;
        }
    }
}
