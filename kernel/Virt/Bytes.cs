// Little-endian packing of access data: devices see bytes, VmExit carries the value in a ulong.
using System;

namespace Hv.Virt
{
    public static class Bytes
    {
        /// <summary>Stores the low data.Length bytes of <paramref name="value"/>, least significant first.</summary>
        public static void Store(Span<byte> data, ulong value)
        {
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = (byte)value;
                value >>= 8;
            }
        }

        /// <summary>The value of up to 8 bytes, least significant first.</summary>
        public static ulong Load(ReadOnlySpan<byte> data)
        {
            ulong value = 0;
            for (int i = data.Length - 1; i >= 0; i--)
                value = (value << 8) | data[i];
            return value;
        }
    }
}
