using System.Collections.Generic;
using Hv.Devices;
using Hv.Virt;
using Xunit;

namespace Hv.Tests.Unit.Virt
{
    /// <summary>A backend that plays a script of exits; each entry "delivers" the queued event.</summary>
    internal sealed class ScriptedBackend : IBackendVcpu
    {
        private readonly FakeVcpu _state;
        private readonly VmExit[] _script;
        private int _next;
        public readonly List<byte> Delivered = new List<byte>();
        public int Entries;

        public ScriptedBackend(FakeVcpu state, params VmExit[] script)
        {
            _state = state;
            _script = script;
        }

        public IVcpuState State => _state;
        public int Inits;
        public readonly List<byte> Sipis = new List<byte>();

        public void DeliverInit() => Inits++;
        public void DeliverSipi(byte vector) => Sipis.Add(vector);

        public void Run(ref VmExit exit)
        {
            Entries++;
            if (_state.EventPending)
            {
                Delivered.Add(_state.LastVector);
                _state.Deliver();
            }
            exit = _next < _script.Length ? _script[_next++] : new VmExit { Kind = VmExitKind.TripleFault };
        }
    }

    internal sealed class FakeHost : IVcpuHost
    {
        public ulong Clock;
        public readonly List<ulong> Waits = new List<ulong>();
        public int Preempts, Entries, Exits;
        public bool RefuseNextEntry;

        public ulong Now() => Clock;

        public void Wait(Vcpu vcpu, ulong deadline)
        {
            Waits.Add(deadline);
            if (deadline != Vcpu.NoDeadline)
                Clock = deadline;                                 // time passes while asleep
            else
                vcpu.PostInterrupt(0x41);                         // someone else wakes it
        }

        public void PreemptPoint() => Preempts++;

        public bool BeginEntry()
        {
            if (RefuseNextEntry)
            {
                RefuseNextEntry = false;
                return false;
            }
            Entries++;
            return true;
        }

        public void EndEntry() => Exits++;

        public readonly List<ulong> GuestDeadlines = new List<ulong>();
        public void ArmGuestDeadline(ulong deadline) => GuestDeadlines.Add(deadline);
    }

    /// <summary>The abstract vCPU loop with a scripted backend.</summary>
    public class RunLoopTests
    {
        [Fact]
        public void RunsUntilTheGuestWritesTheDebugExitPort()
        {
            var t = new TestVm();
            Assert.True(t.Vm.TryRegisterIo(0xF4, 4, new DebugExitDevice(t.Vm), out _));
            Assert.True(t.Vm.Start());
            var backend = new ScriptedBackend(t.State,
                new VmExit { Kind = VmExitKind.Cpuid },
                new VmExit { Kind = VmExitKind.ExternalInterrupt },
                TestVm.Io(VmExitKind.IoOut, 0xF4, 1, 0x2A),
                new VmExit { Kind = VmExitKind.Cpuid });          // never reached
            var host = new FakeHost { RefuseNextEntry = true };
            VcpuRunLoop.Run(t.Vcpu, backend, host);
            Assert.Equal(3, backend.Entries);
            Assert.Equal(VmStopReason.DebugExit, t.Vm.StopReason);
            Assert.Equal(42ul, t.Vm.StopCode);
            Assert.Equal(host.Entries, host.Exits);               // interrupts always re-enabled
            Assert.Equal(1, host.Preempts);                       // the refused entry went to the preemption point, the others did not
        }

        [Fact]
        public void HltWithTimer_SleepsUntilTheDeadline_ThenTheTimerInterruptIsInjected()
        {
            var t = new TestVm();
            t.State.InterruptsOn();
            t.Vcpu.ArmTimer(7000, 0x20);
            var backend = new ScriptedBackend(t.State,
                new VmExit { Kind = VmExitKind.Hlt },
                new VmExit { Kind = VmExitKind.Hlt },             // IF still on, nothing armed: waits for an event
                new VmExit { Kind = VmExitKind.TripleFault });
            var host = new FakeHost { Clock = 100 };
            VcpuRunLoop.Run(t.Vcpu, backend, host);
            Assert.Equal(new[] { 7000ul, Vcpu.NoDeadline }, host.Waits);
            Assert.Equal(new byte[] { 0x20, 0x41 }, backend.Delivered);
            Assert.Equal(VmStopReason.TripleFault, t.Vm.StopReason);
        }

        [Fact]
        public void HaltTestTimer_WakesEachHltWithInterruptsOn()
        {
            var t = new TestVm();
            t.State.InterruptsOn();
            t.Vcpu.SetHaltTestTimer(1000, 0x20);
            var backend = new ScriptedBackend(t.State,
                new VmExit { Kind = VmExitKind.Hlt },
                new VmExit { Kind = VmExitKind.Hlt },
                new VmExit { Kind = VmExitKind.Hlt },
                new VmExit { Kind = VmExitKind.TripleFault });
            var host = new FakeHost { Clock = 50 };
            VcpuRunLoop.Run(t.Vcpu, backend, host);
            Assert.Equal(new[] { 1050ul, 2050ul, 3050ul }, host.Waits);
            Assert.Equal(new byte[] { 0x20, 0x20, 0x20 }, backend.Delivered);
            Assert.Equal(3ul, t.State[GuestRegister.Rip]);                 // each HLT completed before the wake
        }

        [Fact]
        public void StoppedVm_IsNeverEntered()
        {
            var t = new TestVm();
            t.Vm.Stop(VmStopReason.Host, 0, null);
            var backend = new ScriptedBackend(t.State);
            VcpuRunLoop.Run(t.Vcpu, backend, new FakeHost());
            Assert.Equal(0, backend.Entries);
        }

        [Fact]
        public void StopListener_HearsOnce()
        {
            var t = new TestVm();
            var listener = new CountingListener();
            t.Vm.StopListener = listener;
            t.Exit(VmExitKind.TripleFault);
            t.Vm.Stop(VmStopReason.Host, 0, null);
            Assert.Equal(1, listener.Calls);
        }

        private sealed class CountingListener : IVmStopListener
        {
            public int Calls;
            public void VmStopped(Vm vm) => Calls++;
        }
    }
}
