using System;
using Hv.Acpi;
using Hv.Virt.Platform;
using Hv.Virt.Platform.Acpi;
using Xunit;
using static Hv.Tests.Platform.GuestAcpi;

namespace Hv.Tests.Platform
{
    /// <summary>
    /// The DSDT iasl compiled from kernel/Virt/Platform/Acpi/dsdt.asl: a valid table, and the
    /// platform facts it states (resource descriptors, ACPI 6.5 §6.4) equal GuestPlatformLayout's.
    /// </summary>
    public class DsdtAmlTests
    {
        static byte[] Aml => DsdtAml.Table.ToArray();

        static bool Contains(byte[] haystack, params byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

        static byte Lo(int v) => (byte)v;
        static byte Hi(int v) => (byte)(v >> 8);

        /// <summary>I/O port descriptor, 16-bit decode (ACPI 6.5 §6.4.2.5): 0x47, decode, min, max, alignment, length.</summary>
        static byte[] Io(int port, int length) => new byte[] { 0x47, 0x01, Lo(port), Hi(port), Lo(port), Hi(port), 0x01, (byte)length };

        /// <summary>IRQ descriptor without flags (ACPI 6.5 §6.4.2.1): 0x22 and the 16-bit mask.</summary>
        static byte[] Irq(int irq) => new byte[] { 0x22, Lo(1 << irq), Hi(1 << irq) };

        static byte[] Cat(byte[] a, byte[] b)
        {
            byte[] r = new byte[a.Length + b.Length];
            a.CopyTo(r, 0);
            b.CopyTo(r, a.Length);
            return r;
        }

        /// <summary>
        /// EISA ID compression (ACPI 6.5 §19.3.4 EISAID): 3 letters of 5 bits and 4 hex digits,
        /// stored big-endian in an integer, which iasl emits with the shortest prefix that holds
        /// it (PNP0000 is 0xD041: a WordConst).
        /// </summary>
        static byte[] EisaId(string id)
        {
            uint v = (uint)(((id[0] - 0x40) << 26) | ((id[1] - 0x40) << 21) | ((id[2] - 0x40) << 16) | Convert.ToInt32(id.Substring(3), 16));
            uint x = (v >> 24) | ((v >> 8) & 0xFF00) | ((v << 8) & 0xFF0000) | (v << 24);
            if (x <= 0xFFFF)
                return new byte[] { 0x0B, (byte)x, (byte)(x >> 8) };
            return new byte[] { 0x0C, (byte)x, (byte)(x >> 8), (byte)(x >> 16), (byte)(x >> 24) };
        }

        [Fact]
        public void IsAValidDsdtTable()
        {
            byte[] t = Aml;
            Assert.Equal("DSDT", Ascii(t, 0, 4));
            Assert.Equal((uint)t.Length, U32(t, 4));
            Assert.Equal(2, t[8]);                    // revision 2: 64-bit AML integers
            Assert.Equal(0, Sum(t));
            Assert.Equal("HV\0\0\0\0", Ascii(t, 10, 6));
            Assert.Equal("HVGUEST\0", Ascii(t, 16, 8));
            Assert.Equal("INTL", Ascii(t, 28, 4));     // compiled by iasl
            Assert.True(SdtHeader.TryParse(t, AcpiSignature.Dsdt, SdtHeader.Size, out SdtHeader h).Ok);
            Assert.Equal(DsdtAml.CompilerVersion, h.CreatorRevision.ToString("x"));
        }

        [Fact]
        public void SleepStateS5HasTheLayoutsSleepType()
        {
            // Name (_S5, Package (4) { 5, 5, 0, 0 }): NameOp "_S5_" PackageOp PkgLength NumElements ...
            byte s5 = GuestPlatformLayout.SleepTypeS5;
            Assert.True(Contains(Aml, 0x08, (byte)'_', (byte)'S', (byte)'5', (byte)'_', 0x12, 0x08, 0x04, 0x0A, s5, 0x0A, s5, 0x00, 0x00));
        }

        [Fact]
        public void RootBridgeDescribesEcamBusesAndWindows()
        {
            byte[] t = Aml;
            Assert.True(Contains(t, EisaId("PNP0A08")), "PCI Express root bridge _HID");
            Assert.True(Contains(t, EisaId("PNP0A03")), "PCI root bridge _CID");
            // WordBusNumber: 0x88, length 13, type 2 (bus), ..., min, max = the MCFG's bus range.
            Assert.True(Contains(t, 0x88, 0x0D, 0x00, 0x02, 0x0C, 0x00, 0x00, 0x00,
                GuestPlatformLayout.EcamStartBus, 0x00, GuestPlatformLayout.EcamEndBus, 0x00));
            // DWordMemory window: minimum and maximum of the 32-bit BAR window.
            uint min = (uint)GuestPlatformLayout.PciMmioStart, max = (uint)(GuestPlatformLayout.PciMmioEnd - 1);
            Assert.True(Contains(t, Lo((int)min), Hi((int)min), (byte)(min >> 16), (byte)(min >> 24),
                Lo((int)max), Hi((int)max), (byte)(max >> 16), (byte)(max >> 24)));
            // Configuration mechanism #1 ports.
            Assert.True(Contains(t, Io(GuestPlatformLayout.PciConfigAddressPort, 8)));
            Assert.True(Contains(t, (byte)'_', (byte)'P', (byte)'R', (byte)'T'), "INTx routing");
            Assert.True(Contains(t, (byte)'_', (byte)'O', (byte)'S', (byte)'C'));
        }

        [Fact]
        public void MotherboardResourcesReserveEcamAndThePmBlock()
        {
            byte[] t = Aml;
            Assert.True(Contains(t, EisaId("PNP0C02")));
            ulong b = GuestPlatformLayout.EcamBase, s = GuestPlatformLayout.EcamSize;
            // Memory32Fixed (§6.4.3.4): 0x86, length 9, read/write, base, length.
            Assert.True(Contains(t, 0x86, 0x09, 0x00, 0x01, (byte)b, (byte)(b >> 8), (byte)(b >> 16), (byte)(b >> 24),
                (byte)s, (byte)(s >> 8), (byte)(s >> 16), (byte)(s >> 24)));
            Assert.True(Contains(t, Io(GuestPlatformLayout.PmIoBase, GuestPlatformLayout.PmIoLength)));
        }

        [Fact]
        public void LegacyDevicesHaveTheLayoutsPortsAndIrqs()
        {
            byte[] t = Aml;
            Assert.True(Contains(t, EisaId("PNP0501")));
            Assert.True(Contains(t, Cat(Io(GuestPlatformLayout.Com1Port, 8), Irq(GuestPlatformLayout.Com1Irq))));
            Assert.True(Contains(t, EisaId("PNP0B00")));
            Assert.True(Contains(t, Cat(Io(GuestPlatformLayout.RtcPort, 2), Irq(GuestPlatformLayout.RtcIrq))));
            Assert.True(Contains(t, EisaId("PNP0100")));
            Assert.True(Contains(t, Cat(Io(GuestPlatformLayout.PitPort, 4), Irq(GuestPlatformLayout.PitIrq))));
            Assert.True(Contains(t, EisaId("PNP0000")));
            Assert.True(Contains(t, Cat(Cat(Io(GuestPlatformLayout.PicMasterPort, 2), Io(GuestPlatformLayout.PicSlavePort, 2)), Irq(2))));
        }

        [Fact]
        public void IntxRoutingSwizzlesOverFourIoApicInputs()
        {
            Assert.Equal(16, GuestPlatformLayout.PciIntxGsi(0, 0));
            Assert.Equal(17, GuestPlatformLayout.PciIntxGsi(0, 1));
            Assert.Equal(19, GuestPlatformLayout.PciIntxGsi(1, 2));
            Assert.Equal(16, GuestPlatformLayout.PciIntxGsi(31, 1));
            Assert.True(GuestPlatformLayout.PciIntxGsiBase + 4 <= GuestPlatformLayout.IoApicPins);
            // The _PRT method adds the base as a byte constant: AddOp, BytePrefix 0x10.
            Assert.True(Contains(Aml, 0x72, 0x0A, GuestPlatformLayout.PciIntxGsiBase));
        }
    }
}
