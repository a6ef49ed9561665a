// The guest's CPUID answers precomputed once per VM, so that a CPUID exit is a table lookup: no
// host CPUID (which would itself exit when this hypervisor runs nested) and no policy arithmetic.
// Every answer is CpuidPolicy.Apply on the host's answer, computed when the VM is created: the
// table never holds anything the policy would not return. Only the leaves whose answer is the
// same for every vCPU, every subleaf and every guest state are stored (CpuidPolicy.IsPerVm); the
// others (1, 4, 7, 0xB, 0xD: APIC ID, CR4.OSXSAVE, XCR0, subleaves) are computed at the exit as
// before. The table is read-only after construction, so vCPU threads share it without locks.
// Host answers for the fixed leaves are read on the creating CPU: they are the package-wide ones
// (vendor, limits, feature flags, brand, cache geometry), identical on every CPU of the host.
using System.Runtime.CompilerServices;
using Hv.Virt.Caps;

namespace Hv.Virt
{
    public sealed class CpuidTable
    {
        private struct Entry
        {
            public CpuidRegs Regs;
            public bool Fixed;                      // false: computed at the exit (see CpuidPolicy.IsPerVm)
        }

        // By leaf[31:30]: 0 basic (leaf 0 .. GuestMaxBasic), 1 hypervisor (0x40000000 ..
        // HypervisorMaxLeaf), 2 extended (0x80000000 .. GuestMaxExtended), 3 none (0xC0000000 and up,
        // above the extended maximum). Index = leaf[29:0]; past a range's end the answer is zeros
        // (CpuidPolicy: leaves above a range's maximum read zero).
        private readonly Entry[][] _ranges = new Entry[4][];

        private CpuidTable(CpuidProfile p)
        {
            _ranges[0] = new Entry[p.GuestMaxBasic + 1];
            _ranges[1] = new Entry[CpuidPolicy.HypervisorMaxLeaf - CpuidPolicy.HypervisorLeaf + 1];
            // A host without extended leaves (max below 0x80000000): they all read zero.
            uint ext = p.GuestMaxExtended >= CpuidPolicy.ExtendedBase ? p.GuestMaxExtended - CpuidPolicy.ExtendedBase + 1 : 0;
            _ranges[2] = new Entry[ext];
            _ranges[3] = new Entry[0];
        }

        /// <summary>Asks the host once for every per-VM leaf and stores the policy's answer (configuration time).</summary>
        public static CpuidTable Build(ICpuInfoSource host, CpuidProfile profile, int vcpuCount)
        {
            var t = new CpuidTable(profile);
            var ctx = new CpuidContext { Profile = profile, VcpuIndex = 0, VcpuCount = vcpuCount };
            for (uint range = 0; range < 3; range++)
            {
                Entry[] entries = t._ranges[range];
                for (uint i = 0; i < (uint)entries.Length; i++)
                {
                    uint leaf = (range << 30) | i;
                    entries[i].Fixed = range != 0 || CpuidPolicy.IsPerVm(leaf);
                    if (entries[i].Fixed)
                        entries[i].Regs = Compute(host, leaf, in ctx);
                }
            }
            return t;
        }

        /// <summary>
        /// The guest's answer for <paramref name="leaf"/> when it is the same for every vCPU, subleaf
        /// and guest state (including the zeros of unsupported leaves and of leaves above a range's
        /// maximum); false when the exit must compute it (CpuidPolicy.Apply with the vCPU's context).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool TryLookup(uint leaf, out CpuidRegs regs)
        {
            Entry[] range = _ranges[leaf >> 30];
            uint index = leaf & 0x3FFF_FFFF;
            if (index >= (uint)range.Length)
            {
                regs = default;
                return true;
            }
            regs = range[index].Regs;
            return range[index].Fixed;
        }

        private static CpuidRegs Compute(ICpuInfoSource host, uint leaf, in CpuidContext ctx)
        {
            CpuidRegs h = default;
            if (CpuidPolicy.NeedsHost(leaf, ctx.Profile))
                host.Cpuid(leaf, 0, out h.Eax, out h.Ebx, out h.Ecx, out h.Edx);
            return CpuidPolicy.Apply(leaf, 0, h, in ctx);
        }
    }
}
