// The edge/level control registers of the PIIX/ICH south bridges (ELCR1 at 0x4D0 for IRQ 0-7,
// ELCR2 at 0x4D1 for IRQ 8-15; Intel 82371AB PIIX4 datasheet §4.1.x "ELCR1/ELCR2", ICH datasheets
// likewise): bit n = 1 makes IRQ n level-triggered on the 8259. IRQ 0, 1, 2 (timer, keyboard,
// cascade), 8 and 13 (RTC, FPU error) must stay edge: those bits are reserved and read 0.
// Linux reads them and sets the ACPI SCI's bit (acpi_pic_sci_set_trigger).
using System;

namespace Hv.Devices.Pic
{
    public sealed class ElcrDevice : IIoDevice
    {
        public const byte MasterWritable = 0xF8;
        public const byte SlaveWritable = 0xDE;

        private readonly PicPair _pair;

        internal ElcrDevice(PicPair pair) { _pair = pair; }

        public void Read(ulong offset, Span<byte> data)
        {
            for (int i = 0; i < data.Length; i++)
                data[i] = ((offset + (ulong)i) & 1) == 0 ? _pair.Master.Elcr : _pair.Slave.Elcr;
        }

        public void Write(ulong offset, ReadOnlySpan<byte> data)
        {
            for (int i = 0; i < data.Length; i++)
            {
                if (((offset + (ulong)i) & 1) == 0)
                    _pair.Master.SetElcr((byte)(data[i] & MasterWritable));
                else
                    _pair.Slave.SetElcr((byte)(data[i] & SlaveWritable));
            }
            _pair.Update();
        }
    }
}
