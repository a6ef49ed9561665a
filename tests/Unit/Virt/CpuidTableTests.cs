using Hv.Virt;
using Xunit;

namespace Hv.Tests.Unit.Virt
{
    /// <summary>
    /// The per-VM CPUID table answers exactly what CpuidPolicy.Apply answers, for every vCPU, subleaf
    /// and guest state, and leaves to the exit only the leaves whose answer depends on those.
    /// </summary>
    public class CpuidTableTests
    {
        private static readonly uint[] PerVcpuLeaves = { 0x1, 0x4, 0x7, 0xB, 0xD };

        public static TheoryData<string> Hosts() => new TheoryData<string> { "intel", "amd" };

        private static FakeHostCpuid Host(string name) => name == "amd" ? HostProfiles.Amd() : HostProfiles.Intel();

        private static CpuidRegs Policy(FakeHostCpuid host, CpuidProfile profile, uint leaf, uint subleaf, int index, int count, ulong cr4, ulong xcr0)
        {
            var ctx = new CpuidContext { Profile = profile, VcpuIndex = index, VcpuCount = count, GuestCr4 = cr4, GuestXcr0 = xcr0 };
            CpuidRegs h = default;
            if (CpuidPolicy.NeedsHost(leaf, profile))
                host.Cpuid(leaf, subleaf, out h.Eax, out h.Ebx, out h.Ecx, out h.Edx);
            return CpuidPolicy.Apply(leaf, subleaf, h, in ctx);
        }

        private static uint[] LeavesToTry()
        {
            var leaves = new System.Collections.Generic.List<uint>();
            for (uint l = 0; l <= 0x20; l++) leaves.Add(l);
            for (uint l = 0x4000_0000; l <= 0x4000_0003; l++) leaves.Add(l);
            for (uint l = 0x8000_0000; l <= 0x8000_000A; l++) leaves.Add(l);
            leaves.AddRange(new[] { 0x3FFF_FFFFu, 0x7FFF_FFFFu, 0xC000_0000u, 0xC000_0001u, 0xFFFF_FFFFu, 0x8FFF_FFFFu });
            return leaves.ToArray();
        }

        [Theory]
        [MemberData(nameof(Hosts))]
        public void FixedLeaves_AreThePolicysAnswer_ForEveryVcpuSubleafAndState(string hostName)
        {
            FakeHostCpuid host = Host(hostName);
            var profile = CpuidProfile.FromHost(host);
            const int count = 3;
            CpuidTable table = CpuidTable.Build(host, profile, count);
            foreach (uint leaf in LeavesToTry())
            {
                bool fixedLeaf = table.TryLookup(leaf, out CpuidRegs regs);
                Assert.Equal(System.Array.IndexOf(PerVcpuLeaves, leaf) < 0, fixedLeaf);
                if (!fixedLeaf)
                    continue;
                for (int index = 0; index < count; index++)
                    foreach (uint subleaf in new[] { 0u, 1u, 2u, 0xFFu })
                        foreach (ulong cr4 in new[] { 0ul, (ulong)Cr4Bits.OsXsave })
                            Assert.Equal(Policy(host, profile, leaf, subleaf, index, count, cr4, 7), regs);
            }
        }

        [Fact]
        public void LeavesAboveEachMaximum_ReadZero()
        {
            FakeHostCpuid host = HostProfiles.Intel();
            var profile = CpuidProfile.FromHost(host);
            CpuidTable table = CpuidTable.Build(host, profile, 1);
            foreach (uint leaf in new[] { profile.GuestMaxBasic + 1, 0x4000_0002u, profile.GuestMaxExtended + 1, 0xC000_0000u, 0xFFFF_FFFFu })
            {
                Assert.True(table.TryLookup(leaf, out CpuidRegs regs));
                Assert.Equal(default(CpuidRegs), regs);
            }
            Assert.True(table.TryLookup(0x4000_0000, out CpuidRegs hv));
            Assert.Equal(CpuidPolicy.SignatureEbx, hv.Ebx);
        }

        [Fact]
        public void HostWithoutExtendedLeaves_ExtendedRangeReadsZero()
        {
            FakeHostCpuid host = new FakeHostCpuid()
                .Leaf(0, 0x1, 0x756E_6547, 0x6C65_746E, 0x4965_6E69)   // "GenuineIntel", max basic 1
                .Leaf(1, 0x0005_0654, 0x0001_0800, 0, 0)
                .Leaf(0x8000_0000, 0x10, 0, 0, 0);                      // no extended range (below 0x80000000)
            var profile = CpuidProfile.FromHost(host);
            CpuidTable table = CpuidTable.Build(host, profile, 1);
            Assert.True(table.TryLookup(0x8000_0000, out CpuidRegs regs));
            Assert.Equal(Policy(host, profile, 0x8000_0000, 0, 0, 1, 0, 1), regs);
            Assert.True(table.TryLookup(2, out CpuidRegs above));
            Assert.Equal(default(CpuidRegs), above);
        }

        [Fact]
        public void CpuidExit_OfAFixedLeaf_DoesNotAskTheHost_APerVcpuLeafDoes()
        {
            FakeHostCpuid host = HostProfiles.Intel();
            var t = new TestVm(vcpus: 2, cpu: host);
            int before = host.Calls;
            t.States[1][GuestRegister.Rax] = 0x8000_0002;             // brand string: fixed
            var e = new VmExit { Kind = VmExitKind.Cpuid };
            t.Vm.VcpuAt(1).HandleExit(ref e);
            Assert.Equal(before, host.Calls);
            Assert.NotEqual(0ul, t.States[1][GuestRegister.Rax]);

            t.States[1][GuestRegister.Rax] = 1;                         // APIC ID: per vCPU
            e = new VmExit { Kind = VmExitKind.Cpuid };
            t.Vm.VcpuAt(1).HandleExit(ref e);
            Assert.Equal(before + 1, host.Calls);
            Assert.Equal(1ul, t.States[1][GuestRegister.Rbx] >> 24);
        }
    }
}
