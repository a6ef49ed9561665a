using Hv.Virt;
using Hv.Virt.Svm;
using Xunit;

namespace Hv.Tests.Unit.Svm
{
    /// <summary>IVcpuState over the VMCB and the GPR slots; injection and the interrupt window (APM Vol. 2 §15.20, §15.21).</summary>
    public unsafe class GuestStateTests
    {
        private readonly SvmTestVm _vm = new SvmTestVm();

        [Fact]
        public void Gprs_RaxRspInTheVmcb_OthersInTheirSlots()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32);
            for (int r = 0; r < 16; r++) vcpu.Set((GuestRegister)r, 0x100ul + (ulong)r);
            Assert.Equal(0x100ul, vcpu.VmcbPointer->Save.Rax);
            Assert.Equal(0x104ul, vcpu.VmcbPointer->Save.Rsp);
            _vm.Host.ThenExit(SvmExitCode.Intr);
            SvmTestVm.RunOnce(vcpu);
            for (int r = 0; r < 16; r++)
            {
                Assert.Equal(0x100ul + (ulong)r, vcpu.Get((GuestRegister)r));
                if (r != 0 && r != 4) Assert.Equal(0x100ul + (ulong)r, _vm.Host.LastGprs[r]);
            }
        }

        [Fact]
        public void Efer_HidesSvme_AndKeepsItSet()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32);
            Assert.Equal(0ul, vcpu.Get(GuestRegister.Efer));
            vcpu.Set(GuestRegister.Efer, (ulong)GuestEfer.NXE);
            Assert.Equal((ulong)GuestEfer.NXE, vcpu.Get(GuestRegister.Efer));
            Assert.Equal((ulong)(GuestEfer.NXE | GuestEfer.SVME), vcpu.VmcbPointer->Save.Efer);
        }

        [Fact]
        public void Lma_FollowsLmeAndPaging()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32);
            vcpu.Set(GuestRegister.Cr4, (ulong)GuestCr4.PAE);
            vcpu.Set(GuestRegister.Efer, (ulong)GuestEfer.LME);
            Assert.False(vcpu.LongMode);
            vcpu.Set(GuestRegister.Cr0, (ulong)(GuestCr0.PG | GuestCr0.PE));
            Assert.True(vcpu.LongMode);
            vcpu.Set(GuestRegister.Efer, (ulong)GuestEfer.LME);          // a WRMSR cannot clear LMA
            Assert.True(vcpu.LongMode);
            vcpu.Set(GuestRegister.Cr0, (ulong)GuestCr0.PE);
            Assert.False(vcpu.LongMode);
        }

        [Fact]
        public void SegmentBasesAndMsrState_LiveInTheVmcb()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32);
            Vmcb* v = vcpu.VmcbPointer;
            vcpu.Set(GuestRegister.FsBase, 0xF5);
            vcpu.Set(GuestRegister.KernelGsBase, 0x6B);
            vcpu.Set(GuestRegister.Lstar, 0xFFFF_8000_0000_1000);
            vcpu.Set(GuestRegister.SysenterEip, 0xE1);
            vcpu.Set(GuestRegister.Pat, 0x0606_0606_0606_0606);
            Assert.Equal(0xF5ul, v->Save.Fs.Base);
            Assert.Equal(0x6Bul, v->Save.KernelGsBase);
            Assert.Equal(0xFFFF_8000_0000_1000ul, v->Save.Lstar);
            Assert.Equal(0xE1ul, v->Save.SysenterEip);
            Assert.Equal(0x0606_0606_0606_0606ul, v->Save.GuestPat);
            Assert.Equal(0ul, vcpu.Get(GuestRegister.CsBase));
            Assert.Equal(1ul, vcpu.Get(GuestRegister.Xcr0));
        }

        [Fact]
        public void Tsc_IsHostTscPlusOffset()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32);
            _vm.Host.Tsc = 5000;
            vcpu.Set(GuestRegister.Tsc, 100);
            Assert.Equal(unchecked(100ul - 5000), vcpu.VmcbPointer->Control.TscOffset);
            _vm.Host.Tsc = 5300;
            Assert.Equal(400ul, vcpu.Get(GuestRegister.Tsc));
        }

        [Fact]
        public void AdvanceRip_ClearsTheShadow_AndWrapsOutside64BitCode()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32, 0xFFFF_FFFF);
            vcpu.VmcbPointer->Control.InterruptState = SvmInterruptState.Shadow;
            vcpu.AdvanceRip(2);
            Assert.Equal(1ul, vcpu.Get(GuestRegister.Rip));
            Assert.Equal((SvmInterruptState)0, vcpu.VmcbPointer->Control.InterruptState);
        }

        [Fact]
        public void Inject_WritesEventInj_OnceUntilConsumed()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32);
            Assert.True(vcpu.Inject(EventType.HardwareException, 13, true, 0x28));
            Assert.Equal(0x0000_0028_0000_0B0Dul | SvmEvent.ValidBit, vcpu.VmcbPointer->Control.EventInjection);
            Assert.False(vcpu.Inject(EventType.ExternalInterrupt, 0x30, false, 0));

            _vm.Host.ThenExit(SvmExitCode.Intr);
            SvmTestVm.RunOnce(vcpu);
            Assert.Equal(0x0000_0028_0000_0B0Dul | SvmEvent.ValidBit, _vm.Host.EventAtEntry[0]);
            Assert.True(vcpu.Inject(EventType.ExternalInterrupt, 0x30, false, 0));
            Assert.Equal(0x30ul | SvmEvent.ValidBit, vcpu.VmcbPointer->Control.EventInjection);
        }

        [Theory]
        [InlineData(EventType.HardwareException, 2, false)]      // NMI is not an exception
        [InlineData(EventType.HardwareException, 32, false)]
        [InlineData(EventType.ExternalInterrupt, 0x20, true)]    // error code only with exceptions
        [InlineData(EventType.Nmi, 2, true)]
        public void Inject_RefusesWhatVmrunWouldReject(EventType type, byte vector, bool hasErrorCode)
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32);
            Assert.False(vcpu.Inject(type, vector, hasErrorCode, 0));
            Assert.Equal(0ul, vcpu.VmcbPointer->Control.EventInjection);
        }

        [Fact]
        public void CanInjectInterrupt_NeedsIfNoShadowNothingQueued()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32);
            Assert.False(vcpu.CanInjectInterrupt());                              // IF = 0 (Multiboot)
            vcpu.Set(GuestRegister.Rflags, 0x202);
            Assert.True(vcpu.CanInjectInterrupt());
            vcpu.VmcbPointer->Control.InterruptState = SvmInterruptState.Shadow;  // after STI
            Assert.False(vcpu.CanInjectInterrupt());
            vcpu.VmcbPointer->Control.InterruptState = 0;
            vcpu.Inject(EventType.Nmi, 2, false, 0);
            Assert.False(vcpu.CanInjectInterrupt());
        }

        [Fact]
        public void InterruptWindow_IsVirtualIrqPlusVintrIntercept()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32);
            VmcbControlArea* c = &vcpu.VmcbPointer->Control;
            vcpu.RequestInterruptWindow(true);
            Assert.Equal(SvmIntercept1.Vintr, c->Intercept1 & SvmIntercept1.Vintr);
            Assert.Equal(SvmVirtualInterrupt.Irq | SvmVirtualInterrupt.IgnoreTpr | SvmVirtualInterrupt.PriorityMask | SvmVirtualInterrupt.Masking,
                c->VirtualInterrupt);
            Assert.Null(VmcbChecks.FirstFailure(vcpu.VmcbPointer, SvmTestVm.Limits));

            _vm.Host.ThenExit(SvmExitCode.Vintr);
            Assert.Equal(VmExitKind.InterruptWindow, SvmTestVm.RunOnce(vcpu).Kind);
            vcpu.RequestInterruptWindow(false);
            Assert.Equal((SvmIntercept1)0, c->Intercept1 & SvmIntercept1.Vintr);
            Assert.Equal(SvmVirtualInterrupt.Masking, c->VirtualInterrupt);
        }

        [Fact]
        public void CplAndLongMode_ComeFromTheVmcb()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32);
            vcpu.VmcbPointer->Save.Cpl = 3;
            Assert.Equal(3, vcpu.Cpl);
            Assert.False(vcpu.LongMode);
        }
    }
}
