// A function's configuration space as plain storage with per-bit write rules, the base for device
// models (the host bridge now, virtio functions later). PCI Local Bus 3.0 §6.1-6.2: registers a
// device does not implement read 0 and ignore writes; read-only fields (IDs, class, header type)
// stay as the device set them whatever the guest writes; status error bits are write-1-to-clear;
// BARs follow the sizing protocol of PciBar. Offsets 256-4095 (PCIe extended space, ECAM only)
// read 0: no extended capabilities.
namespace Hv.Devices.Pci
{
    public class PciConfigSpace : IPciFunction
    {
        private const int BarCount = 6;
        private readonly byte[] _bytes = new byte[PciLayout.ConventionalConfigSize];
        private readonly byte[] _writable = new byte[PciLayout.ConventionalConfigSize];
        private readonly byte[] _clearOnWrite = new byte[PciLayout.ConventionalConfigSize];
        private readonly PciBar[] _bars = new PciBar[BarCount];
        private readonly bool[] _barHigh = new bool[BarCount];

        /// <param name="commandWritable">Command register bits the guest may change (the device's decoders and bus mastering).</param>
        public PciConfigSpace(ushort vendorId, ushort deviceId, byte classCode, byte subclass, byte progIf, byte revision,
                              byte headerType, PciCommand commandWritable)
        {
            Set16((int)PciConfigOffset.VendorId, vendorId);
            Set16((int)PciConfigOffset.DeviceId, deviceId);
            Set8((int)PciConfigOffset.RevisionId, revision);
            Set8((int)PciConfigOffset.ProgIf, progIf);
            Set8((int)PciConfigOffset.Subclass, subclass);
            Set8((int)PciConfigOffset.ClassCode, classCode);
            Set8((int)PciConfigOffset.HeaderType, headerType);
            SetWritable((int)PciConfigOffset.Command, 2, (uint)commandWritable);
            SetClearOnWrite((int)PciConfigOffset.Status, 2, (uint)PciStatus.WriteOneToClear);
            SetWritable((int)PciConfigOffset.CacheLineSize, 1, 0xFF);
            SetWritable((int)PciConfigOffset.InterruptLine, 1, 0xFF);   // a scratch byte for the OS (§6.2.4)
        }

        public ushort Command => (ushort)Get((int)PciConfigOffset.Command, 2);

        /// <summary>Device-side initial value of a byte/word/dword (not subject to the write rules).</summary>
        public void Set8(int offset, byte value) => _bytes[offset] = value;

        public void Set16(int offset, ushort value)
        {
            _bytes[offset] = (byte)value;
            _bytes[offset + 1] = (byte)(value >> 8);
        }

        public void Set32(int offset, uint value)
        {
            Set16(offset, (ushort)value);
            Set16(offset + 2, (ushort)(value >> 16));
        }

        /// <summary>Bits of [offset, offset + width) the guest may write (others keep their value).</summary>
        public void SetWritable(int offset, int width, uint mask)
        {
            for (int i = 0; i < width; i++)
                _writable[offset + i] = (byte)(mask >> (8 * i));
        }

        /// <summary>Bits of [offset, offset + width) that a guest write of 1 clears.</summary>
        public void SetClearOnWrite(int offset, int width, uint mask)
        {
            for (int i = 0; i < width; i++)
                _clearOnWrite[offset + i] = (byte)(mask >> (8 * i));
        }

        /// <summary>Installs a BAR at index 0-5 (a 64-bit one also takes index + 1). False if the slot is taken or out of range.</summary>
        public bool TrySetBar(int index, PciBar bar)
        {
            int slots = bar.Is64Bit ? 2 : 1;
            if (index < 0 || index + slots > BarCount)
                return false;
            for (int i = index; i < index + slots; i++)
            {
                if (_bars[i] != null)
                    return false;
            }
            _bars[index] = bar;
            if (bar.Is64Bit)
            {
                _bars[index + 1] = bar;
                _barHigh[index + 1] = true;
            }
            return true;
        }

        /// <summary>The current value of [offset, offset + width), BARs included.</summary>
        public uint Get(int offset, int width)
        {
            uint v = 0;
            for (int i = width - 1; i >= 0; i--)
                v = v << 8 | _bytes[offset + i];
            return v;
        }

        public virtual uint ReadConfig(int offset, int width)
        {
            if ((uint)offset >= PciLayout.ConventionalConfigSize)
                return 0;
            int bar = BarIndex(offset);
            if (bar >= 0)
                return ReadBar(bar) >> (8 * (offset & 3)) & WidthMask(width);
            return Get(offset, width);
        }

        public virtual void WriteConfig(int offset, int width, uint value)
        {
            if ((uint)offset >= PciLayout.ConventionalConfigSize)
                return;
            int bar = BarIndex(offset);
            if (bar >= 0)
            {
                int shift = 8 * (offset & 3);
                uint mask = WidthMask(width) << shift;
                WriteBar(bar, (ReadBar(bar) & ~mask) | (value << shift & mask));
            }
            else
            {
                for (int i = 0; i < width; i++)
                {
                    int o = offset + i;
                    byte b = (byte)(value >> (8 * i));
                    byte kept = (byte)(_bytes[o] & ~_writable[o] | b & _writable[o]);
                    _bytes[o] = (byte)(kept & ~(b & _clearOnWrite[o]));
                }
            }
            OnConfigWritten(offset, width);
        }

        /// <summary>Called after every guest write (e.g. to start or stop decoding when Command or a BAR changed).</summary>
        protected virtual void OnConfigWritten(int offset, int width) { }

        private int BarIndex(int offset)
        {
            int index = (offset - (int)PciConfigOffset.Bar0) >> 2;
            return offset >= (int)PciConfigOffset.Bar0 && index < BarCount && _bars[index] != null ? index : -1;
        }

        private uint ReadBar(int index) => _barHigh[index] ? _bars[index].ReadHigh() : _bars[index].ReadLow();

        private void WriteBar(int index, uint value)
        {
            if (_barHigh[index])
                _bars[index].WriteHigh(value);
            else
                _bars[index].WriteLow(value);
        }

        private static uint WidthMask(int width) => width >= 4 ? 0xFFFF_FFFFu : (1u << (8 * width)) - 1;
    }
}
