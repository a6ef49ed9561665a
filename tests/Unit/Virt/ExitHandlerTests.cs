using Hv.Virt;
using Xunit;

namespace Hv.Tests.Unit.Virt
{
    /// <summary>Vcpu.HandleExit per exit kind: registers, RIP, counters, the action returned.</summary>
    public class ExitHandlerTests
    {
        private readonly TestVm _t = new TestVm(vcpus: 2);

        [Fact]
        public void Cpuid_WritesFourRegisters_ZeroExtended_AndSkipsTwoBytes()
        {
            FakeVcpu s = _t.State;
            s[GuestRegister.Rip] = 0x7000;
            s[GuestRegister.Rax] = 0xDEAD_BEEF_4000_0000;              // upper half ignored, then cleared
            s[GuestRegister.Rbx] = ulong.MaxValue;
            Assert.Equal(ExitAction.Resume, _t.Exit(VmExitKind.Cpuid));
            Assert.Equal(0x4000_0001ul, s[GuestRegister.Rax]);
            Assert.Equal((ulong)CpuidPolicy.SignatureEbx, s[GuestRegister.Rbx]);
            Assert.Equal(0x7002ul, s[GuestRegister.Rip]);
            Assert.Equal(1ul, _t.Vcpu.Counters[VmExitKind.Cpuid]);
        }

        [Fact]
        public void Cpuid_SecondVcpu_SeesItsOwnApicId()
        {
            _t.States[1][GuestRegister.Rax] = 1;
            var e = new VmExit { Kind = VmExitKind.Cpuid };
            _t.Vm.VcpuAt(1).HandleExit(ref e);
            Assert.Equal(1ul, _t.States[1][GuestRegister.Rbx] >> 24);
            Assert.Equal(2ul, (_t.States[1][GuestRegister.Rbx] >> 16) & 0xFF);
        }

        [Fact]
        public void In_Unclaimed_ReadsAllOnes_MergedByWidth()
        {
            FakeVcpu s = _t.State;
            s[GuestRegister.Rax] = 0x1122_3344_5566_7788;
            VmExit b = TestVm.Io(VmExitKind.IoIn, 0x80, 1);
            Assert.Equal(ExitAction.Resume, _t.Vcpu.HandleExit(ref b));
            Assert.Equal(0x1122_3344_5566_77FFul, s[GuestRegister.Rax]);
            Assert.Equal(0xFFul, b.IoValue);
            VmExit w = TestVm.Io(VmExitKind.IoIn, 0x80, 2);
            _t.Vcpu.HandleExit(ref w);
            Assert.Equal(0x1122_3344_5566_FFFFul, s[GuestRegister.Rax]);
            VmExit d = TestVm.Io(VmExitKind.IoIn, 0x80, 4);
            _t.Vcpu.HandleExit(ref d);
            Assert.Equal(0xFFFF_FFFFul, s[GuestRegister.Rax]);            // 32-bit result zero-extends
            Assert.Equal(3ul, _t.Vcpu.Counters.UnclaimedIoReads);
            Assert.Equal(3ul, s[GuestRegister.Rip]);
        }

        [Fact]
        public void Out_ToDevice_AndUnclaimed()
        {
            var dev = new RecordingDevice();
            Assert.True(_t.Vm.TryRegisterIo(0x3F8, 8, dev, out _));
            VmExit e = TestVm.Io(VmExitKind.IoOut, 0x3F9, 2, 0xABCD, 2);
            Assert.Equal(ExitAction.Resume, _t.Vcpu.HandleExit(ref e));
            Assert.Equal(1ul, dev.LastOffset);
            Assert.Equal(0xABCDul, dev.LastWritten);
            VmExit u = TestVm.Io(VmExitKind.IoOut, 0x80, 1, 0x55);
            _t.Vcpu.HandleExit(ref u);
            Assert.Equal(1ul, _t.Vcpu.Counters.UnclaimedIoWrites);
            Assert.Equal(2ul, _t.Vcpu.Counters[VmExitKind.IoOut]);
        }

        [Fact]
        public void Io_WithoutInstructionLength_StopsTheVm()
        {
            VmExit e = TestVm.Io(VmExitKind.IoOut, 0x80, 1, 0, 0);
            Assert.Equal(ExitAction.Stop, _t.Vcpu.HandleExit(ref e));
            Assert.Equal(VmStopReason.HypervisorError, _t.Vm.StopReason);
            Assert.Contains("instruction length", _t.Vm.StopDetail);
        }

