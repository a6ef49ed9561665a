// The functions behind the host bridge, by bus/device/function, and the configuration access
// they share (mechanism #1 and ECAM both end here). An absent function reads all-ones, which is
// how software finds out that nothing is there (PCI Local Bus 3.0 §6.1: vendor ID 0xFFFF); writes
// to it vanish (a master abort). Accesses are split so that a function only ever sees naturally
// aligned 1/2/4-byte accesses inside its 4 KiB.
namespace Hv.Devices.Pci
{
    public sealed class PciRootBus
    {
        private const int FunctionsPerBus = PciLayout.DevicesPerBus * PciLayout.FunctionsPerDevice;
        private readonly IPciFunction[] _functions = new IPciFunction[PciLayout.BusCount * FunctionsPerBus];

        /// <summary>Places <paramref name="function"/> at bus:device.function (configuration time). False, with a reason, if out of range or taken.</summary>
        public bool TryAdd(int bus, int device, int function, IPciFunction pciFunction, out string reason)
        {
            reason = null;
            if (pciFunction == null)
            {
                reason = "pci: no function";
                return false;
            }
            int slot = Slot(bus, device, function);
            if (slot < 0)
            {
                reason = "pci: " + bus.ToString() + ":" + device.ToString() + "." + function.ToString() + " is outside the decoded buses";
                return false;
            }
            if (_functions[slot] != null)
            {
                reason = "pci: " + bus.ToString() + ":" + device.ToString() + "." + function.ToString() + " is taken";
                return false;
            }
            _functions[slot] = pciFunction;
            return true;
        }

        /// <summary>The function at bus:device.function, or null.</summary>
        public IPciFunction Find(int bus, int device, int function)
        {
            int slot = Slot(bus, device, function);
            return slot < 0 ? null : _functions[slot];
        }

        /// <summary>A configuration read of width 1, 2 or 4 at any offset below 4096.</summary>
        public uint Read(int bus, int device, int function, int offset, int width)
        {
            if (width < 1 || width > 4)
                return 0xFFFF_FFFFu;
            IPciFunction f = Find(bus, device, function);
            if (f == null || (uint)offset >= PciLayout.ExtendedConfigSize)
                return AllOnes(width);
            if (offset % width == 0 && width != 3)
                return f.ReadConfig(offset, width);
            uint v = 0;
            for (int i = width - 1; i >= 0; i--)
                v = v << 8 | ((uint)(offset + i) < PciLayout.ExtendedConfigSize ? f.ReadConfig(offset + i, 1) & 0xFF : 0xFF);
            return v;
        }

        /// <summary>A configuration write; unaligned ones reach the function byte by byte.</summary>
        public void Write(int bus, int device, int function, int offset, int width, uint value)
        {
            IPciFunction f = Find(bus, device, function);
            if (f == null || width < 1 || width > 4 || (uint)offset >= PciLayout.ExtendedConfigSize)
                return;
            if (offset % width == 0 && width != 3)
            {
                f.WriteConfig(offset, width, value);
                return;
            }
            for (int i = 0; i < width; i++)
            {
                if ((uint)(offset + i) < PciLayout.ExtendedConfigSize)
                    f.WriteConfig(offset + i, 1, value >> (8 * i) & 0xFF);
            }
        }

        private static uint AllOnes(int width) => width >= 4 ? 0xFFFF_FFFFu : (1u << (8 * width)) - 1;

        private static int Slot(int bus, int device, int function)
        {
            if ((uint)bus >= PciLayout.BusCount || (uint)device >= PciLayout.DevicesPerBus || (uint)function >= PciLayout.FunctionsPerDevice)
                return -1;
            return (bus * PciLayout.DevicesPerBus + device) * PciLayout.FunctionsPerDevice + function;
        }
    }
}
