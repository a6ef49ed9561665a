using System;
using Hv.Acpi;
using Hv.Tests.Acpi;
using Hv.Virt.Platform.Acpi;
using Xunit;

namespace Hv.Tests.Platform
{
    /// <summary>
    /// The guest's tables read back by the kernel's own parsers (kernel/Acpi), the ones that read
    /// the host firmware's tables: what one side writes the other must understand the same way.
    /// </summary>
    public class GuestAcpiParseTests
    {
        static AcpiTables Discover(int vcpus, out GuestAcpiLayout l)
        {
            byte[] area = GuestAcpi.Build(vcpus, out l);
            var memory = new FakeMemory().Put(GuestAcpi.Base, area.AsSpan(0, l.Size).ToArray());
            AcpiTables t = AcpiTables.Discover(memory, l.RsdpAddress);
            Assert.True(t.Ok, t.Error.Message);
            Assert.True(t.RootWarning.Ok, t.RootWarning.Message);
            return t;
        }

        [Fact]
        public void TheWalkFindsEveryTable()
        {
            AcpiTables t = Discover(2, out GuestAcpiLayout l);
            Assert.True(t.Rsdp.UsesXsdt);
            Assert.Equal(2, t.Rsdp.Revision);
            Assert.Equal("HV", t.Rsdp.OemIdText());
            Assert.Equal(AcpiSignature.Xsdt, t.RootSignature);
            Assert.Equal(3, t.RootEntries);
            Assert.Equal(l.Address(l.Fadt), t.Tables[t.IndexOf(AcpiSignature.Fadt)].Address);
            Assert.Equal(l.Address(l.Madt), t.Tables[t.IndexOf(AcpiSignature.Madt)].Address);
            Assert.Equal(l.Address(l.Mcfg), t.Tables[t.IndexOf(AcpiSignature.Mcfg)].Address);
            AcpiTableInfo dsdt = t.Tables[t.IndexOf(AcpiSignature.Dsdt)];
            AcpiTableInfo facs = t.Tables[t.IndexOf(AcpiSignature.Facs)];
            Assert.True(dsdt.ViaFadt);
            Assert.True(facs.ViaFadt);
            Assert.Equal(l.Address(l.Dsdt), dsdt.Address);
            Assert.Equal((uint)l.DsdtLength, dsdt.Length);
            Assert.Equal(l.Address(l.Facs), facs.Address);
            Assert.True(t.Load(AcpiSignature.Dsdt, out byte[] d).Ok);
            Assert.True(SdtHeader.TryParse(d, AcpiSignature.Dsdt, SdtHeader.Size, out _).Ok);
        }

        [Fact]
        public void FadtParsesToThePlatform()
        {
            AcpiTables t = Discover(1, out GuestAcpiLayout l);
            Assert.True(t.Load(AcpiSignature.Fadt, out byte[] b).Ok);
            AcpiError e = Fadt.TryParse(b, out Fadt f);
            Assert.True(e.Ok, e.Message);
            Assert.Equal(5, f.MinorVersion);
            Assert.Equal(l.Address(l.Dsdt), f.Dsdt);
            Assert.Equal(l.Address(l.Facs), f.FirmwareControl);
            Assert.Equal(9, f.SciInterrupt);
            Assert.False(f.HardwareReduced);
            Assert.True(f.HasPmTimer);
            Assert.Equal(32, f.PmTimerBits);
            Assert.Equal(AddressSpace.SystemIo, f.PmTimer.Space);
            Assert.Equal(0x608UL, f.PmTimer.Address);
            Assert.Equal(0x600UL, f.Pm1aEvent.Address);
            Assert.Equal(32, f.Pm1aEvent.BitWidth);
            Assert.Equal(0x604UL, f.Pm1aControl.Address);
            Assert.Equal(16, f.Pm1aControl.BitWidth);
            Assert.Equal(0x620UL, f.Gpe0.Address);
            Assert.False(f.Pm1bEvent.IsPresent);
            Assert.False(f.Gpe1.IsPresent);
            Assert.True(f.HasResetRegister);
            Assert.Equal(0xCF9UL, f.ResetRegister.Address);
            Assert.Equal(6, f.ResetValue);
            Assert.Equal(IaPcBootFlags.None, f.BootFlags & IaPcBootFlags.Has8042);
        }

