using Hv.Virt;
using Hv.Virt.Caps;
using Hv.Virt.Svm;
using Xunit;

namespace Hv.Tests.Unit.Svm
{
    /// <summary>EXITCODE/EXITINFO in a fake VMCB -> neutral VmExit (APM Vol. 2 Appendix C, §15.10.2, §15.11, §15.25.6).</summary>
    public unsafe class ExitDecodeTests
    {
        private const ulong Rip = 0x10_0000;
        private readonly SvmTestVm _vm = new SvmTestVm();

        private VmExit Exit(SvmExitCode code, ulong info1 = 0, ulong info2 = 0, SvmVcpu vcpu = null)
        {
            vcpu ??= _vm.Create(StartMode.ProtectedFlat32, Rip);
            _vm.Host.ThenExit(code, info1, info2);
            return SvmTestVm.RunOnce(vcpu);
        }

        [Theory]
        [InlineData(SvmExitCode.Intr, VmExitKind.ExternalInterrupt)]
        [InlineData(SvmExitCode.Smi, VmExitKind.ExternalInterrupt)]
        [InlineData(SvmExitCode.Nmi, VmExitKind.Nmi)]
        [InlineData(SvmExitCode.Init, VmExitKind.Init)]
        [InlineData(SvmExitCode.Vintr, VmExitKind.InterruptWindow)]
        [InlineData(SvmExitCode.Shutdown, VmExitKind.TripleFault)]
        [InlineData(SvmExitCode.Rdpru, VmExitKind.Unknown)]
        [InlineData(SvmExitCode.Rdtsc, VmExitKind.Unknown)]
        [InlineData(SvmExitCode.TaskSwitch, VmExitKind.Unknown)]
        public void EventExits_MapToTheirKind(SvmExitCode code, VmExitKind kind)
        {
            VmExit exit = Exit(code, 0x55);
            Assert.Equal(kind, exit.Kind);
            Assert.Equal((uint)code, exit.RawReason);
            Assert.Equal(0x55ul, exit.Qualification);
            Assert.Equal(Rip, exit.GuestRip);
        }

        [Theory]
        [InlineData(SvmExitCode.Cpuid, VmExitKind.Cpuid, new byte[] { 0x0F, 0xA2 }, 2)]
        [InlineData(SvmExitCode.Hlt, VmExitKind.Hlt, new byte[] { 0xF4 }, 1)]
        [InlineData(SvmExitCode.Vmmcall, VmExitKind.Hypercall, new byte[] { 0x0F, 0x01, 0xD9 }, 3)]
        [InlineData(SvmExitCode.Xsetbv, VmExitKind.Xsetbv, new byte[] { 0x0F, 0x01, 0xD1 }, 3)]
        [InlineData(SvmExitCode.Cpuid, VmExitKind.Cpuid, new byte[] { 0x66, 0x0F, 0xA2 }, 3)]
        [InlineData(SvmExitCode.Cpuid, VmExitKind.Cpuid, new byte[] { 0x2E, 0xF3, 0x0F, 0xA2 }, 4)]
        // More prefixes than the first read (opcode + 2 bytes) holds: read again in full.
        [InlineData(SvmExitCode.Cpuid, VmExitKind.Cpuid, new byte[] { 0x66, 0x2E, 0xF3, 0x0F, 0xA2 }, 5)]
        [InlineData(SvmExitCode.Hlt, VmExitKind.Hlt, new byte[] { 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0xF4 }, 8)]
        [InlineData(SvmExitCode.Vmmcall, VmExitKind.Hypercall, new byte[] { 0x3E, 0x3E, 0x3E, 0x0F, 0x01, 0xD9 }, 6)]
        [InlineData(SvmExitCode.Cpuid, VmExitKind.Cpuid, new byte[] { 0x48, 0x0F, 0xA2 }, 0)]  // REX is DEC EAX in 32-bit code
        [InlineData(SvmExitCode.Cpuid, VmExitKind.Cpuid, new byte[] { 0x90, 0x90 }, 0)]        // not CPUID: decode it
        public void InstructionExits_LengthFromTheBytesAtRip(SvmExitCode code, VmExitKind kind, byte[] bytes, int length)
        {
            _vm.Poke(Rip, bytes);
            VmExit exit = Exit(code);
            Assert.Equal(kind, exit.Kind);
            Assert.Equal(length, exit.InstructionLength);
        }

        [Fact]
        public void WithNripSave_LengthIsNextRipMinusRip()
        {
            var vm = new SvmTestVm(SvmFeatureFlags.NestedPaging | SvmFeatureFlags.NRipSave);
            SvmVcpu vcpu = vm.Create(StartMode.ProtectedFlat32, Rip);
            vm.Host.Then((v, g) => { v->Control.ExitCode = (ulong)SvmExitCode.Cpuid; v->Control.NextRip = Rip + 3; });
            Assert.Equal(3, SvmTestVm.RunOnce(vcpu).InstructionLength);   // no bytes at RIP needed
        }

