// What CPUID returns to a guest: a pure function of the host's answer for the same leaf/subleaf and
// of the VM (profile, vCPU index and count, the guest's CR4 and XCR0). No allocation; host tests
// check every rule. Leaves are handled by an allow-list too: a leaf not named below reads as zeros.
//
//   basic leaves      max 0x16 (min with the host): 0 1 2 4 7 0xB 0xD 0x15 0x16; 3,5,6,8-0xA,0xC,0xE-0x14 read 0
//   hypervisor leaves 0x40000000 (max 0x40000001, signature "CsHypervisor"), 0x40000001 (zeros: no interface yet)
//   extended leaves   max 0x80000008 (min with the host): 0x80000000-0x80000008
//
// Leaves above a range's maximum read as zeros. That is AMD's documented behaviour (APM Vol. 3
// App. E.2); Intel CPUs instead return the highest basic leaf's data (SDM Vol. 2A CPUID, "If a value
// entered for CPUID.EAX is higher than the maximum input value..."). Zeros on both is a deliberate
// choice: it never leaks host data past the maximum, and software does not rely on the Intel quirk.
namespace Hv.Virt
{
    public struct CpuidRegs
    {
        public uint Eax, Ebx, Ecx, Edx;

        public CpuidRegs(uint eax, uint ebx, uint ecx, uint edx)
        {
            Eax = eax;
            Ebx = ebx;
            Ecx = ecx;
            Edx = edx;
        }
    }

    /// <summary>The VM-specific inputs of the policy.</summary>
    public struct CpuidContext
    {
        public CpuidProfile Profile;
        public int VcpuIndex;
        public int VcpuCount;
        public ulong GuestCr4;
        public ulong GuestXcr0;
        /// <summary>The VM has the virtual LAPIC (issue 5): x2APIC and the TSC-deadline timer are ours to offer, whatever the host has.</summary>
        public bool VirtualApic;
    }

    public static partial class CpuidPolicy
    {
        public const uint MaxBasicLeaf = 0x16;
        public const uint HypervisorLeaf = 0x4000_0000;
        public const uint HypervisorMaxLeaf = 0x4000_0001;
        public const uint ExtendedBase = 0x8000_0000;
        public const uint MaxExtendedLeaf = 0x8000_0008;

        /// <summary>
        /// "CsHypervisor" in EBX, ECX, EDX of leaf 0x40000000 (the layout KVM, Xen and Hyper-V use), so
        /// a guest can tell which hypervisor it runs on: "CsHy" "perv" "isor", little-endian ASCII.
        /// </summary>
        public const uint SignatureEbx = 0x7948_7343, SignatureEcx = 0x7672_6570, SignatureEdx = 0x726F_7369;

        /// <summary>True when Apply uses the host's registers for this leaf (the handler skips the host CPUID otherwise).</summary>
        public static bool NeedsHost(uint leaf, CpuidProfile p) =>
            leaf < HypervisorLeaf ? leaf <= p.GuestMaxBasic : leaf >= ExtendedBase && leaf <= p.GuestMaxExtended;

        /// <summary>The guest's EAX, EBX, ECX, EDX for CPUID(<paramref name="leaf"/>, <paramref name="subleaf"/>), given the host's.</summary>
        public static CpuidRegs Apply(uint leaf, uint subleaf, CpuidRegs host, in CpuidContext ctx)
        {
            if (leaf < HypervisorLeaf)
                return leaf <= ctx.Profile.GuestMaxBasic ? Basic(leaf, subleaf, host, in ctx) : default;
            if (leaf < ExtendedBase)
                return leaf == HypervisorLeaf ? new CpuidRegs(HypervisorMaxLeaf, SignatureEbx, SignatureEcx, SignatureEdx) : default;
            return leaf <= ctx.Profile.GuestMaxExtended ? Extended(leaf, host, in ctx) : default;
        }

        /// <summary>
        /// True when Apply's answer for basic <paramref name="leaf"/> is the same for every vCPU of a VM,
        /// every subleaf and every guest state (CpuidTable precomputes those). False for the leaves
        /// below that read the vCPU index, CR4, XCR0 or the subleaf: 1, 4, 7, 0xB, 0xD. Hypervisor
        /// and extended leaves depend on the VM only (profile, vCPU count).
        /// </summary>
        public static bool IsPerVm(uint leaf) => leaf != 0x1 && leaf != 0x4 && leaf != 0x7 && leaf != 0xB && leaf != 0xD;

