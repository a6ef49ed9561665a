using System;
using Hv.Virt.Platform;
using Hv.Virt.Platform.Acpi;
using Xunit;

namespace Hv.Tests.Platform
{
    /// <summary>Builds a VM's tables into an array that stands for guest-physical 0xE0000 onwards.</summary>
    static class GuestAcpi
    {
        public const ulong Base = GuestPlatformLayout.AcpiAreaStart;

        public static byte[] Build(int vcpus, out GuestAcpiLayout layout) => Build(GuestAcpiConfig.Default(vcpus), out layout);

        public static byte[] Build(GuestAcpiConfig cfg, out GuestAcpiLayout layout)
        {
            byte[] area = new byte[GuestPlatformLayout.AcpiAreaSize];
            string error = GuestAcpiTables.Build(cfg, Base, area, out layout);
            Assert.True(error == null, "build failed: " + error);
            return area;
        }

        /// <summary>The table at guest-physical <paramref name="address"/> (its header Length bytes).</summary>
        public static byte[] Table(byte[] area, ulong address)
        {
            int o = (int)(address - Base);
            int length = (int)U32(area, o + 4);
            return area.AsSpan(o, length).ToArray();
        }

        public static byte Sum(ReadOnlySpan<byte> s)
        {
            int sum = 0;
            foreach (byte b in s)
                sum += b;
            return (byte)sum;
        }

        public static ushort U16(byte[] b, int o) => BitConverter.ToUInt16(b, o);
        public static uint U32(byte[] b, int o) => BitConverter.ToUInt32(b, o);
        public static ulong U64(byte[] b, int o) => BitConverter.ToUInt64(b, o);
        public static string Ascii(byte[] b, int o, int n) => System.Text.Encoding.ASCII.GetString(b, o, n);
    }
}
