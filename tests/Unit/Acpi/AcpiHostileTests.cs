using System;
using System.Collections.Generic;
using Hv.Acpi;
using Xunit;

namespace Hv.Tests.Acpi
{
    /// <summary>
    /// Every fixture table, damaged every way a byte-level test can reach: each prefix, each byte
    /// flipped, the length field set to hostile values, random bytes with a repaired checksum.
    /// The parsers must answer with an error value (or accept), never throw or hang.
    /// </summary>
    public class AcpiHostileTests
    {
        /// <summary>(config, table name) of every fixture table except the FACS (no checksum, not parsed).</summary>
        public static IEnumerable<object[]> Tables()
        {
            foreach (string config in Fixture.Configs)
                foreach (var t in Fixture.Manifest(config))
                    if (t.Name != "FACS")
                        yield return new object[] { config, t.Name };
        }

        /// <summary>Parses with the table's own parser and walks everything a caller would walk.</summary>
        internal static AcpiError Parse(string name, byte[] b)
        {
            switch (name)
            {
                case "RSDP": return Rsdp.TryParse(b, out _);
                case "XSDT": return RootTable.TryParse(b, true, out _);
                case "RSDT": return RootTable.TryParse(b, false, out _);
                case "FACP": return Fadt.TryParse(b, out _);
                case "HPET": return Hpet.TryParse(b, out _);
                case "MCFG":
                {
                    AcpiError e = Mcfg.TryParse(b, out Mcfg m);
                    for (int i = 0; i < m.Count; i++) m.Segment(i);
                    return e;
                }
                case "APIC":
                {
                    AcpiError e = Madt.TryParse(b, out Madt m);
                    if (!e.Ok) return e;
                    MadtReader r = m.Entries();
                    while (r.Next(out MadtEntry x)) { x.LocalApic(); x.IoApic(); x.InterruptOverride(); x.LocalX2Apic(); x.LocalApicNmi(); }
                    Assert.True(r.Error.Ok, "a second walk of an accepted MADT failed");
                    return e;
                }
                case "DMAR":
                {
                    AcpiError e = Dmar.TryParse(b, out Dmar d);
                    if (!e.Ok) return e;
                    DmarReader r = d.Structures();
                    while (r.Next(out DmarStructure s))
                    {
                        s.Drhd(); s.Rmrr(); s.Atsr(); s.Rhsa();
                        DeviceScopeReader sr = s.Scopes();
                        while (sr.Next(out DeviceScope x)) for (int i = 0; i <= x.PathCount; i++) x.PathDevice(i);
                        Assert.True(sr.Error.Ok);
                    }
                    Assert.True(r.Error.Ok);
                    return e;
                }
                case "IVRS":
                {
                    AcpiError e = Ivrs.TryParse(b, out Ivrs v);
                    if (!e.Ok) return e;
                    IvrsReader r = v.Blocks();
                    while (r.Next(out IvrsBlock x))
                    {
                        x.Ivhd(); x.Ivmd();
                        IvhdDeviceReader dr = x.Devices();
                        while (dr.Next(out _)) { }
                        Assert.True(dr.Error.Ok);
                    }
                    Assert.True(r.Error.Ok);
                    return e;
                }
                default: return SdtHeader.TryParse(b, 0, SdtHeader.Size, out _);
            }
        }

        [Theory]
        [MemberData(nameof(Tables))]
        public void FixtureParses(string config, string name)
        {
            AcpiError e = Parse(name, Fixture.Bytes(config, name));
            Assert.True(e.Ok, e.Message);
        }

        [Theory]
        [MemberData(nameof(Tables))]
        public void EveryPrefixIsAnError(string config, string name)
        {
            byte[] whole = Fixture.Bytes(config, name);
            for (int n = 0; n < whole.Length; n++)
            {
                AcpiError e = Parse(name, whole.AsSpan(0, n).ToArray());
                Assert.False(e.Ok, name + " accepted its first " + n + " bytes");
                Assert.False(string.IsNullOrEmpty(e.Message));
            }
        }

