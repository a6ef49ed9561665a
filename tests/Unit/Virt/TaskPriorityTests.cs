using Hv.Virt;
using Xunit;

namespace Hv.Tests.Unit.Virt
{
    /// <summary>CR8 (TPR) accesses the backends pass to the core, and how the TPR gates delivery.</summary>
    public class TaskPriorityTests
    {
        private readonly TestVm _t = new TestVm();

        private ExitAction Cr8(AccessKind access, ulong value = 0, GuestRegister gpr = GuestRegister.Rax)
        {
            var e = new VmExit { Kind = VmExitKind.CrAccess, ControlRegister = 8, Access = access, IoValue = value, Gpr = gpr, InstructionLength = 4 };
            return _t.Vcpu.HandleExit(ref e);
        }

        [Fact]
        public void MovToAndFromCr8()
        {
            Assert.Equal(ExitAction.Resume, Cr8(AccessKind.Write, 0x9));
            Assert.Equal(9, _t.Vcpu.TaskPriority);
            _t.State[GuestRegister.R11] = ulong.MaxValue;
            Assert.Equal(ExitAction.Resume, Cr8(AccessKind.Read, gpr: GuestRegister.R11));
            Assert.Equal(9ul, _t.State[GuestRegister.R11]);
            Assert.Equal(8ul, _t.State[GuestRegister.Rip]);
        }

        [Fact]
        public void ReservedBits_InjectGp()
        {
            Assert.Equal(ExitAction.Resume, Cr8(AccessKind.Write, 0x10));
            Assert.Equal(13, _t.State.LastVector);
            Assert.Equal(0, _t.Vcpu.TaskPriority);
            Assert.Equal(0ul, _t.State[GuestRegister.Rip]);
        }

        [Fact]
        public void OtherControlRegisters_StopTheVm()
        {
            var e = new VmExit { Kind = VmExitKind.CrAccess, ControlRegister = 3, Access = AccessKind.Write, InstructionLength = 3 };
            Assert.Equal(ExitAction.Stop, _t.Vcpu.HandleExit(ref e));
            Assert.Equal(VmStopReason.UnhandledExit, _t.Vm.StopReason);
        }

        [Fact]
        public void Tpr_HoldsBackLowClasses_WithoutAskingForAWindow_UntilLowered()
        {
            FakeVcpu s = _t.State.InterruptsOn();
            Cr8(AccessKind.Write, 0x5);
            _t.Vcpu.PostInterrupt(0x51);                              // class 5: not above TPR 5
            _t.Vcpu.PrepareEntry(0);
            Assert.Equal(0, s.Injections);
            Assert.False(s.WindowRequested);
            _t.Vcpu.PostInterrupt(0x61);                              // class 6: goes
            _t.Vcpu.PrepareEntry(0);
            Assert.Equal(0x61, s.LastVector);
            Assert.False(s.WindowRequested);
            s.Deliver();
            Cr8(AccessKind.Write, 0x0);                               // lowering delivers at once
            Assert.Equal(0x51, s.LastVector);
        }

        [Fact]
        public void Hlt_IsNotWokenByAnInterruptTheTprHoldsBack()
        {
            _t.State.InterruptsOn();
            Cr8(AccessKind.Write, 0xF);
            _t.Vcpu.PostInterrupt(0xF0);
            Assert.Equal(ExitAction.Halt, _t.Exit(VmExitKind.Hlt));
            Assert.False(_t.Vcpu.TryWake(0));
        }
    }
}