        [Fact]
        public void Cpuid_AtTheResetVector_FetchesThroughCsBase()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ResetVector);
            _vm.Poke(0xFFFF_FFF0, 0x0F, 0xA2);
            VmExit exit = Exit(SvmExitCode.Cpuid, vcpu: vcpu);
            Assert.Equal(0xFFF0ul, exit.GuestRip);
            Assert.Equal(2, exit.InstructionLength);
        }

        [Fact]
        public void Cpuid_WhoseBytesAreNotRam_HasUnknownLength()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32, 0xFEE0_0000);
            Assert.Equal(0, Exit(SvmExitCode.Cpuid, vcpu: vcpu).InstructionLength);
        }

        [Theory]
        [InlineData(0ul, VmExitKind.MsrRead, new byte[] { 0x0F, 0x32 })]
        [InlineData(1ul, VmExitKind.MsrWrite, new byte[] { 0x0F, 0x30 })]
        public void Msr_ReadOrWriteFromExitInfo1_MsrFromEcx(ulong info1, VmExitKind kind, byte[] bytes)
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32, Rip);
            vcpu.Set(GuestRegister.Rcx, 0xFFFF_FFFF_C000_0080);
            _vm.Poke(Rip, bytes);
            VmExit exit = Exit(SvmExitCode.Msr, info1, vcpu: vcpu);
            Assert.Equal(kind, exit.Kind);
            Assert.Equal(0xC000_0080u, exit.Msr);
            Assert.Equal(2, exit.InstructionLength);
        }

        [Theory]
        [InlineData(0xFEE0_0300ul, 0x1_0000_0006ul, VmExitKind.MmioAccess, AccessKind.Write)]
        [InlineData(0xFEC0_0000ul, 0x1_0000_0004ul, VmExitKind.MmioAccess, AccessKind.Read)]
        [InlineData(0x50_0000ul, 0x1_0000_0014ul, VmExitKind.MmioAccess, AccessKind.Execute)]
        [InlineData(0x20_0000ul, 0x1_0000_0007ul, VmExitKind.MemoryFault, AccessKind.Write)]
        public void NestedPageFault_MmioOutsideRam(ulong gpa, ulong info1, VmExitKind kind, AccessKind access)
        {
            VmExit exit = Exit(SvmExitCode.NestedPageFault, info1, gpa);
            Assert.Equal(kind, exit.Kind);
            Assert.Equal(gpa, exit.GuestPhysical);
            Assert.Equal(access, exit.Access);
            Assert.Equal(info1, exit.Qualification);
            Assert.Equal(0, exit.InstructionLength);
        }

        [Fact]
        public void GeneralProtection_CarriesItsErrorCode_PageFaultItsAddress()
        {
            VmExit gp = Exit(SvmExitCode.Exception0 + 13, 0x18);
            Assert.Equal(VmExitKind.Exception, gp.Kind);
            Assert.Equal(13, gp.Vector);
            Assert.True(gp.HasErrorCode);
            Assert.Equal(0x18u, gp.ErrorCode);

            VmExit pf = Exit(SvmExitCode.Exception0 + 14, 0x2, 0xDEAD_B000);
            Assert.Equal(0xDEAD_B000ul, pf.GuestLinear);

            VmExit ud = Exit(SvmExitCode.Exception0 + 6, 0x99);
            Assert.False(ud.HasErrorCode);
            Assert.Equal(0u, ud.ErrorCode);
        }

        [Theory]
        [InlineData(0x003ul, 3)]
        [InlineData(0x018ul, 8)]
        public void ControlRegisterExits_NameTheRegister(ulong code, int cr)
        {
            VmExit exit = Exit((SvmExitCode)code);
            Assert.Equal(VmExitKind.CrAccess, exit.Kind);
            Assert.Equal(cr, exit.ControlRegister);
        }

        [Fact]
        public void InvalidState_SaysWhichCheckFails()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32, Rip);
            vcpu.VmcbPointer->Control.GuestAsid = 0;
            VmExit exit = Exit(SvmExitCode.Invalid, vcpu: vcpu);
            Assert.Equal(VmExitKind.Invalid, exit.Kind);
            Assert.Equal(0xFFFF_FFFFu, exit.RawReason);
            Assert.Equal("VMEXIT_INVALID: the guest ASID is zero", exit.EntryFailureReason);
        }

        [Fact]
        public void InvalidState_NamesTheRuleCheckedBeforeEntry_EvenIfTheVmcbIsOverwritten()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32, Rip);
            _vm.Host.ThenExit(SvmExitCode.Hlt);
            SvmTestVm.RunOnce(vcpu);
            vcpu.Set(GuestRegister.Cr0, 0x2000_0011);                   // NW without CD
            // QEMU 7.2: 32-bit exit code, and the VMCB gets the host's state (here: a valid CR0).
            _vm.Host.Then((v, g) => { v->Control.ExitCode = 0xFFFF_FFFF; v->Save.Cr0 = 0x8001_0033; });
            VmExit exit = SvmTestVm.RunOnce(vcpu);
            Assert.Equal(VmExitKind.Invalid, exit.Kind);
            Assert.Equal("VMEXIT_INVALID: CR0.CD is zero and CR0.NW is set", exit.EntryFailureReason);
        }

        [Fact]
        public void EntryCheck_NeverBlocksTheEntry()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32, Rip);
            vcpu.Set(GuestRegister.Efer, 1ul << 21);                     // a bit the checks do not know (AIBRSE)
            _vm.Host.ThenExit(SvmExitCode.Intr);
            Assert.Equal(VmExitKind.ExternalInterrupt, SvmTestVm.RunOnce(vcpu).Kind);
            Assert.Equal(1, _vm.Host.Runs);
        }

        [Fact]
        public void InvalidState_WithNoFailingCheck_SaysSo()
        {
            VmExit exit = Exit(SvmExitCode.Invalid);
            Assert.Contains("no APM 15.5.1 check fails", exit.EntryFailureReason);
        }
    }
}
