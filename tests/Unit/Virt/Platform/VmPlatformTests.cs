using Hv.Devices.Platform;
using Hv.Tests.Unit.Virt;
using Hv.Virt;
using Hv.Virt.Platform;
using Xunit;

namespace Hv.Tests.Unit.Virt.Platform
{
    /// <summary>The platform glue: IRQ routing, the APIC bus, device time, and a vCPU's delivery through its LAPIC.</summary>
    public class VmPlatformTests
    {
        private sealed class Rig
        {
            public readonly TestVm T;
            public readonly FakeClock Clock = new FakeClock();
            public readonly RecordingKicker Kicker = new RecordingKicker();
            public readonly VmPlatform P;
            public readonly FakeApic[] Apics;
            public readonly FakePic Pic = new FakePic();
            public readonly FakeIoapic Ioapic = new FakeIoapic();

            public Rig(int vcpus = 2)
            {
                T = new TestVm(vcpus);
                P = new VmPlatform(Clock, 1_000_000_000, vcpus, Kicker);   // 1 tick = 1 ns
                P.SetInterruptControllers(Pic, Ioapic);
                Apics = new FakeApic[vcpus];
                for (int i = 0; i < vcpus; i++)
                {
                    Apics[i] = new FakeApic((uint)i);
                    P.SetApic(i, Apics[i]);
                    Assert.True(T.Vm.VcpuAt(i).AttachPlatform(P, Apics[i]));
                }
            }
        }

        [Fact]
        public void Irq0_GoesToThePicAndToIoapicPin2_OthersToTheirOwnPin()
        {
            var r = new Rig();
            r.P.SetLevel(0, true);
            r.P.SetLevel(4, true);
            r.P.SetLevel(20, true);                        // beyond the PIC: IOAPIC only
            Assert.True(r.Pic.Lines[0]);
            Assert.True(r.Pic.Lines[4]);
            Assert.Equal(new[] { (2, true), (4, true), (20, true) }, r.Ioapic.Pins);
            r.P.IntrChanged(true);                         // what the PIC model calls when INTR rises
            Assert.Equal(new[] { 0 }, r.Kicker.Kicks);     // the BSP is kicked (virtual wire)
            r.P.SetLevel(24, true);                        // no such line: ignored
            r.P.SetLevel(-1, true);
            Assert.Equal(3, r.Ioapic.Pins.Count);
        }

        [Fact]
        public void Send_PhysicalDestination_ReachesOneApicAndKicksIt()
        {
            var r = new Rig();
            r.P.Send(new ApicMessage { Vector = 0x41, Mode = ApicDeliveryMode.Fixed, Destination = 1, SourceApicId = uint.MaxValue });
            Assert.Empty(r.Apics[0].Accepted);
            Assert.Single(r.Apics[1].Accepted);
            Assert.Equal(new[] { 1 }, r.Kicker.Kicks);
        }

        [Fact]
        public void Send_Shorthands_AndLowestPriorityTakesOne()
        {
            var r = new Rig(3);
            r.P.Send(new ApicMessage { Vector = 0xFD, Shorthand = ApicShorthand.AllExcludingSelf, SourceApicId = 1 });
            Assert.Single(r.Apics[0].Accepted);
            Assert.Empty(r.Apics[1].Accepted);
            Assert.Single(r.Apics[2].Accepted);
            r.P.Send(new ApicMessage { Vector = 0xFC, Shorthand = ApicShorthand.Self, SourceApicId = 1 });
            Assert.Single(r.Apics[1].Accepted);
            r.P.Send(new ApicMessage { Vector = 0x30, Mode = ApicDeliveryMode.LowestPriority, Destination = 0xFF });
            Assert.Equal(2, r.Apics[0].Accepted.Count);
            Assert.Single(r.Apics[2].Accepted.FindAll(m => m.Vector == 0x30 || m.Vector == 0xFD));
        }

        [Fact]
        public void Eoi_ReachesTheIoapicUnderTheLock()
        {
            var r = new Rig();
            r.P.BroadcastEoi(0x31);
            Assert.Equal(new byte[] { 0x31 }, r.Ioapic.Eois);
            Assert.False(r.P.Lock.IsHeld);
        }

