using Hv.Virt;
using Hv.Virt.Vmx;
using Xunit;

namespace Hv.Tests.Unit.Vmx
{
    /// <summary>Every handled exit reason, decoded from a fake VMCS into the neutral VmExit.</summary>
    public unsafe class ExitDecodingTests
    {
        [Theory]
        [InlineData(VmxExitReason.Cpuid, VmExitKind.Cpuid, 2u)]
        [InlineData(VmxExitReason.Hlt, VmExitKind.Hlt, 1u)]
        [InlineData(VmxExitReason.Vmcall, VmExitKind.Hypercall, 3u)]
        [InlineData(VmxExitReason.Xsetbv, VmExitKind.Xsetbv, 3u)]
        [InlineData(VmxExitReason.PreemptionTimerExpired, VmExitKind.PreemptionTimer, 0u)]
        [InlineData(VmxExitReason.TripleFault, VmExitKind.TripleFault, 0u)]
        [InlineData(VmxExitReason.InitSignal, VmExitKind.Init, 0u)]
        [InlineData(VmxExitReason.Wbinvd, VmExitKind.Unknown, 2u)]
        public void SimpleExits(VmxExitReason reason, VmExitKind kind, uint length)
        {
            using var r = new ExitRig();
            r.Set(VmcsField.GuestRip, 0x10_0040).Exit(reason, 0, length);

            Assert.False(r.Decode(out VmExit e));
            Assert.Equal(kind, e.Kind);
            Assert.Equal((uint)reason, e.RawReason);
            Assert.Equal(0x10_0040ul, e.GuestRip);
            Assert.Equal(length, e.InstructionLength);
        }

        [Fact]
        public void PageFault_CarriesVectorErrorCodeAndAddress()
        {
            using var r = new ExitRig();
            r.Exit(VmxExitReason.ExceptionOrNmi, 0xDEAD_B000)
             .Set(VmcsField.ExitInterruptionInfo, InterruptionInfo.Make(InterruptionType.HardwareException, 14, true).Raw)
             .Set(VmcsField.ExitInterruptionErrorCode, 6);

            r.Decode(out VmExit e);

            Assert.Equal(VmExitKind.Exception, e.Kind);
            Assert.Equal(14, e.Vector);
            Assert.True(e.HasErrorCode);
            Assert.Equal(6u, e.ErrorCode);
            Assert.Equal(0xDEAD_B000ul, e.Qualification);
        }

        [Fact]
        public void HostNmi_IsNmi()
        {
            using var r = new ExitRig();
            r.Exit(VmxExitReason.ExceptionOrNmi).Set(VmcsField.ExitInterruptionInfo, InterruptionInfo.Make(InterruptionType.Nmi, 2, false).Raw);

            r.Decode(out VmExit e);

            Assert.Equal(VmExitKind.Nmi, e.Kind);
        }

        [Fact]
        public void Breakpoint_ReportsItsInstructionLength()
        {
            using var r = new ExitRig();
            r.Exit(VmxExitReason.ExceptionOrNmi, 0, 1).Set(VmcsField.ExitInterruptionInfo, InterruptionInfo.Make(InterruptionType.SoftwareException, 3, false).Raw);

            r.Decode(out VmExit e);

            Assert.Equal(3, e.Vector);
            Assert.Equal(1, e.InstructionLength);
        }

        [Fact]
        public void ExternalInterrupt_WithoutAck_HasNoVector()
        {
            using var r = new ExitRig();
            r.Exit(VmxExitReason.ExternalInterrupt);

            Assert.False(r.Decode(out VmExit e));
            Assert.Equal(VmExitKind.ExternalInterrupt, e.Kind);
            Assert.Equal(0, e.Vector);
        }

        [Fact]
        public void InterruptWindow_TurnsTheWindowRequestOff()
        {
            using var r = new ExitRig();
            r.State.RequestInterruptWindow(true);
            Assert.True((r.V.Peek(VmcsField.PrimaryProcBasedControls) & 4) != 0);
            r.Exit(VmxExitReason.InterruptWindow);

            r.Decode(out VmExit e);

            Assert.Equal(VmExitKind.InterruptWindow, e.Kind);
            Assert.Equal(0ul, r.V.Peek(VmcsField.PrimaryProcBasedControls) & 4);
        }

        [Fact]
        public void Sipi_StartsTheVcpuAtTheVectorPage()
        {
            using var r = new ExitRig(StartMode.WaitForSipi);
            r.Exit(VmxExitReason.StartupIpi, 0x10);

            r.Decode(out VmExit e);

            Assert.Equal(VmExitKind.Sipi, e.Kind);
            Assert.Equal(0x10, e.Vector);
            Assert.Equal(0x1000ul, r.V.Peek(VmcsField.GuestCsSelector));
            Assert.Equal(0x1_0000ul, r.V.Peek(VmcsField.GuestCsBase));
            Assert.Equal((ulong)ActivityState.Active, r.V.Peek(VmcsField.GuestActivityState));
        }

        [Fact]
        public void Rdmsr_Wrmsr_TakeTheMsrFromEcx()
        {
            using var r = new ExitRig();
            r.Regs->Gpr[(int)GuestRegister.Rcx] = 0xFFFF_FFFF_C000_0080;
            r.Exit(VmxExitReason.Rdmsr, 0, 2);
            r.Decode(out VmExit e);
            Assert.Equal(VmExitKind.MsrRead, e.Kind);
            Assert.Equal(0xC000_0080u, e.Msr);

            r.Exit(VmxExitReason.Wrmsr, 0, 2);
            r.Decode(out e);
            Assert.Equal(VmExitKind.MsrWrite, e.Kind);
            Assert.Equal(2, e.InstructionLength);
        }

        [Fact]
        public void EptMisconfiguration_ReportsTheAddress()
        {
            using var r = new ExitRig();
            r.Exit(VmxExitReason.EptMisconfiguration).Set(VmcsField.GuestPhysicalAddress, 0x1234_5000);

            r.Decode(out VmExit e);

            Assert.Equal(VmExitKind.EptMisconfig, e.Kind);
            Assert.Equal(0x1234_5000ul, e.GuestPhysical);
        }

        [Fact]
        public void ExitDuringEventDelivery_ReinjectsTheEvent()
        {
            using var r = new ExitRig();
            r.Exit(VmxExitReason.EptViolation, 2)
             .Set(VmcsField.GuestPhysicalAddress, 0xFEE0_00B0)
             .Set(VmcsField.IdtVectoringInfo, InterruptionInfo.Make(InterruptionType.HardwareException, 14, true).Raw)
             .Set(VmcsField.IdtVectoringErrorCode, 2);

            r.Decode(out VmExit e);

            Assert.True(r.State.InjectionPending);
            Assert.Equal(InterruptionInfo.Make(InterruptionType.HardwareException, 14, true).Raw, r.V.Peek(VmcsField.EntryInterruptionInfo));
            Assert.Equal(2ul, r.V.Peek(VmcsField.EntryExceptionErrorCode));
            Assert.False(r.State.Inject(EventType.ExternalInterrupt, 0x30, false, 0));
            Assert.Empty(r.Rig.Check());
        }
    }
}
