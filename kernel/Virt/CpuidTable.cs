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
        private struct BasicLeaf
        {
            public CpuidRegs Regs;
            public bool Fixed;                      // false: computed at the exit (see CpuidPolicy.IsPerVm)
        }

        private readonly BasicLeaf[] _basic;        // leaf 0 .. GuestMaxBasic
        private readonly CpuidRegs[] _hypervisor;   // 0x40000000 .. HypervisorMaxLeaf
        private readonly CpuidRegs[] _extended;     // 0x80000000 .. GuestMaxExtended

        private CpuidTable(CpuidProfile p)
        {
            _basic = new BasicLeaf[p.GuestMaxBasic + 1];
            _hypervisor = new CpuidRegs[CpuidPolicy.HypervisorMaxLeaf - CpuidPolicy.HypervisorLeaf + 1];
            // A host without extended leaves (max below 0x80000000): they all read zero.
            uint ext = p.GuestMaxExtended >= CpuidPolicy.ExtendedBase ? p.GuestMaxExtended - CpuidPolicy.ExtendedBase + 1 : 0;
            _extended = new CpuidRegs[ext];
        }

        /// <summary>Asks the host once for every per-VM leaf and stores the policy's answer (configuration time).</summary>
        public static CpuidTable Build(ICpuInfoSource host, CpuidProfile profile, int vcpuCount)
        {
            var t = new CpuidTable(profile);
            var ctx = new CpuidContext { Profile = profile, VcpuIndex = 0, VcpuCount = vcpuCount };
            for (uint i = 0; i < (uint)t._basic.Length; i++)
            {
                t._basic[i].Fixed = CpuidPolicy.IsPerVm(i);
                if (t._basic[i].Fixed)
                    t._basic[i].Regs = Compute(host, i, in ctx);
            }
            for (uint i = 0; i < (uint)t._hypervisor.Length; i++)
                t._hypervisor[i] = Compute(host, CpuidPolicy.HypervisorLeaf + i, in ctx);
            for (uint i = 0; i < (uint)t._extended.Length; i++)
                t._extended[i] = Compute(host, CpuidPolicy.ExtendedBase + i, in ctx);
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
            if (leaf < CpuidPolicy.HypervisorLeaf)
            {
                if (leaf >= (uint)_basic.Length) { regs = default; return true; }
                ref BasicLeaf e = ref _basic[leaf];
                regs = e.Regs;
                return e.Fixed;
            }
            CpuidRegs[] range = leaf < CpuidPolicy.ExtendedBase ? _hypervisor : _extended;
            uint index = leaf - (leaf < CpuidPolicy.ExtendedBase ? CpuidPolicy.HypervisorLeaf : CpuidPolicy.ExtendedBase);
            regs = index < (uint)range.Length ? range[index] : default;
            return true;
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