        private static CpuidRegs Basic(uint leaf, uint subleaf, CpuidRegs host, in CpuidContext ctx)
        {
            switch (leaf)
            {
                case 0x0:
                    host.Eax = ctx.Profile.GuestMaxBasic;   // vendor string stays the host's
                    return host;
                case 0x1: return Leaf1(host, in ctx);
                case 0x2: return host;                      // cache/TLB descriptors
                case 0x4: return Leaf4(host, in ctx);
                case 0x7: return Leaf7(subleaf, host);
                case 0xB: return Leaf0B(subleaf, in ctx);
                case 0xD: return Leaf0D(subleaf, host, in ctx);
                case 0x15: return Leaf15(host, ctx.Profile.TscHz);
                case 0x16: return Leaf16(host, ctx.Profile.TscHz);
                default: return default;
            }
        }

        private static CpuidRegs Leaf1(CpuidRegs host, in CpuidContext ctx)
        {
            // EBX: [7:0] brand index, [15:8] CLFLUSH size (host); [23:16] addressable logical processor
            // IDs in the package = vCPU count; [31:24] initial APIC ID = vCPU index (SDM Table 3-8).
            host.Ebx = (host.Ebx & 0xFFFF) | ((uint)ctx.VcpuCount << 16) | ((uint)ctx.VcpuIndex << 24);
            uint ecx = (host.Ecx & (uint)Cpuid01Ecx.Allowed) | (uint)Cpuid01Ecx.Hypervisor;
            if ((ecx & (uint)Cpuid01Ecx.Xsave) != 0 && (ctx.GuestCr4 & (ulong)Cr4Bits.OsXsave) != 0)
                ecx |= (uint)Cpuid01Ecx.OsXsave;
            if (ctx.VirtualApic)
                ecx |= (uint)(Cpuid01Ecx.X2Apic | Cpuid01Ecx.TscDeadline);
            host.Ecx = ecx;
            host.Edx = (host.Edx & (uint)Cpuid01Edx.Allowed) | (ctx.VcpuCount > 1 ? (uint)Cpuid01Edx.Htt : 0);
            return host;
        }

        /// <summary>
        /// TSC/crystal ratio (SDM Vol. 2A CPUID leaf 15H): TSC Hz = ECX * EBX / EAX. With the measured
        /// host TSC rate: crystal = the TSC itself, ratio 1/1, so a guest knows its TSC's rate exactly
        /// (Linux then skips its PIT/PM-timer calibration, which exits make slow and noisy). Without a
        /// measurement, the host's leaf.
        /// </summary>
        private static CpuidRegs Leaf15(CpuidRegs host, ulong hz)
        {
            return hz == 0 || hz > uint.MaxValue ? host : new CpuidRegs(1, 1, (uint)hz, 0);
        }

        /// <summary>Processor base/maximum frequency in MHz (leaf 16H, EAX/EBX) as the TSC rate; bus 100 MHz.</summary>
        private static CpuidRegs Leaf16(CpuidRegs host, ulong hz)
        {
            ulong mhz = hz / 1_000_000;
            return mhz == 0 || mhz > 0xFFFF ? host : new CpuidRegs((uint)mhz, (uint)mhz, 100, 0);
        }

        private static CpuidRegs Leaf7(uint subleaf, CpuidRegs host)
        {
            if (subleaf != 0)
                return default;
            return new CpuidRegs(0,                     // EAX: highest subleaf = 0 (subleaf 1+ read 0)
                host.Ebx & (uint)Cpuid07Ebx.Allowed,
                host.Ecx & (uint)Cpuid07Ecx.Allowed,
                host.Edx & (uint)Cpuid07Edx.Allowed);
        }

        private static CpuidRegs Extended(uint leaf, CpuidRegs host, in CpuidContext ctx)
        {
            switch (leaf)
            {
                case ExtendedBase:
                    host.Eax = ctx.Profile.GuestMaxExtended;
                    return host;
                case 0x8000_0001:
                    host.Ecx &= (uint)Cpuid81Ecx.Allowed;
                    if (ctx.Profile.AmdLike && ctx.VcpuCount > 1)
                        host.Ecx |= (uint)Cpuid81Ecx.CmpLegacy;
                    host.Edx &= (uint)Cpuid81Edx.Allowed;
                    return host;
                case 0x8000_0002:
                case 0x8000_0003:
                case 0x8000_0004:                           // brand string
                case 0x8000_0005:
                case 0x8000_0006:                           // cache and TLB information
                    return host;
                case 0x8000_0007:
                    return new CpuidRegs(0, 0, 0, host.Edx & (uint)Cpuid87Edx.Allowed);
                case 0x8000_0008:
                    return Leaf80000008(host, in ctx);
                default:
                    return default;
            }
        }
    }
}