        [Fact]
        public void Poll_AdvancesOnlyDueDevices_AndTracksTheEarliestDeadline()
        {
            var r = new Rig();
            var a = new FakeTimed { Next = 500 };
            var b = new FakeTimed { Next = 900 };
            Assert.True(r.P.AddTimed(a));
            Assert.True(r.P.AddTimed(b));
            r.P.Lock.Enter();
            r.P.DevicesChangedLocked();
            r.P.Lock.Exit();
            Assert.Equal(500ul, r.P.NextDeadlineNs);
            r.P.Poll(100);
            Assert.Equal(0, a.Advances);
            r.P.Poll(600);
            Assert.Equal(1, a.Advances);
            Assert.Equal(0, b.Advances);
            Assert.Equal(900ul, r.P.NextDeadlineNs);
        }

        [Fact]
        public void NsToTicks_DoesNotOverflowForLongUptimes()
        {
            var p = new VmPlatform(new FakeClock(), 3_000_000_000, 1, null);
            Assert.Equal(3_000_000_000ul * 100_000, p.NsToTicks(100_000ul * 1_000_000_000));   // a day and more
            Assert.Equal(ulong.MaxValue, p.NsToTicks(Deadline.None));
            Assert.Equal(1500ul, p.NsToTicks(500));
            // Deadlines are absolute run-loop times: the clock's origin is added (the kernel's TSC at VM creation).
            var q = new VmPlatform(new FakeClock(), 1_000_000_000, 1, null, 7_000_000);
            Assert.Equal(7_000_500ul, q.NsToTicks(500));
            Assert.Equal(ulong.MaxValue, q.NsToTicks(Deadline.None));
        }

        [Fact]
        public void Entry_InjectsTheApicsHighestVector_AndAcknowledgesIt()
        {
            var r = new Rig(1);
            r.T.State.InterruptsOn();
            r.Apics[0].Irr.Add(0x41);
            r.Apics[0].Irr.Add(0x61);
            r.T.Vcpu.PrepareEntry(0);
            Assert.Equal(0x61, r.T.State.LastVector);
            Assert.Equal(new byte[] { 0x61 }, r.Apics[0].Acked);
            Assert.True(r.T.State.WindowRequested);          // 0x41 still waits: the window is asked for
        }

        [Fact]
        public void Entry_WithInterruptsOff_AsksForTheWindowAndInjectsNothing()
        {
            var r = new Rig(1);
            r.Apics[0].Irr.Add(0x41);
            r.T.Vcpu.PrepareEntry(0);
            Assert.Equal(0, r.T.State.Injections);
            Assert.Empty(r.Apics[0].Acked);
            Assert.True(r.T.State.WindowRequested);
        }

        [Fact]
        public void ExtInt_ThePicsVectorGoesFirst_WhenLint0IsInExtIntMode()
        {
            var r = new Rig(1);
            r.T.State.InterruptsOn();
            r.Apics[0].ExtInt = true;
            r.Apics[0].Irr.Add(0x41);
            r.Pic.SetIrq(4, true);
            r.T.Vcpu.PrepareEntry(0);
            Assert.Equal(0x34, r.T.State.LastVector);        // PIC base 0x30 + IRQ 4, acknowledged by INTA
            Assert.False(r.Pic.Lines[4]);
            Assert.Empty(r.Apics[0].Acked);
        }

        [Fact]
        public void Nmi_IsInjectedAsAnNmiEvent()
        {
            var r = new Rig(1);
            r.Apics[0].Nmi = true;
            r.T.Vcpu.PrepareEntry(0);
            Assert.Equal(EventType.Nmi, r.T.State.LastType);
            Assert.Equal(2, r.T.State.LastVector);
            Assert.Equal(1ul, r.T.Vcpu.Counters.InjectedNmis);
        }

