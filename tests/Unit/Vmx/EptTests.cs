using Hv.Virt;
using Hv.Virt.Vmx;
using Xunit;

namespace Hv.Tests.Unit.Vmx
{
    /// <summary>EPT built in fake memory and walked like the CPU does (SDM "EPT Translation Mechanism").</summary>
    public class EptTests
    {
        [Fact]
        public void RamTranslates_With2MbPagesWhereAligned()
        {
            VmxTestRig rig = VmxTestRig.Bochs();
            ulong pml4 = rig.Resources.EptPointer & Ept.AddressMask;

            Assert.True(Ept.Translate(rig.Memory, pml4, 0, out ulong hpa, out ulong size, out ulong leaf));
            Assert.Equal(0x4000_0000ul, hpa);
            Assert.Equal(Ept.Page2M, size);
            Assert.Equal(Ept.MemoryTypeWriteBack, Ept.MemoryType(leaf));
            Assert.Equal(Ept.ReadWriteExecute, leaf & 7);
            Assert.Equal(0ul, leaf & Ept.IgnorePat);

            Assert.True(Ept.Translate(rig.Memory, pml4, 0x7F_F123, out hpa, out size, out _));
            Assert.Equal(0x407F_F123ul, hpa);
            Assert.Equal(Ept.Page2M, size);
        }

        [Fact]
        public void ResetVectorRegion_Uses4KbPages()
        {
            VmxTestRig rig = VmxTestRig.Bochs();
            ulong pml4 = rig.Resources.EptPointer & Ept.AddressMask;

            Assert.True(Ept.Translate(rig.Memory, pml4, 0xFFFF_FFF0, out ulong hpa, out ulong size, out ulong leaf));
            Assert.Equal(0x5000_FFF0ul, hpa);
            Assert.Equal(Ept.Page4K, size);
            Assert.Equal(Ept.MemoryTypeWriteBack, Ept.MemoryType(leaf));
        }

        [Theory]
        [InlineData(0x80_0000ul)]        // just past RAM
        [InlineData(0xFEE0_0000ul)]      // LAPIC
        [InlineData(0xFFFE_F000ul)]      // below the reset-vector window
        [InlineData(0x1_0000_0000ul)]    // above 4 GiB
        [InlineData(0xFFFF_FFFF_FFFFul)] // top of the 48-bit space
        public void Mmio_IsNotPresent(ulong gpa)
        {
            VmxTestRig rig = VmxTestRig.Bochs();

            Assert.False(Ept.Translate(rig.Memory, rig.Resources.EptPointer & Ept.AddressMask, gpa, out _, out _, out _));
        }

        [Fact]
        public void Eptp_IsWriteBackFourLevelsNoAccessedDirty()
        {
            ulong eptp = VmxTestRig.Bochs().Resources.EptPointer;

            Assert.Equal(6ul, eptp & 7);
            Assert.Equal(3ul, (eptp >> 3) & 7);
            Assert.Equal(0ul, eptp & (1ul << 6));
            Assert.Equal(0ul, eptp & 0xF80);
        }

        [Fact]
        public void MisalignedHostMemory_Gets4KbPages()
        {
            var mem = new FakePageMemory();
            var b = new EptBuilder(mem, true);
            Assert.True(b.TryMap(new GuestRegion { GuestPhysical = 0x20_0000, HostPhysical = 0x4000_1000, Size = 4ul << 20 }, out string e), e);

            Assert.Equal(0, b.LargeLeaves);
            Assert.Equal(1024, b.SmallLeaves);
            Assert.True(Ept.Translate(mem, b.Pml4, 0x3F_FFFF, out ulong hpa, out ulong size, out _));
            Assert.Equal(0x4020_0FFFul, hpa);
            Assert.Equal(Ept.Page4K, size);
        }

