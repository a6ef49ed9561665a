// The xAPIC register page (SDM Vol. 3A §11.4.1: 4 KiB at the APIC base, registers 32 bits wide on
// 16-byte boundaries, "accessed using 128-bit aligned 32-bit loads or stores"; other accesses are
// undefined). Here: a 32-bit access at a 16-byte aligned offset below 0x400 reaches the register;
// anything else reads 0 and writes nothing. In x2APIC or disabled mode the page does not answer
// (reads all ones, writes dropped): the VM should stop routing it there (MmioEnabled).
using System;

namespace Hv.Devices.Lapic
{
    public sealed partial class LocalApic
    {
        public const ulong MmioSize = 0x1000;
        private const ulong RegisterSpaceEnd = 0x400;

        public void Read(ulong offset, Span<byte> data)
        {
            if (!MmioEnabled)
            {
                Fill(data, 0xFF);
                return;
            }
            uint value = 0;
            if (IsRegisterAccess(offset, data.Length))
                TryReadRegister((ApicRegister)(offset >> 4), false, out value);
            if (data.Length == 4)
            {
                data[0] = (byte)value;
                data[1] = (byte)(value >> 8);
                data[2] = (byte)(value >> 16);
                data[3] = (byte)(value >> 24);
            }
            else
            {
                Fill(data, 0);
            }
        }

        public void Write(ulong offset, ReadOnlySpan<byte> data)
        {
            if (!MmioEnabled || !IsRegisterAccess(offset, data.Length))
                return;
            uint value = (uint)(data[0] | data[1] << 8 | data[2] << 16 | data[3] << 24);
            TryWriteRegister((ApicRegister)(offset >> 4), value, false);
        }

        private static bool IsRegisterAccess(ulong offset, int length) =>
            length == 4 && (offset & 0xF) == 0 && offset < RegisterSpaceEnd;

        private static void Fill(Span<byte> data, byte value)
        {
            for (int i = 0; i < data.Length; i++)
                data[i] = value;
        }
    }
}
