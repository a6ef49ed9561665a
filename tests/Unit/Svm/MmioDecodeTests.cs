using Hv.Virt;
using Hv.Virt.Caps;
using Hv.Virt.Svm;
using Xunit;

namespace Hv.Tests.Unit.Svm
{
    /// <summary>
    /// Nested page faults on MMIO: the backend reports the address and direction only (the core's
    /// MmioEmulator decodes and carries out the instruction), and a later Run leaves registers alone.
    /// </summary>
    public unsafe class MmioDecodeTests
    {
        private const ulong Rip = 0x10_0000;
        private readonly SvmTestVm _vm = new SvmTestVm();

        private VmExit Fault(SvmVcpu vcpu, ulong gpa, bool write)
        {
            _vm.Host.ThenExit(SvmExitCode.NestedPageFault, write ? 0x1_0000_0006ul : 0x1_0000_0004ul, gpa);
            return SvmTestVm.RunOnce(vcpu);
        }

        [Fact]
        public void NestedPageFaultOutsideRam_ReportsAddressAndDirectionOnly()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32, Rip);
            _vm.Poke(Rip, 0xA1, 0x30, 0x00, 0xE0, 0xFE);             // mov eax, [0xFEE00030]
            vcpu.Set(GuestRegister.Rax, 0xAAAA_AAAA_AAAA_AAAA);
            VmExit read = Fault(vcpu, 0xFEE0_0030, write: false);
            Assert.Equal(VmExitKind.MmioAccess, read.Kind);
            Assert.Equal(0xFEE0_0030ul, read.GuestPhysical);
            Assert.Equal(AccessKind.Read, read.Access);
            Assert.Equal(0, read.Size);
            Assert.Equal(0, read.InstructionLength);
            Assert.Equal(0xAAAA_AAAA_AAAA_AAAAul, vcpu.Get(GuestRegister.Rax));
            Assert.Equal(Rip, vcpu.Get(GuestRegister.Rip));

            VmExit write = Fault(vcpu, 0xFEC0_0000, write: true);
            Assert.Equal(AccessKind.Write, write.Access);
            Assert.Equal(0xFEC0_0000ul, write.GuestPhysical);
        }

        [Fact]
        public void DecodeAssistBytes_AreNotUsed_TheCoreFetchesItself()
        {
            var vm = new SvmTestVm(SvmFeatureFlags.NestedPaging | SvmFeatureFlags.DecodeAssists);
            SvmVcpu vcpu = vm.Create(StartMode.ProtectedFlat32, Rip);
            vm.Host.Then((v, g) =>
            {
                v->Control.ExitCode = (ulong)SvmExitCode.NestedPageFault;
                v->Control.ExitInfo1 = 0x1_0000_0006;
                v->Control.ExitInfo2 = 0xFEC0_0010;
                v->Control.InstructionBytesFetched = 2;
                (&v->Control.InstructionBytes)[0] = 0x89;           // mov [eax], ebx
                (&v->Control.InstructionBytes)[1] = 0x18;
            });
            VmExit exit = SvmTestVm.RunOnce(vcpu);
            Assert.Equal(VmExitKind.MmioAccess, exit.Kind);
            Assert.Equal(0xFEC0_0010ul, exit.GuestPhysical);
            Assert.Equal(0, exit.Size);
            Assert.Equal(0ul, exit.IoValue);
        }

        [Fact]
        public void RunAfterAnMmioExit_LeavesRegistersAlone()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32, Rip);
            _vm.Poke(Rip, 0xA1, 0x30, 0x00, 0xE0, 0xFE);
            vcpu.Set(GuestRegister.Rax, 7);
            VmExit exit = Fault(vcpu, 0xFEE0_0030, write: false);
            exit.IoValue = 0x1234;                                   // nothing in the exit is written back any more
            _vm.Host.ThenExit(SvmExitCode.Hlt);
            vcpu.Run(ref exit);
            Assert.Equal(VmExitKind.Hlt, exit.Kind);
            Assert.Equal(7ul, vcpu.Get(GuestRegister.Rax));
        }

        [Theory]
        [InlineData(StartMode.ProtectedFlat32, 32)]
        [InlineData(StartMode.ResetVector, 16)]
        public void CodeBitness_FollowsCsD(StartMode mode, int bitness)
        {
            SvmVcpu vcpu = _vm.Create(mode, Rip);
            Assert.Equal(bitness, vcpu.CodeBitness);
        }

        [Fact]
        public void SipiAndInit_AreAppliedAtTheNextRun()
        {
            SvmVcpu ap = _vm.Create(StartMode.WaitForSipi);
            ap.DeliverSipi(0x10);
            Assert.True(ap.WaitingForSipi);                          // not yet: the vCPU's own thread applies it
            _vm.Poke(0x1_0000, 0xF4);
            _vm.Host.ThenExit(SvmExitCode.Hlt);
            Assert.Equal(VmExitKind.Hlt, SvmTestVm.RunOnce(ap).Kind);
            Assert.Equal(0x1_0000ul, ap.Get(GuestRegister.CsBase));

            ap.DeliverInit();
            ap.DeliverSipi(0x20);
            _vm.Poke(0x2_0000, 0xF4);
            _vm.Host.ThenExit(SvmExitCode.Hlt);
            SvmTestVm.RunOnce(ap);
            Assert.Equal(0x2_0000ul, ap.Get(GuestRegister.CsBase));

            ap.DeliverSipi(0x30);                                    // running: a SIPI is ignored
            ap.DeliverInit();
            Assert.Equal(VmExitKind.Init, SvmTestVm.RunOnce(ap).Kind);
            Assert.True(ap.WaitingForSipi);
        }
    }
}
