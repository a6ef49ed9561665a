namespace Hv.Virt.Caps
{
    /// <summary>
    /// Who the CPU is and the few identity-level features the hypervisor cares about, decoded from
    /// CPUID leaves 0, 1, 0x80000000, 0x80000001 and the brand string (0x80000002-4).
    /// </summary>
    public sealed class CpuIdentity
    {
        public string VendorString { get; private set; }
        public CpuVendor Vendor { get; private set; }
        public uint MaxBasicLeaf { get; private set; }
        /// <summary>Highest extended leaf, or 0 when the CPU has no extended leaves.</summary>
        public uint MaxExtendedLeaf { get; private set; }
        /// <summary>Raw CPUID.01H:EAX.</summary>
        public uint Signature { get; private set; }
        /// <summary>DisplayFamily / DisplayModel / stepping, see <see cref="DecodeSignature"/>.</summary>
        public uint Family { get; private set; }
        public uint Model { get; private set; }
        public uint Stepping { get; private set; }
        /// <summary>Brand string with NUL padding and surrounding spaces removed; "" when absent.</summary>
        public string Brand { get; private set; }
        public Leaf1Ecx Leaf1Ecx { get; private set; }
        public Leaf1Edx Leaf1Edx { get; private set; }
        public ExtLeaf1Ecx ExtLeaf1Ecx { get; private set; }
        public ExtLeaf1Edx ExtLeaf1Edx { get; private set; }

        public bool HasVmx => (Leaf1Ecx & Leaf1Ecx.Vmx) != 0;
        public bool HasSmx => (Leaf1Ecx & Leaf1Ecx.Smx) != 0;
        public bool HasSvm => (ExtLeaf1Ecx & ExtLeaf1Ecx.Svm) != 0;
        public bool HasX2Apic => (Leaf1Ecx & Leaf1Ecx.X2Apic) != 0;
        public bool UnderHypervisor => (Leaf1Ecx & Leaf1Ecx.Hypervisor) != 0;
        public bool HasMsr => (Leaf1Edx & Leaf1Edx.Msr) != 0;
        public bool HasNx => (ExtLeaf1Edx & ExtLeaf1Edx.Nx) != 0;
        public bool Has1GbPages => (ExtLeaf1Edx & ExtLeaf1Edx.Page1Gb) != 0;
        public bool HasLongMode => (ExtLeaf1Edx & ExtLeaf1Edx.LongMode) != 0;

        /// <summary>Vendors whose CPUs implement Intel VMX.</summary>
        public bool IsIntelLike => Vendor == CpuVendor.Intel || Vendor == CpuVendor.Centaur || Vendor == CpuVendor.Zhaoxin;
        /// <summary>Vendors whose CPUs implement AMD SVM.</summary>
        public bool IsAmdLike => Vendor == CpuVendor.Amd || Vendor == CpuVendor.Hygon;

        private CpuIdentity() { }

        /// <summary>Reads the identity; only asks for leaves the CPU reports as present.</summary>
        public static CpuIdentity Read(ICpuInfoSource cpu)
        {
            var id = new CpuIdentity();
            cpu.Cpuid((uint)CpuidLeaf.VendorAndMaxBasic, 0, out uint maxBasic, out uint ebx, out uint ecx, out uint edx);
            id.MaxBasicLeaf = maxBasic;
            char[] vendor = new char[12];
            PutAscii(vendor, 0, ebx);
            PutAscii(vendor, 4, edx);
            PutAscii(vendor, 8, ecx);
            id.VendorString = new string(vendor, 0, 12);
            id.Vendor = ParseVendor(id.VendorString);

            if (maxBasic >= (uint)CpuidLeaf.VersionAndFeatures)
            {
                cpu.Cpuid((uint)CpuidLeaf.VersionAndFeatures, 0, out uint eax1, out _, out uint ecx1, out uint edx1);
                id.Signature = eax1;
                id.Leaf1Ecx = (Leaf1Ecx)ecx1;
                id.Leaf1Edx = (Leaf1Edx)edx1;
                DecodeSignature(eax1, id.Vendor, out uint family, out uint model, out uint stepping);
                id.Family = family;
                id.Model = model;
                id.Stepping = stepping;
            }

            // Leaf 0x80000000 exists on every x86-64 CPU; its EAX is only meaningful when bit 31 is
            // set (older CPUs answer out-of-range leaves with basic-leaf data).
            cpu.Cpuid((uint)CpuidLeaf.MaxExtended, 0, out uint maxExt, out _, out _, out _);
            id.MaxExtendedLeaf = (maxExt & 0x8000_0000u) != 0 ? maxExt : 0;

            if (id.MaxExtendedLeaf >= (uint)CpuidLeaf.ExtendedFeatures)
            {
                cpu.Cpuid((uint)CpuidLeaf.ExtendedFeatures, 0, out _, out _, out uint ecxE, out uint edxE);
                id.ExtLeaf1Ecx = (ExtLeaf1Ecx)ecxE;
                id.ExtLeaf1Edx = (ExtLeaf1Edx)edxE;
            }

            id.Brand = id.MaxExtendedLeaf >= (uint)CpuidLeaf.BrandStringLast ? ReadBrand(cpu) : "";
            return id;
        }

        /// <summary>
        /// Splits CPUID.01H:EAX. Intel (SDM Vol. 2A, CPUID, "Version Information"): DisplayFamily =
        /// Family + ExtendedFamily only when Family is 0FH; DisplayModel = ExtendedModel:Model when
        /// Family is 06H or 0FH. AMD/Hygon (APM Vol. 3 App. E, Fn0000_0001_EAX): both extended fields
        /// apply only when BaseFamily is 0FH.
        /// </summary>
        public static void DecodeSignature(uint eax, CpuVendor vendor, out uint family, out uint model, out uint stepping)
        {
            stepping = eax & 0xF;
            uint baseModel = (eax >> 4) & 0xF;
            uint baseFamily = (eax >> 8) & 0xF;
            uint extModel = (eax >> 16) & 0xF;
            uint extFamily = (eax >> 20) & 0xFF;

            family = baseFamily == 0xF ? baseFamily + extFamily : baseFamily;
            bool useExtModel = baseFamily == 0xF
                || (baseFamily == 0x6 && vendor != CpuVendor.Amd && vendor != CpuVendor.Hygon);
            model = useExtModel ? (extModel << 4) + baseModel : baseModel;
        }

        /// <summary>Maps the 12-character CPUID.0 vendor string to a vendor (plain == keeps to the corelib subset).</summary>
        public static CpuVendor ParseVendor(string vendor)
        {
            if (vendor == "GenuineIntel")
                return CpuVendor.Intel;
            if (vendor == "AuthenticAMD")
                return CpuVendor.Amd;
            if (vendor == "HygonGenuine")
                return CpuVendor.Hygon;
            if (vendor == "CentaurHauls")
                return CpuVendor.Centaur;
            if (vendor == "  Shanghai  ")
                return CpuVendor.Zhaoxin;
            return CpuVendor.Unknown;
        }

        private static string ReadBrand(ICpuInfoSource cpu)
        {
            char[] text = new char[48];
            for (uint i = 0; i < 3; i++)
            {
                cpu.Cpuid((uint)CpuidLeaf.BrandString + i, 0, out uint a, out uint b, out uint c, out uint d);
                int at = (int)i * 16;
                PutAscii(text, at, a);
                PutAscii(text, at + 4, b);
                PutAscii(text, at + 8, c);
                PutAscii(text, at + 12, d);
            }
            int end = 0;
            while (end < text.Length && text[end] != '\0')
                end++;
            int start = 0;
            while (start < end && text[start] == ' ')
                start++;
            while (end > start && text[end - 1] == ' ')
                end--;
            return new string(text, start, end - start);
        }

        /// <summary>
        /// Stores a register's four bytes (little-endian) as characters. Non-printable bytes become
        /// '?' and '"' becomes '\'' so the report's brand="..." stays well-formed.
        /// </summary>
        private static void PutAscii(char[] dest, int at, uint reg)
        {
            for (int i = 0; i < 4; i++)
            {
                uint b = (reg >> (8 * i)) & 0xFF;
                if (b == 0)
                    dest[at + i] = '\0';
                else if (b == '"')
                    dest[at + i] = '\'';
                else
                    dest[at + i] = b >= 0x20 && b < 0x7F ? (char)b : '?';
            }
        }
    }
}