        [Fact]
        public void MadtParsesToTheVcpusAndTheIoApic()
        {
            AcpiTables t = Discover(64, out _);
            Assert.True(t.Load(AcpiSignature.Madt, out byte[] b).Ok);
            AcpiError e = Madt.TryParse(b, out Madt m);
            Assert.True(e.Ok, e.Message);
            Assert.Equal(0xFEE00000UL, m.LocalApicAddress);
            Assert.Equal(MadtFlags.PcAtCompat, m.Flags);
            int cpus = 0, ioapics = 0, overrides = 0, nmis = 0;
            MadtReader r = m.Entries();
            while (r.Next(out MadtEntry entry))
            {
                switch (entry.Type)
                {
                    case MadtEntryType.LocalApic:
                        MadtLocalApic la = entry.LocalApic();
                        Assert.Equal(cpus, la.ApicId);
                        Assert.Equal(LocalApicFlags.Enabled, la.Flags);
                        cpus++;
                        break;
                    case MadtEntryType.IoApic:
                        MadtIoApic io = entry.IoApic();
                        Assert.Equal(0xFEC00000u, io.Address);
                        Assert.Equal(0u, io.GsiBase);
                        ioapics++;
                        break;
                    case MadtEntryType.InterruptSourceOverride:
                        MadtInterruptOverride iso = entry.InterruptOverride();
                        Assert.Equal(0, iso.Bus);
                        if (iso.Source == 0)
                        {
                            Assert.Equal(2u, iso.Gsi);
                            Assert.Equal(InterruptTrigger.Edge, iso.Flags.Trigger);
                        }
                        else
                        {
                            Assert.Equal(9, iso.Source);
                            Assert.Equal(9u, iso.Gsi);
                            Assert.Equal(InterruptTrigger.Level, iso.Flags.Trigger);
                            Assert.Equal(InterruptPolarity.ActiveHigh, iso.Flags.Polarity);
                        }
                        overrides++;
                        break;
                    case MadtEntryType.LocalApicNmi:
                        MadtLocalApicNmi nmi = entry.LocalApicNmi();
                        Assert.Equal(MadtLocalApicNmi.AllProcessors, nmi.ProcessorUid);
                        Assert.Equal(1, nmi.Lint);
                        nmis++;
                        break;
                    default:
                        Assert.Fail("unexpected MADT entry type " + entry.Type);
                        break;
                }
            }
            Assert.True(r.Error.Ok);
            Assert.Equal((64, 1, 2, 1), (cpus, ioapics, overrides, nmis));
        }

        [Fact]
        public void McfgParsesToOneSegment()
        {
            AcpiTables t = Discover(1, out _);
            Assert.True(t.Load(AcpiSignature.Mcfg, out byte[] b).Ok);
            AcpiError e = Mcfg.TryParse(b, out Mcfg m);
            Assert.True(e.Ok, e.Message);
            Assert.Equal(1, m.Count);
            McfgSegment s = m.Segment(0);
            Assert.Equal(0xB0000000UL, s.BaseAddress);
            Assert.True(s.Covers(0, 0) && s.Covers(0, 255));
            Assert.Equal(0xB0108000UL, s.ConfigAddress(1, 1, 0));
        }

        [Fact]
        public void HostTopologyReadsTheGuestLikeAMachine()
        {
            byte[] area = GuestAcpi.Build(4, out GuestAcpiLayout l);
            var memory = new FakeMemory().Put(GuestAcpi.Base, area.AsSpan(0, l.Size).ToArray());
            HostTopology topo = HostTopology.Read(memory, l.RsdpAddress);
            Assert.Null(topo.Problem);
            Assert.True(topo.HasMadt);
            Assert.Equal(4, topo.CpuCount);
            Assert.Equal(new uint[] { 0, 1, 2, 3 }, topo.ApicIds.AsSpan(0, 4).ToArray());
            Assert.Equal(1, topo.IoApicCount);
            Assert.Equal(0x608, topo.PmTimerPort);
            Assert.True(topo.PmTimer32Bit);
            Assert.Equal(0UL, topo.HpetAddress);
        }
    }
}
