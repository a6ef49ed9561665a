using System;
using Hv.Virt.Svm;
using Xunit;

namespace Hv.Tests.Unit.Svm
{
    /// <summary>IOPM (APM Vol. 2 §15.10.1) and MSRPM (§15.11) contents.</summary>
    public class PermissionMapTests
    {
        [Fact]
        public void Iopm_InterceptsEveryPortAndWidth()
        {
            byte[] iopm = new byte[SvmPermissionMaps.IopmBytes];
            SvmPermissionMaps.FillIopm(iopm);
            Assert.Equal(12 * 1024, iopm.Length);
            foreach (int port in new[] { 0, 0x20, 0x3F8, 0xCF8, 0xE9, 0xF4, 0xFFFF })
                foreach (int size in new[] { 1, 2, 4 })
                    Assert.True(SvmPermissionMaps.IsPortIntercepted(iopm, (ushort)port, size));
        }

        [Theory]
        [InlineData(0x0000_0000u, false, 0)]
        [InlineData(0x0000_0000u, true, 1)]
        [InlineData(0x0000_1FFFu, true, 0x7FF * 8 + 7)]
        [InlineData(0xC000_0080u, false, 0x820 * 8)]
        [InlineData(0xC000_0080u, true, 0x820 * 8 + 1)]
        [InlineData(0xC000_0101u, false, 0x840 * 8 + 2)]
        [InlineData(0xC001_0000u, false, 0x1000 * 8)]
        [InlineData(0xC001_1FFFu, true, 0x17FF * 8 + 7)]
        public void MsrBit_FollowsTheThreeRanges(uint msr, bool write, int bit)
        {
            Assert.True(SvmPermissionMaps.TryMsrBit(msr, write, out int actual));
            Assert.Equal(bit, actual);
        }

        [Theory]
        [InlineData(0x0000_2000u)]
        [InlineData(0x4000_0000u)]
        [InlineData(0xC000_2000u)]
        [InlineData(0xC001_2000u)]
        [InlineData(0xFFFF_FFFFu)]
        public void MsrOutsideTheRanges_AlwaysExits(uint msr)
        {
            byte[] msrpm = new byte[SvmPermissionMaps.MsrpmBytes];
            Assert.False(SvmPermissionMaps.TryMsrBit(msr, false, out _));
            Assert.True(SvmPermissionMaps.IsMsrIntercepted(msrpm, msr, write: false));
        }

        [Fact]
        public void Msrpm_PassesOnlyFsGsAndKernelGsBase()
        {
            byte[] msrpm = new byte[SvmPermissionMaps.MsrpmBytes];
            SvmPermissionMaps.FillMsrpm(msrpm);
            foreach (uint msr in new uint[] { 0xC000_0100, 0xC000_0101, 0xC000_0102 })
            {
                Assert.False(SvmPermissionMaps.IsMsrIntercepted(msrpm, msr, write: false));
                Assert.False(SvmPermissionMaps.IsMsrIntercepted(msrpm, msr, write: true));
            }
            // EFER, TSC, APIC_BASE, PAT, SYSENTER_CS, STAR/LSTAR, TSC_AUX, VM_CR, VM_HSAVE_PA, MTRRs.
            foreach (uint msr in new uint[] { 0xC000_0080, 0x10, 0x1B, 0x277, 0x174, 0xC000_0081, 0xC000_0082, 0xC000_0103,
                                              0xC001_0114, 0xC001_0117, 0x2FF, 0xFE })
            {
                Assert.True(SvmPermissionMaps.IsMsrIntercepted(msrpm, msr, write: false));
                Assert.True(SvmPermissionMaps.IsMsrIntercepted(msrpm, msr, write: true));
            }
            int open = 0;
            for (int i = 0; i < msrpm.Length * 8; i++)
                if ((msrpm[i / 8] & (1 << (i % 8))) == 0) open++;
            Assert.Equal(6, open);
        }
    }
}
