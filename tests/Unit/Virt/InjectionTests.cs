using Hv.Virt;
using Xunit;

namespace Hv.Tests.Unit.Virt
{
    /// <summary>Pending interrupts, interrupt windows, the vCPU timer and HLT.</summary>
    public class InjectionTests
    {
        private readonly TestVm _t = new TestVm(vcpus: 2);
        private Vcpu V => _t.Vcpu;
        private FakeVcpu S => _t.State;

        [Fact]
        public void Interrupt_InjectedAtOnce_WhenTheGuestCanTakeIt()
        {
            S.InterruptsOn();
            Assert.True(V.PostInterrupt(0x30));
            V.PrepareEntry(0);
            Assert.Equal(EventType.ExternalInterrupt, S.LastType);
            Assert.Equal(0x30, S.LastVector);
            Assert.False(S.WindowRequested);
            Assert.Equal(0, S.WindowRequests);
            Assert.False(V.HasPendingInterrupts);
            Assert.Equal(1ul, V.Counters.InjectedInterrupts);
        }

        [Fact]
        public void Interrupt_WaitsForTheWindow_WhenInterruptsAreOff()
        {
            Assert.True(V.PostInterrupt(0x30));
            V.PrepareEntry(0);
            Assert.Equal(0, S.Injections);
            Assert.True(S.WindowRequested);
            V.PrepareEntry(0);
            Assert.Equal(1, S.WindowRequests);                            // asked once, not on every entry

            S.InterruptsOn();
            Assert.Equal(ExitAction.Resume, _t.Exit(VmExitKind.InterruptWindow));
            Assert.Equal(0x30, S.LastVector);
            Assert.False(S.WindowRequested);
            Assert.False(V.HasPendingInterrupts);
        }

        [Fact]
        public void Interrupt_WaitsOutAnInterruptShadow()
        {
            S.InterruptsOn();
            S.InterruptShadow = true;                                     // just after STI
            V.PostInterrupt(0x40);
            V.PrepareEntry(0);
            Assert.Equal(0, S.Injections);
            Assert.True(S.WindowRequested);
        }

        [Fact]
        public void SeveralPending_HighestFirst_WindowForTheRest()
        {
            S.InterruptsOn();
            V.PostInterrupt(0x31);
            V.PostInterrupt(0xEF);
            V.PostInterrupt(0x80);
            V.PrepareEntry(0);
            Assert.Equal(0xEF, S.LastVector);
            Assert.True(S.WindowRequested);
            S.Deliver();
            _t.Exit(VmExitKind.InterruptWindow);
            Assert.Equal(0x80, S.LastVector);
            S.Deliver();
            _t.Exit(VmExitKind.InterruptWindow);
            Assert.Equal(0x31, S.LastVector);
            Assert.False(S.WindowRequested);
        }

        [Fact]
        public void AnEventAlreadyQueued_KeepsTheInterruptPending()
        {
            S.InterruptsOn();
            S.EventPending = true;                                        // e.g. a #GP the handler just injected
            V.PostInterrupt(0x50);
            V.PrepareEntry(0);
            Assert.True(V.HasPendingInterrupts);
            Assert.True(S.WindowRequested);
        }

        [Fact]
        public void ExceptionVectors_AreNotQueued_ButInjectedDirectly()
        {
            Assert.False(V.PostInterrupt(14));
            Assert.False(V.HasPendingInterrupts);
            Assert.True(V.InjectException(ExceptionVector.GeneralProtection, true, 0));
            Assert.Equal(EventType.HardwareException, S.LastType);
            Assert.False(V.InjectException(ExceptionVector.InvalidOpcode, false, 0));   // one event per entry
        }

        [Fact]
        public void SameVectorTwice_IsCoalesced()
        {
            Assert.True(V.PostInterrupt(0x30));
            Assert.False(V.PostInterrupt(0x30));
            Assert.Equal(1ul, V.Counters.CoalescedInterrupts);
        }

        [Fact]
        public void Timer_PostsItsVectorWhenDue()
        {
            S.InterruptsOn();
            V.ArmTimer(1000, 0x20);
            V.PrepareEntry(999);
            Assert.Equal(0, S.Injections);
            V.PrepareEntry(1000);
            Assert.Equal(0x20, S.LastVector);
            Assert.Equal(Vcpu.NoDeadline, V.TimerDeadline);
        }

        [Fact]
        public void Hlt_WithInterruptsOnAndTimer_SleepsUntilTheDeadline_ThenWakes()
        {
            S.InterruptsOn();
            S[GuestRegister.Rip] = 0x500;
            V.ArmTimer(5000, 0x20);
            Assert.Equal(ExitAction.Halt, _t.Exit(VmExitKind.Hlt));
            Assert.Equal(0x501ul, S[GuestRegister.Rip]);                    // HLT is one byte
            Assert.True(V.IsHalted);
            Assert.Equal(5000ul, V.WakeDeadline);
            Assert.False(V.TryWake(4999));                                  // a spurious wake-up changes nothing
            Assert.True(V.TryWake(5000));
            V.PrepareEntry(5000);
            Assert.Equal(0x20, S.LastVector);
        }

        [Fact]
        public void Hlt_WithAnInterruptPending_RunsOn()
        {
            S.InterruptsOn();
            V.PostInterrupt(0x33);
            Assert.Equal(ExitAction.Resume, _t.Exit(VmExitKind.Hlt));
            Assert.False(V.IsHalted);
        }

        [Fact]
        public void Hlt_WithInterruptsOnAndNothingArmed_WaitsForAnEvent()
        {
            S.InterruptsOn();
            Assert.Equal(ExitAction.Halt, _t.Exit(VmExitKind.Hlt));
            Assert.Equal(Vcpu.NoDeadline, V.WakeDeadline);
            V.PostInterrupt(0x41);                                          // someone kicks it
            Assert.True(V.TryWake(0));
        }

        [Fact]
        public void Hlt_WithInterruptsOff_OnEveryVcpu_StopsTheVm()
        {
            Assert.Equal(ExitAction.Halt, _t.Exit(VmExitKind.Hlt));        // vCPU 0: IF = 0, but vCPU 1 still runs
            V.PostInterrupt(0x30);
            Assert.False(V.TryWake(0));                                     // IF = 0: interrupts cannot wake it
            Assert.False(_t.Vm.IsStopped);
            var e = new VmExit { Kind = VmExitKind.Hlt };
            Assert.Equal(ExitAction.Stop, _t.Vm.VcpuAt(1).HandleExit(ref e));
            Assert.Equal(VmStopReason.AllVcpusHalted, _t.Vm.StopReason);
        }
    }
}
