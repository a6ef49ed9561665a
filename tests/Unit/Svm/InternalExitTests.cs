using Hv.Virt;
using Hv.Virt.Caps;
using Hv.Virt.Svm;
using Xunit;

namespace Hv.Tests.Unit.Svm
{
    /// <summary>Exits the backend completes itself before re-entering; the TLB flush policy; EXITINTINFO.</summary>
    public unsafe class InternalExitTests
    {
        private const ulong Rip = 0x10_0000;
        private readonly SvmTestVm _vm = new SvmTestVm();

        [Theory]
        [InlineData(SvmExitCode.Vmrun)]
        [InlineData(SvmExitCode.Vmload)]
        [InlineData(SvmExitCode.Vmsave)]
        [InlineData(SvmExitCode.Stgi)]
        [InlineData(SvmExitCode.Clgi)]
        [InlineData(SvmExitCode.Skinit)]
        [InlineData(SvmExitCode.Invlpga)]
        [InlineData(SvmExitCode.Monitor)]
        [InlineData(SvmExitCode.Mwait)]
        public void SvmInstructions_GetUd_AndTheGuestRunsOn(SvmExitCode code)
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32, Rip);
            _vm.Host.ThenExit(code);
            _vm.Host.ThenExit(SvmExitCode.Intr);
            VmExit exit = SvmTestVm.RunOnce(vcpu);

            Assert.Equal(VmExitKind.ExternalInterrupt, exit.Kind);
            Assert.Equal(2, _vm.Host.Runs);
            SvmEvent injected = new SvmEvent(_vm.Host.EventAtEntry[1]);
            Assert.True(injected.Valid);
            Assert.Equal((int)EventType.HardwareException, injected.Type);
            Assert.Equal(6, injected.Vector);
            Assert.False(injected.HasErrorCode);
            Assert.Equal(1ul, vcpu.HandledInternally);
            Assert.Equal(2ul, vcpu.Entries);
        }

        [Fact]
        public void AlignmentCheck_IsReflectedWithErrorCodeZero()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32, Rip);
            _vm.Host.ThenExit(SvmExitCode.Exception0 + 17, 0);
            _vm.Host.ThenExit(SvmExitCode.Hlt);
            SvmTestVm.RunOnce(vcpu);
            SvmEvent injected = new SvmEvent(_vm.Host.EventAtEntry[1]);
            Assert.Equal(17, injected.Vector);
            Assert.True(injected.HasErrorCode);
            Assert.Equal(0u, injected.ErrorCode);
        }

        [Fact]
        public void Rdtscp_ReturnsTheGuestTscAndTscAux()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32, Rip);
            _vm.Poke(Rip, 0x0F, 0x01, 0xF9);
            _vm.Host.Tsc = 0x0000_0012_3456_7890;
            vcpu.Set(GuestRegister.Tsc, 0x0000_0100_0000_0005);
            vcpu.Set(GuestRegister.TscAux, 0x0000_0001_0000_0007);
            _vm.Host.ThenExit(SvmExitCode.Rdtscp);
            _vm.Host.ThenExit(SvmExitCode.Intr);
            SvmTestVm.RunOnce(vcpu);

            Assert.Equal(0x0000_0005ul, vcpu.Get(GuestRegister.Rax));
            Assert.Equal(0x0000_0100ul, vcpu.Get(GuestRegister.Rdx));
            Assert.Equal(7ul, vcpu.Get(GuestRegister.Rcx));
            Assert.Equal(Rip + 3, vcpu.Get(GuestRegister.Rip));
        }

        [Fact]
        public void Invd_CompletesAsANoOp()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32, Rip);
            _vm.Poke(Rip, 0x0F, 0x08);
            _vm.Host.ThenExit(SvmExitCode.Invd);
            _vm.Host.ThenExit(SvmExitCode.Intr);
            SvmTestVm.RunOnce(vcpu);
            Assert.Equal(Rip + 2, vcpu.Get(GuestRegister.Rip));
        }

        [Fact]
        public void Invd_WithUnreadableCode_GoesToTheCore()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32, 0xFEE0_0000);
            _vm.Host.ThenExit(SvmExitCode.Invd);
            Assert.Equal(VmExitKind.Unknown, SvmTestVm.RunOnce(vcpu).Kind);
        }

        [Fact]
        public void InterruptedDelivery_IsQueuedAgain()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32, Rip);
            ulong interrupted = SvmEvent.Make(EventType.HardwareException, 14, true, 0x2).Raw;
            _vm.Host.Then((v, g) => { v->Control.ExitCode = (ulong)SvmExitCode.NestedPageFault; v->Control.ExitInfo2 = 0xFEE0_0000; v->Control.ExitIntInfo = interrupted; });
            SvmTestVm.RunOnce(vcpu);
            Assert.Equal(interrupted, vcpu.VmcbPointer->Control.EventInjection);
            Assert.False(vcpu.Inject(EventType.ExternalInterrupt, 0x20, false, 0));
        }

        [Fact]
        public void InterruptedSoftwareInterrupt_IsNotQueued_AndEventInjIsConsumed()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32, Rip);
            Assert.True(vcpu.Inject(EventType.ExternalInterrupt, 0x20, false, 0));
            _vm.Host.Then((v, g) => { v->Control.ExitCode = (ulong)SvmExitCode.Intr; v->Control.ExitIntInfo = SvmEvent.Make(EventType.SoftwareInterrupt, 0x80, false, 0).Raw; });
            SvmTestVm.RunOnce(vcpu);
            Assert.True(new SvmEvent(_vm.Host.EventAtEntry[0]).Valid);
            Assert.Equal(0ul, vcpu.VmcbPointer->Control.EventInjection);
        }

        [Fact]
        public void Tlb_FlushedOnFirstRunMigrationAndAfterAnotherVcpu()
        {
            SvmVcpu a = _vm.Create(StartMode.ProtectedFlat32, Rip, index: 0);
            SvmVcpu b = _vm.Create(StartMode.ProtectedFlat32, Rip, index: 1);
            for (int i = 0; i < 6; i++) _vm.Host.ThenExit(SvmExitCode.Intr);

            SvmTestVm.RunOnce(a);          // first run
            SvmTestVm.RunOnce(a);          // same CPU, nothing else ran
            _vm.Host.Cpu = 1;
            SvmTestVm.RunOnce(a);          // migrated
            SvmTestVm.RunOnce(b);          // b's first run on CPU 1
            SvmTestVm.RunOnce(a);          // b ran on CPU 1 in between (same ASID)
            SvmTestVm.RunOnce(a);

            Assert.Equal(new[] { SvmTlbControl.FlushAll, SvmTlbControl.DoNothing, SvmTlbControl.FlushAll,
                                 SvmTlbControl.FlushAll, SvmTlbControl.FlushAll, SvmTlbControl.DoNothing }, _vm.Host.TlbAtEntry.ToArray());
            Assert.Equal(SvmTlbControl.DoNothing, a.VmcbPointer->Control.TlbControl);
        }

        [Fact]
        public void Tlb_FlushesOnlyTheGuestWithFlushByAsid()
        {
            var vm = new SvmTestVm(SvmFeatureFlags.NestedPaging | SvmFeatureFlags.FlushByAsid);
            SvmVcpu vcpu = vm.Create(StartMode.ProtectedFlat32, Rip);
            vm.Host.ThenExit(SvmExitCode.Intr);
            SvmTestVm.RunOnce(vcpu);
            Assert.Equal(SvmTlbControl.FlushGuest, vm.Host.TlbAtEntry[0]);
        }
    }
}
