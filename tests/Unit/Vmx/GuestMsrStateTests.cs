using Hv.Virt;
using Hv.Virt.Vmx;
using Xunit;

namespace Hv.Tests.Unit.Vmx
{
    /// <summary>Segment bases, MSR-backed state and the guest TSC through IVcpuState.</summary>
    public unsafe class GuestMsrStateTests
    {
        [Theory]
        [InlineData(GuestRegister.CsBase, VmcsField.GuestCsBase)]
        [InlineData(GuestRegister.SsBase, VmcsField.GuestSsBase)]
        [InlineData(GuestRegister.DsBase, VmcsField.GuestDsBase)]
        [InlineData(GuestRegister.EsBase, VmcsField.GuestEsBase)]
        [InlineData(GuestRegister.FsBase, VmcsField.GuestFsBase)]
        [InlineData(GuestRegister.GsBase, VmcsField.GuestGsBase)]
        [InlineData(GuestRegister.SysenterCs, VmcsField.GuestIa32SysenterCs)]
        [InlineData(GuestRegister.SysenterEsp, VmcsField.GuestIa32SysenterEsp)]
        [InlineData(GuestRegister.SysenterEip, VmcsField.GuestIa32SysenterEip)]
        [InlineData(GuestRegister.Pat, VmcsField.GuestIa32Pat)]
        public void VmcsBackedRegisters(GuestRegister reg, VmcsField field)
        {
            using var r = new ExitRig();

            r.State.Set(reg, 0x1234_5000);

            Assert.Equal(0x1234_5000ul, r.V.Peek(field));
            Assert.Equal(0x1234_5000ul, r.State.Get(reg));
        }

        [Fact]
        public void ResetVectorCsBase_IsTheHighAlias()
        {
            using var r = new ExitRig(StartMode.ResetVector);

            Assert.Equal(0xFFFF_0000ul, r.State.Get(GuestRegister.CsBase));
        }

        [Fact]
        public void Tsc_IsHostTscPlusOffset()
        {
            using var r = new ExitRig();
            r.Platform.Tsc = 5000;

            r.State.Set(GuestRegister.Tsc, 100);

            Assert.Equal(unchecked(100ul - 5000), r.V.Peek(VmcsField.TscOffset));
            r.Platform.Tsc = 7000;
            Assert.Equal(2100ul, r.State.Get(GuestRegister.Tsc));
        }

        [Fact]
        public void LazyMsrs_StayInSoftwareUntilLoaded_ThenWriteThrough()
        {
            using var r = new ExitRig();
            r.State.Set(GuestRegister.Lstar, 0xFFFF_FFFF_8100_0000);
            Assert.Equal(0, r.Platform.MsrWrites);
            Assert.Equal(0xFFFF_FFFF_8100_0000ul, r.State.Get(GuestRegister.Lstar));

            r.State.LoadLazyMsrs();
            Assert.Equal(6, r.Platform.MsrWrites);
            Assert.Equal(0xFFFF_FFFF_8100_0000ul, r.Platform.Msrs[(uint)X86Msr.Lstar]);

            r.State.Set(GuestRegister.TscAux, 3);
            Assert.Equal(3ul, r.Platform.Msrs[(uint)X86Msr.TscAux]);
        }

        [Fact]
        public void KernelGsBase_ChangedBySwapgs_IsReadBackFromTheCpu()
        {
            using var r = new ExitRig();
            r.State.Set(GuestRegister.KernelGsBase, 0x1000);
            r.State.LoadLazyMsrs();

            r.Platform.Msrs[(uint)X86Msr.KernelGsBase] = 0x2000; // the guest ran SWAPGS
            Assert.Equal(0x2000ul, r.State.Get(GuestRegister.KernelGsBase));

            r.State.SaveLazyMsrs();                                // another vCPU takes the CPU
            r.Platform.Msrs[(uint)X86Msr.KernelGsBase] = 0x9999;
            Assert.False(r.State.MsrsLive);
            Assert.Equal(0x2000ul, r.State.Get(GuestRegister.KernelGsBase));
        }
    }
}
