using Hv.Memory;
using Xunit;

namespace Hv.Tests.Unit.Memory
{
    /// <summary>EFI_MEMORY_TYPE values (UEFI 2.10 §7.2.1) and what each means after ExitBootServices.</summary>
    public class MemoryKindTests
    {
        [Theory]
        [InlineData(MemoryKind.Reserved, 0u)]
        [InlineData(MemoryKind.LoaderCode, 1u)]
        [InlineData(MemoryKind.LoaderData, 2u)]
        [InlineData(MemoryKind.BootServicesCode, 3u)]
        [InlineData(MemoryKind.BootServicesData, 4u)]
        [InlineData(MemoryKind.RuntimeServicesCode, 5u)]
        [InlineData(MemoryKind.RuntimeServicesData, 6u)]
        [InlineData(MemoryKind.ConventionalMemory, 7u)]
        [InlineData(MemoryKind.Unusable, 8u)]
        [InlineData(MemoryKind.AcpiReclaim, 9u)]
        [InlineData(MemoryKind.AcpiNvs, 10u)]
        [InlineData(MemoryKind.MemoryMappedIo, 11u)]
        [InlineData(MemoryKind.MemoryMappedIoPortSpace, 12u)]
        [InlineData(MemoryKind.PalCode, 13u)]
        [InlineData(MemoryKind.Persistent, 14u)]
        [InlineData(MemoryKind.Unaccepted, 15u)]
        public void Kinds_HaveTheSpecValues(MemoryKind kind, uint value)
        {
            Assert.Equal(value, (uint)kind);
        }

        [Fact]
        public void Attributes_HaveTheSpecValues()
        {
            Assert.Equal(0x1ul, (ulong)MemoryAttributes.Uncacheable);
            Assert.Equal(0x8ul, (ulong)MemoryAttributes.WriteBack);
            Assert.Equal(0x4000ul, (ulong)MemoryAttributes.ExecuteProtected);
            Assert.Equal(0x4_0000ul, (ulong)MemoryAttributes.SpecificPurpose);
            Assert.Equal(0x8000_0000_0000_0000ul, (ulong)MemoryAttributes.Runtime);
        }

        [Theory]
        [InlineData(MemoryKind.ConventionalMemory, MemoryUse.Usable)]
        [InlineData(MemoryKind.BootServicesCode, MemoryUse.Usable)]
        [InlineData(MemoryKind.BootServicesData, MemoryUse.Usable)]
        [InlineData(MemoryKind.LoaderCode, MemoryUse.Loader)]
        [InlineData(MemoryKind.LoaderData, MemoryUse.Loader)]
        [InlineData(MemoryKind.RuntimeServicesCode, MemoryUse.RuntimeServices)]
        [InlineData(MemoryKind.RuntimeServicesData, MemoryUse.RuntimeServices)]
        [InlineData(MemoryKind.AcpiReclaim, MemoryUse.Acpi)]
        [InlineData(MemoryKind.AcpiNvs, MemoryUse.Acpi)]
        [InlineData(MemoryKind.MemoryMappedIo, MemoryUse.Mmio)]
        [InlineData(MemoryKind.MemoryMappedIoPortSpace, MemoryUse.Mmio)]
        [InlineData(MemoryKind.Reserved, MemoryUse.Other)]
        [InlineData(MemoryKind.Unusable, MemoryUse.Other)]
        [InlineData(MemoryKind.PalCode, MemoryUse.Other)]
        [InlineData(MemoryKind.Persistent, MemoryUse.Other)]
        [InlineData(MemoryKind.Unaccepted, MemoryUse.Other)]
        [InlineData((MemoryKind)16u, MemoryUse.Other)]
        [InlineData((MemoryKind)0x7000_0001u, MemoryUse.Other)]
        [InlineData((MemoryKind)0x8000_0000u, MemoryUse.Other)]
        public void Classify_OnlyFreeKindsAreUsable(MemoryKind kind, MemoryUse expected)
        {
            Assert.Equal(expected, MemoryKinds.Classify(kind, MemoryAttributes.WriteBack));
        }

        [Fact]
        public void Classify_SpecificPurposeMemory_IsNotUsable()
        {
            Assert.Equal(MemoryUse.Other, MemoryKinds.Classify(MemoryKind.ConventionalMemory,
                MemoryAttributes.WriteBack | MemoryAttributes.SpecificPurpose));
        }

        [Fact]
        public void Range_WellFormedness()
        {
            Assert.True(Maps.R(0xFFFF_FFFF_FFFF_F000, 1, MemoryKind.Reserved).IsWellFormed);   // ends exactly at 2^64
            Assert.False(Maps.R(0xFFFF_FFFF_FFFF_F000, 2, MemoryKind.Reserved).IsWellFormed);
            Assert.False(Maps.R(0x1000, 0, MemoryKind.ConventionalMemory).IsWellFormed);
            Assert.False(Maps.R(0x1800, 1, MemoryKind.ConventionalMemory).IsWellFormed);
            Assert.False(Maps.R(0, ulong.MaxValue, MemoryKind.ConventionalMemory).IsWellFormed);
        }

        [Fact]
        public void Range_Overlaps()
        {
            MemoryRange a = Maps.R(0x10_0000, 0x10, MemoryKind.ConventionalMemory);
            Assert.True(a.Overlaps(Maps.R(0x10_F000, 1, MemoryKind.Reserved)));
            Assert.False(a.Overlaps(Maps.R(0x11_0000, 1, MemoryKind.Reserved)));      // touching is fine
            Assert.False(a.Overlaps(Maps.R(0x10_0000, 0, MemoryKind.Reserved)));      // ill formed never overlaps
            Assert.True(a.Overlaps(Maps.R(0, 0x200, MemoryKind.Reserved)));           // containment
        }
    }
}
