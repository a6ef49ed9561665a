using Hv.Virt;
using Hv.Virt.Vmx;
using Xunit;

namespace Hv.Tests.Unit.Vmx
{
    /// <summary>
    /// The exit path's shortcuts stay exact: the instruction-length set, and the RIP /
    /// interruptibility copies the world switch saves at each exit (VmxGuestRegisters.Rip) and the
    /// RIP it writes back at the next entry.
    /// </summary>
    public unsafe class ExitStateCacheTests
    {
        /// <summary>SDM Vol. 3C "Information for VM Exits Due to Instruction Execution": the reasons with a defined length.</summary>
        private static readonly VmxExitReason[] InstructionExits =
        {
            VmxExitReason.Cpuid, VmxExitReason.Getsec, VmxExitReason.Hlt, VmxExitReason.Invd, VmxExitReason.Invlpg,
            VmxExitReason.Rdpmc, VmxExitReason.Rdtsc, VmxExitReason.Vmcall, VmxExitReason.Vmclear, VmxExitReason.Vmlaunch,
            VmxExitReason.Vmptrld, VmxExitReason.Vmptrst, VmxExitReason.Vmread, VmxExitReason.Vmresume, VmxExitReason.Vmwrite,
            VmxExitReason.Vmxoff, VmxExitReason.Vmxon, VmxExitReason.CrAccess, VmxExitReason.MovDr, VmxExitReason.IoInstruction,
            VmxExitReason.Rdmsr, VmxExitReason.Wrmsr, VmxExitReason.Mwait, VmxExitReason.Monitor, VmxExitReason.Pause,
            VmxExitReason.Invept, VmxExitReason.Rdtscp, VmxExitReason.Invvpid, VmxExitReason.Wbinvd, VmxExitReason.Xsetbv,
            VmxExitReason.Rdrand, VmxExitReason.Invpcid, VmxExitReason.Rdseed, VmxExitReason.Xsaves, VmxExitReason.Xrstors,
        };

        [Fact]
        public void ReportsInstructionLength_IsExactlyTheInstructionExits()
        {
            for (int n = 0; n <= 0xFFFF; n++)
            {
                var reason = (VmxExitReason)n;
                Assert.Equal(System.Array.IndexOf(InstructionExits, reason) >= 0, VmxExitDecoder.ReportsInstructionLength(reason));
            }
        }

        [Fact]
        public void AdvancedRip_StaysInTheSaveArea_UntilTheEntryWritesItBack()
        {
            using var r = new ExitRig();
            r.Set(VmcsField.GuestRip, 0x10_0000).Exit(VmxExitReason.Cpuid, 0, 2).Decode(out _);

            r.State.AdvanceRip(2);

            Assert.Equal(0x10_0002ul, r.State.Get(GuestRegister.Rip));
            Assert.Equal(0x10_0000ul, r.V.Peek(VmcsField.GuestRip));        // not yet
            Assert.Equal(0x10_0002ul, r.Enter().V.Peek(VmcsField.GuestRip));
            Assert.Equal(0ul, r.Regs->Dirty);
        }

        [Fact]
        public void SetRip_AfterAnExit_IsWrittenBackToo()
        {
            using var r = new ExitRig();
            r.Set(VmcsField.GuestRip, 0x10_0000).Exit(VmxExitReason.Vmcall, 0, 3).Decode(out _);

            r.State.Set(GuestRegister.Rip, 0x20_0000);
            r.State.AdvanceRip(3);

            Assert.Equal(0x20_0003ul, r.Enter().V.Peek(VmcsField.GuestRip));
        }

        [Fact]
        public void BeforeAnyExit_RipAndInterruptibilityGoStraightToTheVmcs()
        {
            using var r = new ExitRig();
            r.V.Write(VmcsField.GuestRip, 0x10_0000);
            r.V.Write(VmcsField.GuestInterruptibility, (ulong)Interruptibility.BlockingByMovSs);

            r.State.AdvanceRip(4);

            Assert.Equal(0x10_0004ul, r.V.Peek(VmcsField.GuestRip));
            Assert.Equal(0ul, r.V.Peek(VmcsField.GuestInterruptibility));
            Assert.Equal(0ul, r.Regs->Dirty);
        }

        [Fact]
        public void ShadowAtTheExit_IsClearedInTheVmcs_WhenTheInstructionCompletes()
        {
            using var r = new ExitRig();
            r.Set(VmcsField.GuestInterruptibility, (ulong)(Interruptibility.BlockingBySti | Interruptibility.BlockingByNmi))
             .Exit(VmxExitReason.Cpuid, 0, 2).Decode(out _);

            r.State.AdvanceRip(2);

            Assert.Equal((ulong)Interruptibility.BlockingByNmi, r.V.Peek(VmcsField.GuestInterruptibility));
            r.State.Set(GuestRegister.Rflags, 0x202);
            Assert.True(r.State.CanInjectInterrupt());                      // reads the updated copy
        }

        [Fact]
        public void SipiExit_RipComesFromTheStartState_NotFromTheExit()
        {
            using var r = new ExitRig();
            r.Set(VmcsField.GuestRip, 0x10_0002).Set(VmcsField.GuestActivityState, (ulong)ActivityState.WaitForSipi)
             .Exit(VmxExitReason.StartupIpi, 0x9A).Decode(out VmExit e);

            Assert.Equal(VmExitKind.Sipi, e.Kind);
            Assert.Equal(0ul, r.State.Get(GuestRegister.Rip));               // the start state's IP, from the VMCS
            Assert.Equal(0ul, r.Enter().V.Peek(VmcsField.GuestRip));
        }

        [Fact]
        public void ForgetExitState_DropsThePendingRipWriteBack()
        {
            using var r = new ExitRig();
            r.Set(VmcsField.GuestRip, 0x10_0000).Exit(VmxExitReason.Cpuid, 0, 2).Decode(out _);
            r.State.AdvanceRip(2);                                           // dirty, not yet written back

            r.V.Write(VmcsField.GuestRip, 0xFFF0);                           // INIT: a start state written directly
            r.State.ForgetExitState();

            Assert.Equal(0xFFF0ul, r.State.Get(GuestRegister.Rip));
            Assert.Equal(0xFFF0ul, r.Enter().V.Peek(VmcsField.GuestRip));    // not undone by the old RIP
        }
    }
}
