using System.Text;
using Hv.Virt;
using Xunit;

namespace Hv.Tests.Unit.Virt
{
    /// <summary>The guest's CPUID: hypervisor identity, hidden features, topology, limits.</summary>
    public class CpuidPolicyTests
    {
        internal static CpuidRegs Guest(FakeHostCpuid host, uint leaf, uint subleaf = 0, int index = 0, int count = 1, ulong cr4 = 0, ulong xcr0 = 1)
        {
            var ctx = new CpuidContext { Profile = CpuidProfile.FromHost(host), VcpuIndex = index, VcpuCount = count, GuestCr4 = cr4, GuestXcr0 = xcr0 };
            CpuidRegs h = default;
            if (CpuidPolicy.NeedsHost(leaf, ctx.Profile))
                host.Cpuid(leaf, subleaf, out h.Eax, out h.Ebx, out h.Ecx, out h.Edx);
            return CpuidPolicy.Apply(leaf, subleaf, h, in ctx);
        }

        internal static bool Bit(uint value, int bit) => (value & (1u << bit)) != 0;

        [Fact]
        public void Leaf40000000_HasSignatureAndMaxLeaf()
        {
            CpuidRegs r = Guest(HostProfiles.Intel(), 0x4000_0000);
            Assert.Equal(0x4000_0001u, r.Eax);
            var sig = new byte[12];
            for (int i = 0; i < 4; i++)
            {
                sig[i] = (byte)(r.Ebx >> (8 * i));
                sig[4 + i] = (byte)(r.Ecx >> (8 * i));
                sig[8 + i] = (byte)(r.Edx >> (8 * i));
            }
            Assert.Equal("CsHypervisor", Encoding.ASCII.GetString(sig));
        }

        [Theory]
        [InlineData(0x4000_0001u)]
        [InlineData(0x4000_0002u)]
        [InlineData(0x4000_0100u)]
        [InlineData(0x4FFF_FFFFu)]
        [InlineData(0x7FFF_FFFFu)]
        public void HypervisorRange_BeyondMax_IsZero(uint leaf)
        {
            Assert.Equal(default(CpuidRegs), Guest(HostProfiles.Intel(), leaf));
        }

        [Fact]
        public void Leaf1_SetsHypervisorBit_HidesVmxAndUnvirtualizedFeatures()
        {
            CpuidRegs r = Guest(HostProfiles.Intel(), 1);
            Assert.True(Bit(r.Ecx, 31));                     // hypervisor
            Assert.False(Bit(r.Ecx, 5));                     // VMX
            Assert.False(Bit(r.Ecx, 3));                     // MONITOR
            Assert.False(Bit(r.Ecx, 17));                    // PCID
            Assert.False(Bit(r.Ecx, 21));                    // x2APIC
            Assert.False(Bit(r.Ecx, 24));                    // TSC deadline
            Assert.False(Bit(r.Ecx, 27));                    // OSXSAVE: guest CR4.OSXSAVE is 0
            Assert.False(Bit(r.Ecx, 26));                    // XSAVE hidden: XCR0 is not switched yet
            Assert.False(Bit(r.Ecx, 28) || Bit(r.Ecx, 12) || Bit(r.Ecx, 29));   // AVX, FMA, F16C hidden with it
            Assert.True(Bit(r.Ecx, 0));                      // SSE3 kept
            Assert.False(Bit(r.Edx, 7) || Bit(r.Edx, 14));  // MCE, MCA
            Assert.False(Bit(r.Edx, 21) || Bit(r.Edx, 22) || Bit(r.Edx, 29) || Bit(r.Edx, 31));
            Assert.True(Bit(r.Edx, 9));                      // APIC
            Assert.True(Bit(r.Edx, 26));                     // SSE2
            Assert.Equal(0x0005_0654u, r.Eax);               // family/model/stepping: the host's
        }

        [Fact]
        public void Leaf1_OsXsave_StaysClearWithXsaveHidden()
        {
            CpuidRegs r = Guest(HostProfiles.Intel(), 1, cr4: (ulong)Cr4Bits.OsXsave);
            Assert.False(Bit(r.Ecx, 27));
        }

        [Fact]
        public void Leaf7_HidesUnvirtualizedFeatures()
        {
            CpuidRegs r = Guest(HostProfiles.Intel(), 7);
            Assert.Equal(0u, r.Eax);                         // only subleaf 0
            foreach (int hidden in new[] { 1, 2, 4, 10, 11, 14, 25, 5, 16, 31 })   // TSC_ADJUST SGX HLE INVPCID RTM MPX PT; AVX2 AVX512F/VL (no XSAVE)
                Assert.False(Bit(r.Ebx, hidden), "EBX bit " + hidden);
            foreach (int kept in new[] { 0, 3, 7, 8, 9, 20 })
                Assert.True(Bit(r.Ebx, kept), "EBX bit " + kept);
            Assert.False(Bit(r.Ecx, 3) || Bit(r.Ecx, 4) || Bit(r.Ecx, 5) || Bit(r.Ecx, 16));   // PKU OSPKE WAITPKG LA57
            Assert.True(Bit(r.Ecx, 22) && Bit(r.Ecx, 2));    // RDPID UMIP
            Assert.False(Bit(r.Edx, 26) || Bit(r.Edx, 27) || Bit(r.Edx, 29) || Bit(r.Edx, 31));  // spec ctrl family
            Assert.True(Bit(r.Edx, 10) && Bit(r.Edx, 4));    // MD_CLEAR FSRM
            Assert.Equal(default(CpuidRegs), Guest(HostProfiles.Intel(), 7, 1));
        }

