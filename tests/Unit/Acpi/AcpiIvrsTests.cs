using System;
using System.Collections.Generic;
using Hv.Acpi;
using Xunit;

namespace Hv.Tests.Acpi
{
    /// <summary>
    /// IVRS rules. The AMD fixture: one IVHD 10h at 0x30 (length 0x38); its device entries are
    /// six 4-byte selects at 0x48..0x5c and an 8-byte special (IOAPIC) at 0x60; table length 0x68.
    /// </summary>
    public class AcpiIvrsTests
    {
        static byte[] IvrsBytes() => Fixture.Bytes(Fixture.Amd, "IVRS");

        static byte[] With(params (int At, byte Value)[] changes)
        {
            byte[] b = IvrsBytes();
            foreach (var (at, value) in changes) b[at] = value;
            Bytes.FixChecksum(b);
            return b;
        }

        static List<IvhdDeviceRange> Ranges(byte[] table, int block = 0)
        {
            AcpiError e = Ivrs.TryParse(table, out Ivrs v);
            Assert.True(e.Ok, e.Message);
            IvrsReader r = v.Blocks();
            IvrsBlock b = default;
            for (int i = 0; i <= block; i++) Assert.True(r.Next(out b));
            var list = new List<IvhdDeviceRange>();
            IvhdDeviceReader d = b.Devices();
            while (d.Next(out IvhdDeviceRange x)) list.Add(x);
            return list;
        }

        [Theory]
        [InlineData(0x32, 0, "IVRS: entry type 0x10 at offset 0x30: length 0 is below the minimum 4")]
        [InlineData(0x32, 20, "IVRS: entry type 0x10 at offset 0x30: length 20 is below the minimum 24")]
        [InlineData(0x32, 0x39, "IVRS: entry type 0x10 at offset 0x30: length 57 runs past the end (56 bytes left)")]
        [InlineData(0x60, 0x80, "IVRS: entry type 0x80 at offset 0x60: length 16 runs past the end (8 bytes left)")]
        [InlineData(0x48, 0x04, "IVRS: entry type 0x4 at offset 0x48: end of range without a start of range")]
        [InlineData(0x5c, 0x03, "IVRS: entry type 0x3 at offset 0x5c: start of range without an end of range (0xfb, 0x0)")]
        [InlineData(0x60, 0xF0, "IVRS: entry type 0xf0 at offset 0x60: truncated: 8 bytes, needs 22")]
        public void BadBlocksAndDeviceEntries(int at, byte value, string message)
        {
            Assert.Equal(message, Ivrs.TryParse(With((at, value)), out _).Message);
        }

        [Fact]
        public void RangePairsFoldIntoOneRange()
        {
            List<IvhdDeviceRange> r = Ranges(With((0x48, 3), (0x4c, 4)));   // start at 00:00.0, end at 00:01.0
            Assert.Equal(6, r.Count);
            Assert.Equal(IvhdEntryType.RangeStart, r[0].Entry);
            Assert.Equal(0, r[0].First);
            Assert.Equal(8, r[0].Last);
            Assert.Equal(9, r[0].Count);
            Assert.Equal(0x48, r[0].Offset);
            Assert.Equal("IVRS: entry type 0x4 at offset 0x50: end of range below its start (0x8, 0x4)",
                Ivrs.TryParse(With((0x4c, 3), (0x50, 4), (0x51, 4)), out _).Message);
            Assert.Equal("IVRS: entry type 0x3 at offset 0x4c: start of range while another range is open (0x0, 0x8)",
                Ivrs.TryParse(With((0x48, 3), (0x4c, 3)), out _).Message);
        }

        /// <summary>The fixture plus an IVHD 40h for the same IOMMU with every other entry kind, then three IVMDs.</summary>
        static byte[] Extended(ushort rangeLast = 0x01ff, byte uidLength = 4)
        {
            var e = new List<byte>();
            e.AddRange(new byte[] { 0xF0, 0xa0, 0x00, 0 });                    // ACPI HID device 00:14.0
            e.AddRange(System.Text.Encoding.ASCII.GetBytes("AMDI0020"));
            e.AddRange(new byte[8]);                                            // CID
            e.AddRange(new byte[] { 2, uidLength, (byte)'A', (byte)'B', (byte)'C', (byte)'D' });
            e.AddRange(new byte[] { 0x42, 0x00, 0x01, 0, 0, 0x08, 0x01, 0 });   // alias select 01:00.0 as 01:01.0
            e.AddRange(new byte[] { 0x46, 0x00, 0x02, 0, 0, 0, 0, 0x80 });      // extended select 02:00.0, ATS disabled
            e.AddRange(new byte[] { 0x43, 0x00, 0x03, 0, 0, 0x10, 0x03, 0 });   // alias range 03:00.0-03:1f.7 as 03:02.0
            e.AddRange(new byte[] { 0x04, 0xff, 0x03, 0 });
            e.AddRange(new byte[] { 0x47, 0x00, 0x04, 0, 0, 0, 0, 0x80 });      // extended range 04:00.0-04:02.0
            e.AddRange(new byte[] { 0x04, 0x10, 0x04, 0 });
            e.AddRange(new byte[] { 0x40, 0, 0, 0, 0, 0, 0, 0 });               // pad8
            e.AddRange(new byte[32]); e[e.Count - 32] = 0xC0;                  // reserved 32-byte type: skipped
            e.AddRange(new byte[] { 0x01, 0, 0, 0 });                           // all
            var block = new List<byte> { 0x40, 0, 0, 0, 0x10, 0x00, 0x40, 0x00 };
            block.AddRange(BitConverter.GetBytes(0xfed80000UL));
            block.AddRange(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0 });             // segment, info, attributes
            block.AddRange(BitConverter.GetBytes(0x1234UL));                   // EFR image
            block.AddRange(new byte[8]);
            block.AddRange(e);
            block[2] = (byte)block.Count;
            var body = new List<byte>(block);
            body.AddRange(Ivmd(0x20, 0, 0, 0xe0000, 0x20000));
            body.AddRange(Ivmd(0x21, 0x00a0, 0, 0xf0000, 0x1000));
            body.AddRange(Ivmd(0x22, 0x0100, rangeLast, 0xffff_ffff_ffff_f000, 0x1000));
            return Bytes.WithBody(IvrsBytes(), 0x68, body.ToArray());
        }

