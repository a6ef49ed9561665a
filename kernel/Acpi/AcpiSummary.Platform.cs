using Hv.Virt.Caps;

namespace Hv.Acpi
{
    /// <summary>Summary lines of the platform tables: MADT, FADT, MCFG, HPET.</summary>
    public static partial class AcpiSummary
    {
        private const int MaxListed = 32;

        /// <summary>"acpi: MADT: 4 CPUs (APIC IDs 0,1,2,3), 1 IOAPIC id 0 at 0xfec00000 GSI 0, 5 overrides (...), ...".</summary>
        private static void MadtLine(Collector c, byte[] b)
        {
            AcpiError e = Madt.TryParse(b, out Madt madt);
            if (!e.Ok)
            {
                c.Invalid(e);
                return;
            }
            int cpus = 0, hotplug = 0, ioapics = 0, overrides = 0, nmis = 0, localNmis = 0;
            string ids = "", io = "", irqs = "", lint = "";
            MadtReader r = madt.Entries();
            while (r.Next(out MadtEntry entry))
            {
                switch (entry.Type)
                {
                    case MadtEntryType.LocalApic:
                    case MadtEntryType.LocalX2Apic:
                        bool x2 = entry.Type == MadtEntryType.LocalX2Apic;
                        LocalApicFlags flags = x2 ? entry.LocalX2Apic().Flags : entry.LocalApic().Flags;
                        uint id = x2 ? entry.LocalX2Apic().X2ApicId : entry.LocalApic().ApicId;
                        if ((flags & LocalApicFlags.Enabled) != 0)
                        {
                            if (cpus < MaxListed) ids = ids + (cpus == 0 ? "" : ",") + id.ToString();
                            else if (cpus == MaxListed) ids = ids + ",...";
                            cpus++;
                        }
                        else if ((flags & LocalApicFlags.OnlineCapable) != 0)
                            hotplug++;
                        break;
                    case MadtEntryType.IoApic:
                        MadtIoApic a = entry.IoApic();
                        io = io + (ioapics == 0 ? " id " : ", id ") + ((uint)a.Id).ToString() + " at " + Hex.Format(a.Address, 1)
                            + " GSI " + a.GsiBase.ToString();
                        ioapics++;
                        break;
                    case MadtEntryType.InterruptSourceOverride:
                        MadtInterruptOverride o = entry.InterruptOverride();
                        irqs = irqs + (overrides == 0 ? "IRQ " : ", ") + ((uint)o.Source).ToString() + "->" + o.Gsi.ToString() + Inti(o.Flags);
                        overrides++;
                        break;
                    case MadtEntryType.NmiSource:
                        nmis++;
                        break;
                    case MadtEntryType.LocalApicNmi:
                    case MadtEntryType.LocalX2ApicNmi:
                        bool all = entry.Type == MadtEntryType.LocalApicNmi
                            ? entry.LocalApicNmi().ProcessorUid == MadtLocalApicNmi.AllProcessors
                            : entry.LocalX2ApicNmi().ProcessorUid == MadtLocalX2ApicNmi.AllProcessors;
                        byte pin = entry.Type == MadtEntryType.LocalApicNmi ? entry.LocalApicNmi().Lint : entry.LocalX2ApicNmi().Lint;
                        if (localNmis == 0) lint = "NMI on LINT" + ((uint)pin).ToString() + (all ? " of all CPUs" : "");
                        localNmis++;
                        break;
                }
            }
            string line = "acpi: MADT: " + Count(cpus, "CPU") + (cpus > 0 ? " (APIC IDs " + ids + ")" : "");
            if (hotplug > 0) line = line + " + " + hotplug.ToString() + " online-capable";
            line = line + ", " + Count(ioapics, "IOAPIC") + io + ", " + Count(overrides, "override");
            if (overrides > 0) line = line + " (" + irqs + ")";
            if (nmis > 0) line = line + ", " + Count(nmis, "NMI source");
            if (localNmis == 1) line = line + ", " + lint;
            else if (localNmis > 1) line = line + ", " + Count(localNmis, "local NMI");
            line = line + ", LAPIC at " + Hex.Format(madt.LocalApicAddress, 1);
            if ((madt.Flags & MadtFlags.PcAtCompat) != 0) line = line + ", 8259 PICs present";
            c.Info(line);
        }

