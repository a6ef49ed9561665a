using Hv.Virt.Caps;
using Xunit;

namespace Hv.Tests.Unit.Caps
{
    /// <summary>CPUID identity decoding (SDM Vol. 2A "CPUID"; APM Vol. 3 App. E).</summary>
    public class CpuIdentityTests
    {
        [Theory]
        [InlineData(0x0005_0654u, CpuVendor.Intel, 0x6u, 0x55u, 4u)]   // Skylake-X
        [InlineData(0x0008_06F8u, CpuVendor.Intel, 0x6u, 0x8Fu, 8u)]   // Sapphire Rapids
        [InlineData(0x0000_0F41u, CpuVendor.Intel, 0xFu, 0x4u, 1u)]    // Pentium 4: family 0FH, ext family 0
        [InlineData(0x0001_0F29u, CpuVendor.Intel, 0xFu, 0x12u, 9u)]   // family 0FH uses the extended model
        [InlineData(0x0001_0543u, CpuVendor.Intel, 0x5u, 0x4u, 3u)]    // family 5 ignores the extended model
        [InlineData(0x0080_0F12u, CpuVendor.Amd, 0x17u, 0x1u, 2u)]     // Zen (QEMU EPYC)
        [InlineData(0x00A0_0F11u, CpuVendor.Amd, 0x19u, 0x1u, 1u)]     // Zen 3 (Milan)
        [InlineData(0x0002_0FF0u, CpuVendor.Amd, 0xFu, 0x2Fu, 0u)]     // K8: BaseFamily 0FH uses ExtModel
        [InlineData(0x0001_0662u, CpuVendor.Amd, 0x6u, 0x6u, 2u)]      // AMD family 6 ignores ExtModel
        [InlineData(0x0001_0662u, CpuVendor.Intel, 0x6u, 0x16u, 2u)]   // ... which Intel family 6 uses
        [InlineData(0x0090_0F01u, CpuVendor.Hygon, 0x18u, 0x0u, 1u)]   // Hygon Dhyana
        public void DecodeSignature_AppliesTheVendorsExtendedFieldRules(uint eax, CpuVendor vendor, uint family, uint model, uint stepping)
        {
            CpuIdentity.DecodeSignature(eax, vendor, out uint f, out uint m, out uint s);

            Assert.Equal(family, f);
            Assert.Equal(model, m);
            Assert.Equal(stepping, s);
        }

        [Theory]
        [InlineData("GenuineIntel", CpuVendor.Intel)]
        [InlineData("AuthenticAMD", CpuVendor.Amd)]
        [InlineData("HygonGenuine", CpuVendor.Hygon)]
        [InlineData("CentaurHauls", CpuVendor.Centaur)]
        [InlineData("  Shanghai  ", CpuVendor.Zhaoxin)]
        [InlineData("KVMKVMKVM\0\0\0", CpuVendor.Unknown)]
        public void ParseVendor(string text, CpuVendor vendor)
        {
            Assert.Equal(vendor, CpuIdentity.ParseVendor(text));
        }

        [Fact]
        public void BochsSkylakeX_Identity()
        {
            CpuIdentity id = IntelProfiles.BochsSkylakeX().ProbeChecked().Identity;

            Assert.Equal("GenuineIntel", id.VendorString);
            Assert.Equal(0x16u, id.MaxBasicLeaf);
            Assert.Equal(0x8000_0008u, id.MaxExtendedLeaf);
            Assert.True(id.HasVmx && id.HasX2Apic && id.HasNx && id.Has1GbPages && id.HasLongMode && id.HasMsr);
            Assert.False(id.HasSvm || id.UnderHypervisor || id.HasSmx);
            Assert.True(id.IsIntelLike);
        }

        [Fact]
        public void Brand_IsTrimmedOfPaddingAndLeadingSpaces()
        {
            // Pentium 4-era Intel parts right-justified the brand string with leading spaces.
            CpuIdentity id = IntelProfiles.PenrynLike()
                .Brand("              Intel(R) Xeon(TM) CPU 3.06GHz")
                .ProbeChecked().Identity;

            Assert.Equal("Intel(R) Xeon(TM) CPU 3.06GHz", id.Brand);
        }

        [Fact]
        public void Brand_KeepsInnerSpacesAndNeutralisesQuotes()
        {
            CpuIdentity id = IntelProfiles.PenrynLike().Brand("A \"quoted\"  brand ").ProbeChecked().Identity;

            Assert.Equal("A 'quoted'  brand", id.Brand);
        }

        [Fact]
        public void Brand_IsEmptyWhenTheLeavesAreMissing()
        {
            CpuIdentity id = AmdProfiles.Athlon64Like().MaxExtended(0x8000_0001).ProbeChecked().Identity;

            Assert.Equal("", id.Brand);
            Assert.Contains("brand=\"\"", CpuReport.CpuLine(id));
        }

        [Fact]
        public void NoExtendedLeaves_WhenLeaf80000000LacksBit31()
        {
            // An old CPU answering leaf 0x80000000 with basic-leaf data: extended leaves must be ignored.
            CpuIdentity id = AmdProfiles.Athlon64Like().MaxExtended(0x0000_0001).ProbeChecked().Identity;

            Assert.Equal(0u, id.MaxExtendedLeaf);
            Assert.False(id.HasLongMode);
        }

        [Fact]
        public void MaxBasicLeafZero_SkipsLeaf1()
        {
            CpuIdentity id = AmdProfiles.Athlon64Like().Vendor("AuthenticAMD", 0).ProbeChecked().Identity;

            Assert.Equal(0u, id.Signature);
            Assert.False(id.HasVmx);
        }
    }
}