        [Fact]
        public void ApicTimer_FiresAtEntryWhenDue()
        {
            var r = new Rig(1);
            r.T.State.InterruptsOn();
            r.Apics[0].Deadline = 1000;
            r.Clock.Ns = 999;
            r.T.Vcpu.PrepareEntry(0);
            Assert.Equal(0, r.T.State.Injections);
            r.Clock.Ns = 1000;
            r.T.Vcpu.PrepareEntry(0);
            Assert.Equal(0xEC, r.T.State.LastVector);
        }

        [Fact]
        public void Hlt_SleepsUntilTheApicTimer_ThenRuns()
        {
            var r = new Rig(1);
            r.T.State.InterruptsOn();
            r.Apics[0].Deadline = 5000;
            Assert.Equal(ExitAction.Halt, r.T.Exit(VmExitKind.Hlt, 1));
            Assert.Equal(5000ul, r.T.Vcpu.WakeDeadline);     // 1 tick = 1 ns in this rig
            Assert.False(r.T.Vcpu.TryWake(0));
            r.Clock.Ns = 5000;
            Assert.True(r.T.Vcpu.TryWake(5000));
        }

        [Fact]
        public void ApWaitingForSipi_SleepsUntilTheBspsSipi_ThenTheBackendGetsIt()
        {
            var r = new Rig(2);
            Vcpu ap = r.T.Vm.VcpuAt(1);
            var exit = new VmExit { Kind = VmExitKind.Init };
            Assert.Equal(ExitAction.Halt, ap.HandleExit(ref exit));
            Assert.False(ap.TryWake(0));
            Assert.Equal(Vcpu.NoDeadline, ap.WakeDeadline);
            // The BSP's ICR: INIT, then SIPI with vector 0x9A.
            r.P.Send(new ApicMessage { Mode = ApicDeliveryMode.Init, Destination = 1, Assert = true });
            r.P.Send(new ApicMessage { Mode = ApicDeliveryMode.StartUp, Vector = 0x9A, Destination = 1 });
            Assert.True(ap.TryWake(0));
            var backend = new ScriptedBackend(r.T.States[1]);
            ap.TakeStartupSignals(backend);
            Assert.Equal(1, backend.Inits);
            Assert.Equal(new byte[] { 0x9A }, backend.Sipis);
            Assert.Equal(1ul, ap.Counters.StartupIpis);
        }

        [Fact]
        public void InitExit_WithoutAnApic_StopsTheVm()
        {
            var t = new TestVm();
            Assert.Equal(ExitAction.Stop, t.Exit(VmExitKind.Init));
            Assert.Equal(VmStopReason.UnhandledExit, t.Vm.StopReason);
        }
    }
}

namespace Hv.Tests.Unit.Virt.Platform
{
    /// <summary>MSRs and CPUID of a vCPU with a LAPIC.</summary>
    public class VcpuApicPolicyTests
    {
        [Fact]
        public void ApicOwnedMsrs_GoToTheApic_OthersToThePolicy()
        {
            var t = new TestVm();
            var apic = new FakeApic(0);
            Assert.True(t.Vcpu.AttachPlatform(new VmPlatform(new FakeClock(), 1, 1, null), apic));
            Assert.Equal(MsrResult.Handled, MsrPolicy.Read(t.Vcpu, 0x1B, out ulong v));
            Assert.Equal(0ul, v);                                     // the fake's value, not MsrStore's 0xFEE00900
            Assert.Equal(MsrResult.InjectGp, MsrPolicy.Read(t.Vcpu, 0x6E0, out _));   // not the fake's: policy hides it
        }

        [Fact]
        public void Leaf1_OffersX2ApicAndTscDeadline_OnlyWithTheVirtualApic()
        {
            var host = new CpuidRegs(0, 0, 0, 0);
            var ctx = new CpuidContext { Profile = new TestVm().Vm.Cpuid, VcpuCount = 1 };
            uint without = CpuidPolicy.Apply(1, 0, host, in ctx).Ecx;
            ctx.VirtualApic = true;
            uint with = CpuidPolicy.Apply(1, 0, host, in ctx).Ecx;
            Assert.Equal(0u, without & ((1u << 21) | (1u << 24)));
            Assert.Equal((1u << 21) | (1u << 24), with & ((1u << 21) | (1u << 24)));
        }
    }
}
