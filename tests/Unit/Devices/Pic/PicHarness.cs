using System;
using System.Collections.Generic;
using Hv.Devices;
using Hv.Devices.Pic;

namespace Hv.Tests.Unit.Devices.Pic
{
    /// <summary>The PIC pair behind port numbers, as the VM's port bus would present it.</summary>
    internal sealed class PicHarness : IPicOutput
    {
        public readonly List<bool> Changes = new List<bool>();
        public readonly PicPair Pair;

        public PicHarness() { Pair = new PicPair(this); }

        public void IntrChanged(bool high) => Changes.Add(high);

        private (IIoDevice, ulong) Decode(ushort port)
        {
            if (port == 0x20 || port == 0x21) return (Pair.Master, (ulong)(port - 0x20));
            if (port == 0xA0 || port == 0xA1) return (Pair.Slave, (ulong)(port - 0xA0));
            if (port == 0x4D0 || port == 0x4D1) return (Pair.Elcr, (ulong)(port - 0x4D0));
            throw new ArgumentOutOfRangeException(nameof(port));
        }

        public void Out(ushort port, byte value)
        {
            var (device, offset) = Decode(port);
            device.Write(offset, new[] { value });
        }

        public byte In(ushort port)
        {
            var (device, offset) = Decode(port);
            var data = new byte[1];
            device.Read(offset, data);
            return data[0];
        }

        /// <summary>Linux's init_8259A(auto_eoi = 0): vectors 0x30 / 0x38, cascade on IR2, 8086 mode; then the given masks.</summary>
        public PicHarness InitLikeLinux(byte masterMask = 0x00, byte slaveMask = 0x00, byte masterIcw4 = 0x01)
        {
            Out(0x21, 0xFF);
            Out(0x20, 0x11);
            Out(0x21, 0x30);
            Out(0x21, 0x04);
            Out(0x21, masterIcw4);
            Out(0xA0, 0x11);
            Out(0xA1, 0x38);
            Out(0xA1, 0x02);
            Out(0xA1, 0x01);
            Out(0x21, masterMask);
            Out(0xA1, slaveMask);
            return this;
        }

        public void Pulse(int irq)
        {
            Pair.SetIrq(irq, true);
            Pair.SetIrq(irq, false);
        }

        /// <summary>Master OCW3 "read ISR" then the command port.</summary>
        public byte MasterIsr()
        {
            Out(0x20, 0x0B);
            return In(0x20);
        }

        public byte SlaveIsr()
        {
            Out(0xA0, 0x0B);
            return In(0xA0);
        }
    }
}