        [Theory]
        [InlineData(VmExitKind.TripleFault, VmStopReason.TripleFault)]
        [InlineData(VmExitKind.EptMisconfig, VmStopReason.HypervisorError)]
        [InlineData(VmExitKind.MemoryFault, VmStopReason.HypervisorError)]
        [InlineData(VmExitKind.CrAccess, VmStopReason.UnhandledExit)]
        [InlineData(VmExitKind.Init, VmStopReason.UnhandledExit)]
        [InlineData(VmExitKind.Unknown, VmStopReason.UnhandledExit)]
        public void FatalExits_StopTheVm(VmExitKind kind, VmStopReason reason)
        {
            Assert.Equal(ExitAction.Stop, _t.Exit(kind));
            Assert.Equal(reason, _t.Vm.StopReason);
            Assert.True(_t.Vm.IsStopped);
        }

        [Fact]
        public void EntryFailure_KeepsTheBackendsReason()
        {
            var e = new VmExit { Kind = VmExitKind.Invalid, RawReason = 33, EntryFailureReason = "invalid guest state: CR0" };
            Assert.Equal(ExitAction.Stop, _t.Vcpu.HandleExit(ref e));
            Assert.Equal(VmStopReason.EntryFailed, _t.Vm.StopReason);
            Assert.Equal(33ul, _t.Vm.StopCode);
            Assert.Equal("invalid guest state: CR0", _t.Vm.StopDetail);
        }

        [Fact]
        public void HostEvents_Resume_AndAreCounted()
        {
            Assert.Equal(ExitAction.Resume, _t.Exit(VmExitKind.ExternalInterrupt));
            Assert.Equal(ExitAction.Resume, _t.Exit(VmExitKind.Nmi));
            Assert.Equal(ExitAction.Resume, _t.Exit(VmExitKind.PreemptionTimer));
            Assert.Equal(3ul, _t.Vcpu.Counters.Total);
            Assert.Equal(0ul, _t.State[GuestRegister.Rip]);
        }

        [Fact]
        public void Hypercall_InjectsInvalidOpcode()
        {
            Assert.Equal(ExitAction.Resume, _t.Exit(VmExitKind.Hypercall, 3));
            Assert.Equal(6, _t.State.LastVector);
            Assert.False(_t.State.LastHasErrorCode);
            Assert.Equal(0ul, _t.State[GuestRegister.Rip]);
        }

        [Fact]
        public void InterceptedPageFault_IsReflected_WithCr2()
        {
            var e = new VmExit { Kind = VmExitKind.Exception, Vector = 14, HasErrorCode = true, ErrorCode = 6, GuestLinear = 0xDEAD_0000 };
            Assert.Equal(ExitAction.Resume, _t.Vcpu.HandleExit(ref e));
            Assert.Equal(0xDEAD_0000ul, _t.State[GuestRegister.Cr2]);
            Assert.Equal(14, _t.State.LastVector);
            Assert.Equal(6u, _t.State.LastErrorCode);
        }

        [Fact]
        public void Xsetbv_ChecksAndSetsXcr0()
        {
            FakeVcpu s = _t.State;
            s[GuestRegister.Rax] = 0x7;
            Assert.Equal(ExitAction.Resume, _t.Exit(VmExitKind.Xsetbv));
            Assert.Equal(6, s.LastVector);                                 // #UD: CR4.OSXSAVE is 0
            s.Deliver();
            s[GuestRegister.Cr4] = (ulong)Cr4Bits.OsXsave;
            Assert.Equal(ExitAction.Resume, _t.Exit(VmExitKind.Xsetbv));
            Assert.Equal(0x7ul, s[GuestRegister.Xcr0]);
            Assert.Equal(3ul, s[GuestRegister.Rip]);
            s[GuestRegister.Rax] = 0x207;                                  // PKRU: not offered
            _t.Exit(VmExitKind.Xsetbv);
            Assert.Equal(13, s.LastVector);
            Assert.Equal(0x7ul, s[GuestRegister.Xcr0]);
        }
    }
}
