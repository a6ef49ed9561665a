using Hv.Virt;
using Xunit;
using static Hv.Tests.Unit.Virt.CpuidPolicyTests;

namespace Hv.Tests.Unit.Virt
{
    /// <summary>CPUID topology (one package, N cores) and XSAVE enumeration; XSETBV's rules.</summary>
    public class CpuidTopologyXsaveTests
    {
        [Fact]
        public void Leaf1_Topology_CountAndApicId()
        {
            CpuidRegs one = Guest(HostProfiles.Intel(), 1, index: 0, count: 1);
            Assert.Equal(1u, (one.Ebx >> 16) & 0xFF);
            Assert.Equal(0u, one.Ebx >> 24);
            Assert.False(Bit(one.Edx, 28));                  // HTT off for one vCPU
            Assert.Equal(0x0800u, one.Ebx & 0xFFFF);         // CLFLUSH line size: the host's

            CpuidRegs third = Guest(HostProfiles.Intel(), 1, index: 2, count: 4);
            Assert.Equal(4u, (third.Ebx >> 16) & 0xFF);
            Assert.Equal(2u, third.Ebx >> 24);
            Assert.True(Bit(third.Edx, 28));
        }

        [Fact]
        public void Leaf4_CoresAndSharing_MatchTheVm()
        {
            CpuidRegs l1 = Guest(HostProfiles.Intel(), 4, 0, count: 3);
            Assert.Equal(2u, l1.Eax >> 26);                  // cores - 1
            Assert.Equal(0u, (l1.Eax >> 14) & 0xFFF);        // L1 private to a core
            Assert.Equal(0x121u, l1.Eax & 0x3FF);            // type/level: the host's
            CpuidRegs l3 = Guest(HostProfiles.Intel(), 4, 3, count: 3);
            Assert.Equal(2u, (l3.Eax >> 14) & 0xFFF);        // L3 shared by all 3
            Assert.Equal(0xB7FFu, l3.Ecx);                   // geometry: the host's
            Assert.Equal(default(CpuidRegs), Guest(HostProfiles.Intel(), 4, 4, count: 3));
        }

        [Theory]
        [InlineData(1, 0u)]
        [InlineData(2, 1u)]
        [InlineData(3, 2u)]
        [InlineData(4, 2u)]
        [InlineData(5, 3u)]
        [InlineData(64, 6u)]
        public void Leaf0B_Levels(int count, uint shift)
        {
            CpuidRegs smt = Guest(HostProfiles.Intel(), 0xB, 0, index: count - 1, count: count);
            Assert.Equal(new CpuidRegs(0, 1, 0x100, (uint)count - 1), smt);
            CpuidRegs core = Guest(HostProfiles.Intel(), 0xB, 1, index: count - 1, count: count);
            Assert.Equal(new CpuidRegs(shift, (uint)count, 0x201, (uint)count - 1), core);
            CpuidRegs end = Guest(HostProfiles.Intel(), 0xB, 2, index: count - 1, count: count);
            Assert.Equal(new CpuidRegs(0, 0, 2, (uint)count - 1), end);
        }

        [Fact]
        public void Leaf80000007_OnlyInvariantTsc_And80000008_Topology()
        {
            Assert.Equal(new CpuidRegs(0, 0, 0, 0x100), Guest(HostProfiles.Amd(), 0x8000_0007));
            CpuidRegs amd = Guest(HostProfiles.Amd(), 0x8000_0008, count: 6);
            Assert.Equal(0x3030u, amd.Eax);
            Assert.Equal(5u, amd.Ecx & 0xFF);                // NC = cores - 1
            Assert.Equal(3u, (amd.Ecx >> 12) & 0xF);         // ApicIdCoreIdSize
            Assert.Equal(0u, amd.Edx);
            Assert.Equal(0x205u, amd.Ebx);                   // CLZERO, XSAVE error pointers, WBNOINVD only
            CpuidRegs intel = Guest(HostProfiles.Intel(), 0x8000_0008, count: 6);
            Assert.Equal(new CpuidRegs(0x302E, 0x200, 0, 0), intel);
        }

        [Fact]
        public void Xsave_OnlyAllowedComponents_SizesFromGuestXcr0()
        {
            FakeHostCpuid host = HostProfiles.Intel();
            CpuidRegs x87Sse = Guest(host, 0xD, 0, xcr0: 0x3);
            Assert.Equal(0xE7u, x87Sse.Eax);                 // no MPX (3, 4), no PKRU (9)
            Assert.Equal(0u, x87Sse.Edx);
            Assert.Equal(576u, x87Sse.Ebx);
            Assert.Equal(2688u, x87Sse.Ecx);                 // all allowed: up to Hi16_ZMM at 1664 + 1024
            Assert.Equal(832u, Guest(host, 0xD, 0, xcr0: 0x7).Ebx);
            Assert.Equal(new CpuidRegs(256, 576, 0, 0), Guest(host, 0xD, 2));
            Assert.Equal(default(CpuidRegs), Guest(host, 0xD, 3));   // MPX
            Assert.Equal(default(CpuidRegs), Guest(host, 0xD, 9));   // PKRU
            CpuidRegs sub1 = Guest(host, 0xD, 1, xcr0: 0x7);
            Assert.Equal(0x7u, sub1.Eax);                    // no XSAVES
            Assert.Equal(832u, sub1.Ebx);
            Assert.Equal(0u, sub1.Ecx);
        }

        [Theory]
        [InlineData(0u, 0x1ul, true)]
        [InlineData(0u, 0x3ul, true)]
        [InlineData(0u, 0x7ul, true)]
        [InlineData(0u, 0xE7ul, true)]
        [InlineData(0u, 0x0ul, false)]                       // x87 must stay
        [InlineData(0u, 0x2ul, false)]
        [InlineData(0u, 0x5ul, false)]                       // AVX without SSE
        [InlineData(0u, 0x27ul, false)]                      // part of AVX-512
        [InlineData(0u, 0xE3ul, false)]                      // AVX-512 without AVX
        [InlineData(0u, 0x207ul, false)]                     // PKRU not offered
        [InlineData(1u, 0x3ul, false)]                       // only XCR0 exists
        public void XsetbvRules(uint index, ulong value, bool ok)
        {
            Assert.Equal(ok, Hv.Virt.XsetbvRules.IsValid(index, value, 0xE7));
        }
    }
}
