using System.Collections.Generic;
using Hv.Acpi;
using Xunit;

namespace Hv.Tests.Acpi
{
    /// <summary>
    /// Facts of the captured QEMU 7.2 q35 + OVMF tables, checked against `iasl -d` of the same
    /// files: 4 (Intel config) or 2 (AMD config) local APICs, IOAPIC 0 at 0xfec00000, PM timer at
    /// port 0x608, ECAM at 0xb0000000, one DRHD at 0xfed90000, one IVHD at 0xfed80000.
    /// </summary>
    public class AcpiFixtureTests
    {
        [Theory]
        [InlineData(Fixture.Intel)]
        [InlineData(Fixture.Amd)]
        public void RsdpIsRevision2WithXsdtAndRsdt(string config)
        {
            Assert.True(Rsdp.TryParse(Fixture.Bytes(config, "RSDP"), out Rsdp r).Ok);
            Assert.Equal(2, r.Revision);
            Assert.Equal(36, r.Length);
            Assert.Equal("BOCHS", r.OemIdText());
            Assert.True(r.UsesXsdt);
            Assert.Equal(0x3fb7d0e8UL, r.XsdtAddress);
            Assert.Equal(0x3fb7d074U, r.RsdtAddress);
        }

        [Theory]
        [InlineData(Fixture.Intel, 4)]
        [InlineData(Fixture.Amd, 2)]
        public void MadtHasTheCpusAndTheIoApic(string config, int cpus)
        {
            Assert.True(Madt.TryParse(Fixture.Bytes(config, "APIC"), out Madt m).Ok);
            Assert.Equal(0xfee00000UL, m.LocalApicAddress);
            Assert.Equal(MadtFlags.PcAtCompat, m.Flags);
            var ids = new List<int>();
            var overrides = new List<MadtInterruptOverride>();
            int ioapics = 0, nmis = 0;
            MadtReader r = m.Entries();
            while (r.Next(out MadtEntry e))
            {
                switch (e.Type)
                {
                    case MadtEntryType.LocalApic:
                        Assert.Equal(LocalApicFlags.Enabled, e.LocalApic().Flags);
                        Assert.Equal(e.LocalApic().ApicId, e.LocalApic().ProcessorUid);
                        ids.Add(e.LocalApic().ApicId);
                        break;
                    case MadtEntryType.IoApic:
                        MadtIoApic io = e.IoApic();
                        Assert.Equal(0, io.Id);
                        Assert.Equal(0xfec00000U, io.Address);
                        Assert.Equal(0U, io.GsiBase);
                        ioapics++;
                        break;
                    case MadtEntryType.InterruptSourceOverride:
                        overrides.Add(e.InterruptOverride());
                        break;
                    case MadtEntryType.LocalApicNmi:
                        Assert.Equal(MadtLocalApicNmi.AllProcessors, e.LocalApicNmi().ProcessorUid);
                        Assert.Equal(1, e.LocalApicNmi().Lint);
                        nmis++;
                        break;
                    default:
                        Assert.Fail("unexpected MADT entry type " + e.Type);
                        break;
                }
            }
            Assert.True(r.Error.Ok);
            Assert.Equal(cpus, ids.Count);
            for (int i = 0; i < cpus; i++)
                Assert.Equal(i, ids[i]);
            Assert.Equal(1, ioapics);
            Assert.Equal(1, nmis);
            Assert.Equal(5, overrides.Count);
            // IRQ 0 -> GSI 2, edge/high by bus default; 5, 9, 10, 11 level, active high (flags 0x000d).
            Assert.Equal(0, overrides[0].Source);
            Assert.Equal(2U, overrides[0].Gsi);
            Assert.Equal(InterruptTrigger.ConformsToBus, overrides[0].Flags.Trigger);
            Assert.Equal(9, overrides[2].Source);
            Assert.Equal(InterruptTrigger.Level, overrides[2].Flags.Trigger);
            Assert.Equal(InterruptPolarity.ActiveHigh, overrides[2].Flags.Polarity);
        }

        [Theory]
        [InlineData(Fixture.Intel)]
        [InlineData(Fixture.Amd)]
        public void FadtGivesPmTimerResetAndBootFlags(string config)
        {
            Assert.True(Fadt.TryParse(Fixture.Bytes(config, "FACP"), out Fadt f).Ok);
            Assert.Equal(3, f.Header.Revision);
            Assert.Equal(244U, f.Header.Length);
            Assert.False(f.HardwareReduced);
            Assert.True(f.HasPmTimer);
            Assert.Equal(AddressSpace.SystemIo, f.PmTimer.Space);
            Assert.Equal(0x608UL, f.PmTimer.Address);
            Assert.Equal(32, f.PmTimer.BitWidth);      // from X_PM_TMR_BLK
            Assert.Equal(4, f.PmTimerLength);
            Assert.Equal(24, f.PmTimerBits);
            Assert.True(f.HasResetRegister);
            Assert.Equal(AddressSpace.SystemIo, f.ResetRegister.Space);
            Assert.Equal(0xcf9UL, f.ResetRegister.Address);
            Assert.Equal(0x0f, f.ResetValue);
            Assert.Equal(0x604UL, f.Pm1aControl.Address);
            Assert.Equal(0x600UL, f.Pm1aEvent.Address);
            Assert.False(f.Pm1bControl.IsPresent);
            Assert.Equal(9, f.SciInterrupt);
            Assert.Equal(0x32, f.Century);
            Assert.Equal(IaPcBootFlags.Has8042, f.BootFlags);
            Assert.Equal((FadtFlags)0x84A5, f.Flags);
            Assert.Equal(0x3fb7a000UL, f.Dsdt);
            Assert.Equal(0x3fbdd000UL, f.FirmwareControl);
        }