        [Theory]
        [InlineData(0x3u)]
        [InlineData(0x5u)]
        [InlineData(0x6u)]
        [InlineData(0xAu)]
        [InlineData(0x14u)]
        [InlineData(0x17u)]                                  // above the guest's max (0x16) though the host has it
        [InlineData(0x1Fu)]
        [InlineData(0x2000_0000u)]
        [InlineData(0x8000_0009u)]
        [InlineData(0x8000_000Au)]
        [InlineData(0xC000_0000u)]
        public void HiddenOrBeyondMax_LeavesAreZero(uint leaf)
        {
            Assert.Equal(default(CpuidRegs), Guest(HostProfiles.Intel(), leaf));
            Assert.Equal(default(CpuidRegs), Guest(HostProfiles.Amd(), leaf));
        }

        [Fact]
        public void MaxLeaves_AreClamped_VendorKept()
        {
            CpuidRegs intel = Guest(HostProfiles.Intel(), 0);
            Assert.Equal(CpuidPolicy.MaxBasicLeaf, intel.Eax);
            Assert.Equal(0x756E_6547u, intel.Ebx);
            Assert.Equal(0x10u, Guest(HostProfiles.Amd(), 0).Eax);      // host below the cap: the host's
            Assert.Equal(0x8000_0008u, Guest(HostProfiles.Amd(), 0x8000_0000).Eax);
            Assert.Equal(0x6874_7541u, Guest(HostProfiles.Amd(), 0x8000_0000).Ebx);
        }

        [Fact]
        public void Extended_HidesSvm_KeepsLongModeAndNx()
        {
            CpuidRegs amd = Guest(HostProfiles.Amd(), 0x8000_0001, count: 1);
            Assert.False(Bit(amd.Ecx, 2));                   // SVM
            Assert.False(Bit(amd.Ecx, 1));                   // CmpLegacy: one vCPU
            Assert.False(Bit(amd.Ecx, 22) || Bit(amd.Ecx, 23) || Bit(amd.Ecx, 9) || Bit(amd.Ecx, 10));
            Assert.True(Bit(amd.Ecx, 0) && Bit(amd.Ecx, 5)); // LAHF, ABM
            Assert.True(Bit(amd.Edx, 29) && Bit(amd.Edx, 20) && Bit(amd.Edx, 26) && Bit(amd.Edx, 11));
            Assert.False(Bit(amd.Edx, 25));                  // FFXSR
            Assert.True(Bit(Guest(HostProfiles.Amd(), 0x8000_0001, count: 2).Ecx, 1));
            Assert.False(Bit(Guest(HostProfiles.Intel(), 0x8000_0001, count: 2).Ecx, 1));
        }

        [Fact]
        public void Apply_IsPure()
        {
            FakeHostCpuid host = HostProfiles.Intel();
            Assert.Equal(Guest(host, 1, index: 1, count: 2), Guest(host, 1, index: 1, count: 2));
            Assert.Equal(Guest(host, 7), Guest(host, 7));
        }
    }
}

namespace Hv.Tests.Unit.Virt
{
    public class CpuidTscLeafTests
    {
        [Fact]
        public void Leaves15And16_ReportTheMeasuredTscRate_OrTheHostsWithoutOne()
        {
            Hv.Virt.CpuidProfile profile = new TestVm().Vm.Cpuid;
            var ctx = new Hv.Virt.CpuidContext { Profile = profile, VcpuCount = 1 };
            var host = new Hv.Virt.CpuidRegs(2, 100, 24_000_000, 0);
            profile.TscHz = 0;
            Assert.Equal(host, Hv.Virt.CpuidPolicy.Apply(0x15, 0, host, in ctx));
            profile.TscHz = 2_596_803_000;
            Hv.Virt.CpuidRegs r = Hv.Virt.CpuidPolicy.Apply(0x15, 0, host, in ctx);
            Assert.Equal(2_596_803_000ul, (ulong)r.Ecx * r.Ebx / r.Eax);   // SDM: TSC = crystal * EBX / EAX
            Hv.Virt.CpuidRegs f = Hv.Virt.CpuidPolicy.Apply(0x16, 0, host, in ctx);
            Assert.Equal(2596u, f.Eax);
        }
    }
}
