using Hv.Virt.Caps;

namespace Hv.Acpi
{
    /// <summary>Summary lines of the IOMMU tables: DMAR (Intel VT-d) and IVRS (AMD-Vi).</summary>
    public static partial class AcpiSummary
    {
        private const int MaxIommus = 16;

        /// <summary>"acpi: DMAR: 1 DRHD at 0xfed90000 (segment 0, all PCI devices), 0 RMRRs, 0 ATSRs, address width 39, ...".</summary>
        private static void DmarLine(Collector c, byte[] b)
        {
            AcpiError e = Dmar.TryParse(b, out Dmar d);
            if (!e.Ok)
            {
                c.Invalid(e);
                return;
            }
            int drhds = 0, rmrrs = 0, atsrs = 0, others = 0;
            string units = "", regions = "";
            DmarReader r = d.Structures();
            while (r.Next(out DmarStructure s))
            {
                switch (s.Type)
                {
                    case DmarStructureType.Drhd:
                        DmarDrhd u = s.Drhd();
                        int scopes = 0;
                        DeviceScopeReader sr = s.Scopes();
                        while (sr.Next(out DeviceScope _)) scopes++;
                        if (drhds < MaxIommus)
                            units = units + (drhds == 0 ? " at " : ", ") + Hex.Format(u.RegisterBase, 1) + " (segment "
                                + ((uint)u.Segment).ToString() + ", " + (u.IncludePciAll ? "all PCI devices" : Count(scopes, "device scope")) + ")";
                        drhds++;
                        break;
                    case DmarStructureType.Rmrr:
                        DmarRmrr m = s.Rmrr();
                        if (rmrrs < MaxIommus)
                            regions = regions + (rmrrs == 0 ? " (" : ", ") + Hex.Format(m.Base, 1) + "-" + Hex.Format(m.Limit, 1);
                        rmrrs++;
                        break;
                    case DmarStructureType.Atsr:
                        atsrs++;
                        break;
                    default:
                        others++;
                        break;
                }
            }
            string line = "acpi: DMAR: " + Count(drhds, "DRHD") + units + ", " + Count(rmrrs, "RMRR") + (rmrrs > 0 ? regions + ")" : "")
                + ", " + Count(atsrs, "ATSR");
            if (others > 0) line = line + ", " + Count(others, "other structure");
            line = line + ", address width " + d.HostAddressWidth.ToString();
            if ((d.Flags & DmarFlags.InterruptRemapping) != 0) line = line + ", interrupt remapping";
            if ((d.Flags & DmarFlags.X2ApicOptOut) != 0) line = line + ", x2APIC opt-out";
            if ((d.Flags & DmarFlags.DmaControlPlatformOptIn) != 0) line = line + ", DMA control opt-in";
            c.Info(line);
        }

        /// <summary>
        /// "acpi: IVRS: 1 IOMMU at 0xfed80000 (device 00:02.0, segment 0, IVHD 10h), 7 device ranges, IOAPIC 0 as 00:14.0, ...".
        /// IVHD blocks with the same segment and DeviceID describe one IOMMU (48882 §5.2.2) and count once.
        /// </summary>
        private static void IvrsLine(Collector c, byte[] b)
        {
            AcpiError e = Ivrs.TryParse(b, out Ivrs v);
            if (!e.Ok)
            {
                c.Invalid(e);
                return;
            }
            uint[] keys = new uint[MaxIommus];
            string[] text = new string[MaxIommus];
            int iommus = 0, ranges = 0, ivmds = 0;
            string special = "";
            IvrsReader r = v.Blocks();
            while (r.Next(out IvrsBlock block))
            {
                if (block.IsIvmd)
                {
                    ivmds++;
                    continue;
                }
                if (!block.IsIvhd)
                    continue;
                IvrsIvhd h = block.Ivhd();
                uint key = ((uint)h.Segment << 16) | h.DeviceId;
                int known = iommus < MaxIommus ? iommus : MaxIommus;
                int k = 0;
                while (k < known && keys[k] != key) k++;
                string type = Hex2((uint)h.Type) + "h";
                if (k < known)
                {
                    text[k] = text[k] + "+" + type;
                    continue;   // same IOMMU: its device entries repeat the first block's
                }
                if (iommus < MaxIommus)
                {
                    keys[iommus] = key;
                    text[iommus] = Hex.Format(h.BaseAddress, 1) + " (device " + Bdf(h.DeviceId) + ", segment "
                        + ((uint)h.Segment).ToString() + ", IVHD " + type;
                }
                iommus++;
                IvhdDeviceReader d = block.Devices();
                while (d.Next(out IvhdDeviceRange dr))
                {
                    ranges++;
                    if (dr.Entry == IvhdEntryType.Special && (dr.Variety == SpecialVariety.IoApic || dr.Variety == SpecialVariety.Hpet))
                        special = special + ", " + (dr.Variety == SpecialVariety.IoApic ? "IOAPIC " : "HPET ")
                            + ((uint)dr.Handle).ToString() + " as " + Bdf(dr.First);
                }
            }
            string line = "acpi: IVRS: " + Count(iommus, "IOMMU");
            for (int i = 0; i < iommus && i < MaxIommus; i++)
                line = line + (i == 0 ? " at " : ", ") + text[i] + ")";
            line = line + ", " + Count(ranges, "device range") + special + ", " + Count(ivmds, "IVMD")
                + ", PA " + v.PhysicalAddressBits.ToString() + " bits";
            if (v.VirtualAddressBits != 0) line = line + ", VA " + v.VirtualAddressBits.ToString() + " bits";
            if (v.EfrSupported) line = line + ", EFR";
            c.Info(line);
        }
    }
}