        [Theory]
        [MemberData(nameof(Tables))]
        public void EveryFlippedByteIsAnError(string config, string name)
        {
            byte[] whole = Fixture.Bytes(config, name);
            for (int i = 0; i < whole.Length; i++)
            {
                byte[] b = (byte[])whole.Clone();
                b[i] ^= 0x5A;
                Assert.False(Parse(name, b).Ok, name + " accepted a flipped byte at " + i);
            }
        }

        [Theory]
        [MemberData(nameof(Tables))]
        public void HostileLengthFieldsAreErrors(string config, string name)
        {
            if (name == "RSDP") return;   // AcpiRsdpTests covers the RSDP's own Length
            byte[] whole = Fixture.Bytes(config, name);
            uint[] lengths = { 0, 1, 8, 35, (uint)whole.Length + 1, (uint)whole.Length + 4096, SdtHeader.MaxLength + 1, 0x7FFFFFFF, 0xFFFFFFFF };
            foreach (uint length in lengths)
            {
                byte[] b = (byte[])whole.Clone();
                Bytes.U32(b, 4, length);
                Bytes.FixChecksum(b, 9, Math.Min(b.Length, (int)Math.Min(length, (uint)b.Length)));
                AcpiError e = Parse(name, b);
                Assert.False(e.Ok, name + " accepted length " + length);
                Assert.Contains(e.Kind, new[] { AcpiErrorKind.LengthTooSmall, AcpiErrorKind.LengthPastEnd, AcpiErrorKind.LengthTooLarge });
            }
        }

        [Theory]
        [MemberData(nameof(Tables))]
        public void RandomBytesWithARepairedChecksumNeverThrow(string config, string name)
        {
            if (name == "RSDP" || name == "DSDT") return;   // RSDP: AcpiRsdpTests; DSDT: only its header is parsed
            byte[] whole = Fixture.Bytes(config, name);
            Random random = new Random(name.GetHashCode() ^ 20240229);
            for (int round = 0; round < 4000; round++)
            {
                byte[] b = (byte[])whole.Clone();
                int changes = 1 + random.Next(4);
                for (int k = 0; k < changes; k++)
                {
                    // Mostly the body (entries, lengths, types); sometimes the header too.
                    int at = random.Next(4) == 0 ? random.Next(b.Length) : 36 + random.Next(b.Length - 36);
                    b[at] = random.Next(3) == 0 ? (byte)random.Next(4) : (byte)random.Next(256);
                }
                Bytes.FixChecksum(b, 9, Math.Min(b.Length, (int)Math.Min(BitConverter.ToUInt32(b, 4), (uint)b.Length)));
                AcpiError e = Parse(name, b);
                Assert.True(e.Ok || e.Message.Length > 0);
            }
        }

        [Theory]
        [InlineData(Fixture.Intel)]
        [InlineData(Fixture.Amd)]
        public void RandomDamageToTheMemoryImageNeverBreaksTheSummaryOrTheDump(string config)
        {
            Random random = new Random(7);
            var manifest = Fixture.Manifest(config);
            for (int round = 0; round < 1500; round++)
            {
                FakeMemory m = Fixture.Memory(config);
                var t = manifest[random.Next(manifest.Count)];
                byte[] b = m.At(t.Address);
                for (int k = 1 + random.Next(3); k > 0; k--)
                    b[random.Next(Math.Min(b.Length, 256))] = (byte)random.Next(256);
                if (t.Name != "RSDP" && b.Length >= 36 && random.Next(2) == 0)
                    Bytes.FixChecksum(b, 9, Math.Min(b.Length, (int)Math.Min(BitConverter.ToUInt32(b, 4), (uint)b.Length)));
                string[] lines = AcpiSummary.Lines(m, manifest[0].Address);
                Assert.NotEmpty(lines);
                ListSink sink = new ListSink();
                AcpiDump.Write(m, manifest[0].Address, sink);
                Assert.StartsWith("ACPIDUMP end: ", sink.Lines[sink.Lines.Count - 1]);
            }
        }
    }
}