        [Theory]
        [InlineData(Fixture.Intel)]
        [InlineData(Fixture.Amd)]
        public void McfgAndHpet(string config)
        {
            Assert.True(Mcfg.TryParse(Fixture.Bytes(config, "MCFG"), out Mcfg m).Ok);
            Assert.Equal(1, m.Count);
            McfgSegment s = m.Segment(0);
            Assert.Equal(0xb0000000UL, s.BaseAddress);
            Assert.Equal(0, s.Segment);
            Assert.Equal(0, s.StartBus);
            Assert.Equal(255, s.EndBus);
            Assert.Equal(0xb00fa000UL, s.ConfigAddress(0, 0x1f, 2));

            Assert.True(Hpet.TryParse(Fixture.Bytes(config, "HPET"), out Hpet h).Ok);
            Assert.Equal(0xfed00000UL, h.BaseAddress.Address);
            Assert.Equal(AddressSpace.SystemMemory, h.BaseAddress.Space);
            Assert.Equal(3, h.ComparatorCount);
            Assert.True(h.Counter64Bit);
            Assert.True(h.LegacyReplacementCapable);
            Assert.Equal(0x8086, h.PciVendorId);
        }

        [Fact]
        public void IntelIommuGivesOneDrhdWithExplicitScopes()
        {
            Assert.True(Dmar.TryParse(Fixture.Bytes(Fixture.Intel, "DMAR"), out Dmar d).Ok);
            Assert.Equal(39, d.HostAddressWidth);
            Assert.Equal(DmarFlags.InterruptRemapping, d.Flags);
            DmarReader r = d.Structures();
            Assert.True(r.Next(out DmarStructure s));
            Assert.Equal(DmarStructureType.Drhd, s.Type);
            DmarDrhd u = s.Drhd();
            Assert.Equal(0xfed90000UL, u.RegisterBase);
            Assert.Equal(0, u.Segment);
            Assert.False(u.IncludePciAll);   // QEMU 7.2 lists the devices instead
            var scopes = new List<string>();
            DeviceScopeReader sr = s.Scopes();
            while (sr.Next(out DeviceScope ds))
            {
                Assert.Equal(1, ds.PathCount);
                scopes.Add(ds.Type + " " + ds.EnumerationId + " " + ds.StartBus.ToString("x2") + ":"
                    + ds.PathDevice(0).ToString("x2") + "." + ds.PathFunction(0));
            }
            Assert.True(sr.Error.Ok);
            Assert.Equal(new[] { "IoApic 0 ff:00.0", "PciEndpoint 0 00:00.0", "PciEndpoint 0 00:01.0",
                "PciEndpoint 0 00:1f.0", "PciEndpoint 0 00:1f.2", "PciEndpoint 0 00:1f.3" }, scopes);
            Assert.False(r.Next(out _));
            Assert.True(r.Error.Ok);
        }

        [Fact]
        public void AmdIommuGivesOneIvhdWithSelectsAndTheIoApic()
        {
            Assert.True(Ivrs.TryParse(Fixture.Bytes(Fixture.Amd, "IVRS"), out Ivrs v).Ok);
            Assert.Equal(40, v.PhysicalAddressBits);
            IvrsReader r = v.Blocks();
            Assert.True(r.Next(out IvrsBlock b));
            Assert.Equal(IvrsBlockType.Ivhd10, b.Type);
            IvrsIvhd h = b.Ivhd();
            Assert.Equal(0xfed80000UL, h.BaseAddress);
            Assert.Equal(0x0010, h.DeviceId);           // 00:02.0
            Assert.Equal(0x40, h.CapabilityOffset);
            Assert.Equal(0, h.Segment);
            var ranges = new List<IvhdDeviceRange>();
            IvhdDeviceReader dr = b.Devices();
            while (dr.Next(out IvhdDeviceRange x)) ranges.Add(x);
            Assert.True(dr.Error.Ok);
            Assert.Equal(7, ranges.Count);
            ushort[] selects = { 0x0000, 0x0008, 0x0010, 0x00f8, 0x00fa, 0x00fb };
            for (int i = 0; i < selects.Length; i++)
            {
                Assert.Equal(IvhdEntryType.Select, ranges[i].Entry);
                Assert.Equal(selects[i], ranges[i].First);
                Assert.Equal(selects[i], ranges[i].Last);
            }
            IvhdDeviceRange io = ranges[6];
            Assert.Equal(IvhdEntryType.Special, io.Entry);
            Assert.Equal(SpecialVariety.IoApic, io.Variety);
            Assert.Equal(0, io.Handle);
            Assert.Equal(0x00a0, io.First);             // 00:14.0
            Assert.False(r.Next(out _));
        }
    }
}