        [Fact]
        public void Without2MbSupport_OnlySmallPages()
        {
            var mem = new FakePageMemory();
            var b = new EptBuilder(mem, false);
            Assert.True(b.TryMap(new GuestRegion { GuestPhysical = 0, HostPhysical = 0x4000_0000, Size = 2ul << 20 }, out string e), e);

            Assert.Equal(0, b.LargeLeaves);
            Assert.Equal(512, b.SmallLeaves);
            Assert.Equal(4, b.TablePages);
        }

        [Fact]
        public void MixedRegion_UsesLargePagesInTheAlignedMiddle()
        {
            var mem = new FakePageMemory();
            var b = new EptBuilder(mem, true);
            Assert.True(b.TryMap(new GuestRegion { GuestPhysical = 0x1F_F000, HostPhysical = 0x401F_F000, Size = 0x40_2000 }, out string e), e);

            Assert.Equal(2, b.LargeLeaves);
            Assert.Equal(2, b.SmallLeaves);
        }

        [Fact]
        public void OverlappingRegions_AreRefused()
        {
            var b = new EptBuilder(new FakePageMemory(), true);
            Assert.True(b.TryMap(new GuestRegion { GuestPhysical = 0, HostPhysical = 0x4000_0000, Size = 2ul << 20 }, out _));

            Assert.False(b.TryMap(new GuestRegion { GuestPhysical = 0x1000, HostPhysical = 0x6000_0000, Size = 0x1000 }, out string e));
            Assert.Contains("overlap", e);
        }

        [Theory]
        [InlineData(0x1000ul, 0x4000_0800ul, 0x1000ul)]                  // misaligned host address
        [InlineData(0x1000ul, 0x4000_0000ul, 0ul)]                       // empty
        [InlineData(0xFFFF_FFFF_F000ul, 0x4000_0000ul, 0x2000ul)]        // runs past 2^48
        public void BadRegions_AreRefused(ulong gpa, ulong hpa, ulong size)
        {
            var b = new EptBuilder(new FakePageMemory(), true);

            Assert.False(b.TryMap(new GuestRegion { GuestPhysical = gpa, HostPhysical = hpa, Size = size }, out string e));
            Assert.StartsWith("EPT:", e);
        }

        [Fact]
        public void OutOfMemory_IsAnError()
        {
            var b = new EptBuilder(new FakePageMemory(maxPages: 2), true);

            Assert.False(b.TryMap(new GuestRegion { GuestPhysical = 0, HostPhysical = 0x4000_0000, Size = 0x1000 }, out string e));
            Assert.Contains("out of memory", e);
        }

        [Fact]
        public void MsrBitmap_PassesOnlyTheVmcsSwitchedMsrs()
        {
            VmxTestRig rig = VmxTestRig.Bochs();
            ulong page = rig.Resources.MsrBitmap;

            foreach (uint msr in new uint[] { 0xC000_0100, 0xC000_0101, 0x174, 0x175, 0x176 })
            {
                Assert.False(VmxBitmaps.Exits(rig.Memory, page, msr, false));
                Assert.False(VmxBitmaps.Exits(rig.Memory, page, msr, true));
            }
            foreach (uint msr in new uint[] { 0x10, 0x1B, 0x277, 0xC000_0080, 0xC000_0102, 0xC000_0082, 0x4000_0000, 0xC001_0000 })
            {
                Assert.True(VmxBitmaps.Exits(rig.Memory, page, msr, false));
                Assert.True(VmxBitmaps.Exits(rig.Memory, page, msr, true));
            }
        }

        [Fact]
        public void IoBitmaps_MakeEveryPortExit()
        {
            VmxTestRig rig = VmxTestRig.Bochs();

            for (int i = 0; i < 512; i++)
            {
                Assert.Equal(ulong.MaxValue, rig.Memory.ReadWord(rig.Resources.IoBitmapA, i));
                Assert.Equal(ulong.MaxValue, rig.Memory.ReadWord(rig.Resources.IoBitmapB, i));
            }
        }
    }
}
