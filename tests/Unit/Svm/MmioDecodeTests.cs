using Hv.Virt;
using Hv.Virt.Caps;
using Hv.Virt.Svm;
using Xunit;

namespace Hv.Tests.Unit.Svm
{
    /// <summary>Nested page faults on MMIO: the operation from the instruction bytes, the read completed at the next Run.</summary>
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
        public void MovEaxFromMmio_DecodesThenCompletesAtTheNextRun()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32, Rip);
            _vm.Poke(Rip, 0xA1, 0x30, 0x00, 0xE0, 0xFE);             // mov eax, [0xFEE00030]
            vcpu.Set(GuestRegister.Rax, 0xAAAA_AAAA_AAAA_AAAA);
            VmExit exit = Fault(vcpu, 0xFEE0_0030, write: false);
            Assert.Equal(VmExitKind.MmioAccess, exit.Kind);
            Assert.Equal(4, exit.Size);
            Assert.Equal(5, exit.InstructionLength);

            exit.IoValue = 0x1234_5678;                              // what the core's device returned
            _vm.Host.ThenExit(SvmExitCode.Hlt);
            vcpu.Run(ref exit);
            Assert.Equal(0x1234_5678ul, vcpu.Get(GuestRegister.Rax)); // a 32-bit destination zero-extends
        }

        [Fact]
        public void MovDwordImmediateToMmio_GivesTheValue()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32, Rip);
            _vm.Poke(Rip, 0xC7, 0x05, 0x00, 0x00, 0xC0, 0xFE, 0x78, 0x56, 0x34, 0x12); // mov dword [0xFEC00000], 0x12345678
            VmExit exit = Fault(vcpu, 0xFEC0_0000, write: true);
            Assert.Equal(AccessKind.Write, exit.Access);
            Assert.Equal(4, exit.Size);
            Assert.Equal(10, exit.InstructionLength);
            Assert.Equal(0x1234_5678ul, exit.IoValue);
        }

        [Fact]
        public void MovIntoAHighByteRegister_InRealMode()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ResetVector);
            _vm.Poke(0xFFFF_FFF0, 0x8A, 0x26, 0x00, 0x10);          // 16-bit: mov ah, [0x1000]
            vcpu.Set(GuestRegister.Rax, 0x1122);
            VmExit exit = Fault(vcpu, 0xFFFF_E000, write: false);  // the address is the fault's; any MMIO gpa
            Assert.Equal(1, exit.Size);
            Assert.Equal(4, exit.InstructionLength);
            exit.IoValue = 0xEE;
            _vm.Host.ThenExit(SvmExitCode.Hlt);
            vcpu.Run(ref exit);
            Assert.Equal(0xEE22ul, vcpu.Get(GuestRegister.Rax));
        }

        [Fact]
        public void DecodeAssists_UseTheBytesInTheVmcb()
        {
            var vm = new SvmTestVm(SvmFeatureFlags.NestedPaging | SvmFeatureFlags.DecodeAssists);
            SvmVcpu vcpu = vm.Create(StartMode.ProtectedFlat32, 0xFEE0_0000);  // code not even readable
            vm.Host.Then((v, g) =>
            {
                v->Control.ExitCode = (ulong)SvmExitCode.NestedPageFault;
                v->Control.ExitInfo1 = 0x1_0000_0006;
                v->Control.ExitInfo2 = 0xFEC0_0010;
                byte[] bytes = { 0x89, 0x18 };                                  // mov [eax], ebx
                v->Control.InstructionBytesFetched = (byte)bytes.Length;
                for (int i = 0; i < bytes.Length; i++) (&v->Control.InstructionBytes)[i] = bytes[i];
            });
            vcpu.Set(GuestRegister.Rbx, 0xCAFE);
            VmExit exit = SvmTestVm.RunOnce(vcpu);
            Assert.Equal(4, exit.Size);
            Assert.Equal(2, exit.InstructionLength);
            Assert.Equal(0xCAFEul, exit.IoValue);
        }

        [Fact]
        public void UnsupportedInstructionOrDirectionMismatch_LeavesSizeZero()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32, Rip);
            _vm.Poke(Rip, 0xFF, 0x05, 0x00, 0x00, 0xC0, 0xFE);       // inc dword [0xFEC00000]
            Assert.Equal(0, Fault(vcpu, 0xFEC0_0000, write: true).Size);
            _vm.Poke(Rip, 0xA1, 0x30, 0x00, 0xE0, 0xFE);             // a read, but the fault says write
            Assert.Equal(0, Fault(vcpu, 0xFEE0_0030, write: true).Size);
        }

        [Fact]
        public void ARunAfterANonMmioExit_LeavesRegistersAlone()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32, Rip);
            _vm.Poke(Rip, 0xA1, 0x30, 0x00, 0xE0, 0xFE);
            vcpu.Set(GuestRegister.Rax, 7);
            Fault(vcpu, 0xFEE0_0030, write: false);
            VmExit other = default;
            other.Kind = VmExitKind.Hlt;
            _vm.Host.ThenExit(SvmExitCode.Hlt);
            vcpu.Run(ref other);
            Assert.Equal(7ul, vcpu.Get(GuestRegister.Rax));
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