        static byte[] Ivmd(byte type, ushort device, ushort aux, ulong start, ulong length)
        {
            var b = new List<byte> { type, (byte)(IvmdFlags.Unity | IvmdFlags.ReadPermission | IvmdFlags.WritePermission), 32, 0 };
            b.AddRange(BitConverter.GetBytes(device));
            b.AddRange(BitConverter.GetBytes(aux));
            b.AddRange(new byte[8]);
            b.AddRange(BitConverter.GetBytes(start));
            b.AddRange(BitConverter.GetBytes(length));
            return b.ToArray();
        }

        [Fact]
        public void EveryDeviceEntryKindDecodes()
        {
            List<IvhdDeviceRange> r = Ranges(Extended(), 1);
            Assert.Equal(6, r.Count);
            Assert.Equal(IvhdEntryType.AcpiHid, r[0].Entry);
            Assert.Equal(0x00a0, r[0].First);
            Assert.Equal(BitConverter.ToUInt64(System.Text.Encoding.ASCII.GetBytes("AMDI0020")), r[0].Hid);
            Assert.Equal((IvhdEntryType.AliasSelect, 0x100, 0x108), (r[1].Entry, (int)r[1].First, (int)r[1].AliasSource));
            Assert.Equal((IvhdEntryType.ExtendedSelect, 0x200, 0x80000000u), (r[2].Entry, (int)r[2].First, r[2].ExtendedSetting));
            Assert.Equal((IvhdEntryType.AliasRangeStart, 0x300, 0x3ff, 0x310), (r[3].Entry, (int)r[3].First, (int)r[3].Last, (int)r[3].AliasSource));
            Assert.Equal((IvhdEntryType.ExtendedRangeStart, 0x400, 0x410), (r[4].Entry, (int)r[4].First, (int)r[4].Last));
            Assert.Equal((IvhdEntryType.All, 0, 0xffff), (r[5].Entry, (int)r[5].First, (int)r[5].Last));
        }

        [Fact]
        public void IvhdFortyAndIvmdsDecode()
        {
            Assert.True(Ivrs.TryParse(Extended(), out Ivrs v).Ok);
            IvrsReader r = v.Blocks();
            Assert.True(r.Next(out _));
            Assert.True(r.Next(out IvrsBlock b));
            Assert.Equal(IvrsBlockType.Ivhd40, b.Ivhd().Type);
            Assert.Equal(0x1234UL, b.Ivhd().Efr);
            var ivmds = new List<IvrsIvmd>();
            while (r.Next(out IvrsBlock x)) ivmds.Add(x.Ivmd());
            Assert.Equal(3, ivmds.Count);
            Assert.Equal((0, 0xffff, 0xe0000UL), ((int)ivmds[0].FirstDevice, (int)ivmds[0].LastDevice, ivmds[0].Start));
            Assert.Equal((0xa0, 0xa0), ((int)ivmds[1].FirstDevice, (int)ivmds[1].LastDevice));
            Assert.Equal((0x100, 0x1ff), ((int)ivmds[2].FirstDevice, (int)ivmds[2].LastDevice));
            Assert.Equal(IvmdFlags.Unity | IvmdFlags.ReadPermission | IvmdFlags.WritePermission, ivmds[2].Flags);
        }

        [Fact]
        public void IvmdAndAcpiHidErrors()
        {
            Assert.Equal("IVRS: at offset 0x13e: IVMD last DeviceID below first (0x100, 0xff)", Ivrs.TryParse(Extended(0x00ff), out _).Message);
            Assert.Equal(AcpiErrorKind.EntryPastEnd, Ivrs.TryParse(Extended(uidLength: 200), out _).Kind);
            byte[] wrap = Extended();
            Bytes.U64(wrap, wrap.Length - 8, 0x2000);
            Bytes.FixChecksum(wrap);
            Assert.Equal("IVRS: at offset 0x13e: IVMD range wraps past 2^64 (0xfffffffffffff000, 0x2000)", Ivrs.TryParse(wrap, out _).Message);
            byte[] shortIvmd = Extended();
            shortIvmd[0x13e + 2] = 16;
            Bytes.FixChecksum(shortIvmd);
            Assert.Equal("IVRS: entry type 0x22 at offset 0x13e: length 16 is below the minimum 32", Ivrs.TryParse(shortIvmd, out _).Message);
        }

        [Fact]
        public void SummaryCountsTheIommuOnce()
        {
            FakeMemory m = Fixture.Memory(Fixture.Amd).Put(0x3fb75000, Extended());
            Assert.Contains("acpi: IVRS: 1 IOMMU at 0xfed80000 (device 00:02.0, segment 0, IVHD 10h+40h), 7 device ranges, "
                + "IOAPIC 0 as 00:14.0, 3 IVMDs, PA 40 bits", AcpiSummary.Lines(m, Fixture.RsdpAddress(Fixture.Amd)));
        }
    }
}