        /// <summary>" level", " low", " level low": MPS INTI flags that differ from ISA's edge/high.</summary>
        private static string Inti(MpsIntiFlags f)
        {
            string s = f.Trigger == InterruptTrigger.Level ? " level" : "";
            return f.Polarity == InterruptPolarity.ActiveLow ? s + " low" : s;
        }

        /// <summary>"acpi: FADT: rev 3, PM timer at port 0x608 (24-bit), reset via port 0xcf9 value 0x6, ...".</summary>
        private static void FadtLine(Collector c, byte[] b)
        {
            AcpiError e = Fadt.TryParse(b, out Fadt f);
            if (!e.Ok)
            {
                c.Invalid(e);
                return;
            }
            string line = "acpi: FADT: rev " + ((uint)f.Header.Revision).ToString();
            if (f.HardwareReduced) line = line + ", HW-reduced ACPI";
            line = line + (f.HasPmTimer ? ", PM timer at " + f.PmTimer.Describe() + " (" + f.PmTimerBits.ToString() + "-bit)" : ", no PM timer");
            line = line + (f.HasResetRegister
                ? ", reset via " + f.ResetRegister.Describe() + " value " + Hex.Format(f.ResetValue, 1)
                : ", no reset register");
            if (f.Pm1aControl.IsPresent) line = line + ", PM1a control " + f.Pm1aControl.Describe();
            if (f.Pm1bControl.IsPresent) line = line + ", PM1b control " + f.Pm1bControl.Describe();
            if (!f.HardwareReduced) line = line + ", SCI IRQ " + ((uint)f.SciInterrupt).ToString();
            if (f.Century != 0) line = line + ", century at CMOS " + Hex.Format(f.Century, 1);
            line = line + ", boot flags" + BootFlags(f.BootFlags);
            c.Info(line);
        }

        private static string BootFlags(IaPcBootFlags f)
        {
            if (f == IaPcBootFlags.None) return " none";
            string s = "";
            if ((f & IaPcBootFlags.LegacyDevices) != 0) s = s + " legacy-devices";
            if ((f & IaPcBootFlags.Has8042) != 0) s = s + " 8042";
            if ((f & IaPcBootFlags.VgaNotPresent) != 0) s = s + " no-VGA";
            if ((f & IaPcBootFlags.MsiNotSupported) != 0) s = s + " no-MSI";
            if ((f & IaPcBootFlags.PcieAspmControls) != 0) s = s + " no-ASPM-control";
            if ((f & IaPcBootFlags.CmosRtcNotPresent) != 0) s = s + " no-CMOS-RTC";
            return s;
        }

        /// <summary>"acpi: MCFG: ECAM 0xb0000000 bus 0-255" (segments other than 0 are named).</summary>
        private static void McfgLine(Collector c, byte[] b)
        {
            AcpiError e = Mcfg.TryParse(b, out Mcfg m);
            if (!e.Ok)
            {
                c.Invalid(e);
                return;
            }
            string line = "acpi: MCFG:";
            for (int i = 0; i < m.Count; i++)
            {
                McfgSegment s = m.Segment(i);
                line = line + (i == 0 ? " " : ", ") + (s.Segment != 0 ? "segment " + ((uint)s.Segment).ToString() + " " : "")
                    + "ECAM " + Hex.Format(s.BaseAddress, 1) + " bus " + ((uint)s.StartBus).ToString() + "-" + ((uint)s.EndBus).ToString();
            }
            if (m.Count == 0) line = line + " no ECAM regions";
            c.Info(line);
        }

        /// <summary>"acpi: HPET: at 0xfed00000, 3 comparators, 64-bit counter, min tick 128, legacy routing".</summary>
        private static void HpetLine(Collector c, byte[] b)
        {
            AcpiError e = Hpet.TryParse(b, out Hpet h);
            if (!e.Ok)
            {
                c.Invalid(e);
                return;
            }
            c.Info("acpi: HPET: at " + Hex.Format(h.BaseAddress.Address, 1) + ", " + Count(h.ComparatorCount, "comparator")
                + ", " + (h.Counter64Bit ? "64" : "32") + "-bit counter, min tick " + ((uint)h.MinimumTick).ToString()
                + (h.LegacyReplacementCapable ? ", legacy routing" : "") + ", vendor " + Hex.Format(h.PciVendorId, 4));
        }
    }
}
