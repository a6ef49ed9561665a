using Hv.Virt;
using Hv.Virt.Caps;
using Hv.Virt.Svm;
using Xunit;

namespace Hv.Tests.Unit.Svm
{
    /// <summary>IOIO exits (APM Vol. 2 §15.10.2): port, size, value, string operands, length from EXITINFO2.</summary>
    public unsafe class IoExitDecodeTests
    {
        private const ulong Rip = 0x10_0000;
        private readonly SvmTestVm _vm = new SvmTestVm();

        private VmExit Exit(SvmExitCode code, ulong info1 = 0, ulong info2 = 0, SvmVcpu vcpu = null)
        {
            vcpu ??= _vm.Create(StartMode.ProtectedFlat32, Rip);
            _vm.Host.ThenExit(code, info1, info2);
            return SvmTestVm.RunOnce(vcpu);
        }

        [Fact]
        public void OutByte_PortSizeValueAndLengthFromExitInfo2()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32, Rip);
            vcpu.Set(GuestRegister.Rax, 0x1234_5678);
            VmExit exit = Exit(SvmExitCode.Ioio, SvmIoExitInfo.Make(0xE9, 1, false, false, false, 32).Raw, Rip + 1, vcpu);
            Assert.Equal(VmExitKind.IoOut, exit.Kind);
            Assert.Equal(0xE9, exit.Port);
            Assert.Equal(1, exit.Size);
            Assert.Equal(0x78ul, exit.IoValue);
            Assert.Equal(1, exit.InstructionLength);
            Assert.False(exit.IsString);
        }

        [Theory]
        [InlineData(2, 0x5678ul)]
        [InlineData(4, 0x1234_5678ul)]
        public void OutWordAndDword_MaskRax(int size, ulong value)
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32, Rip);
            vcpu.Set(GuestRegister.Rax, 0xAAAA_BBBB_1234_5678);
            VmExit exit = Exit(SvmExitCode.Ioio, SvmIoExitInfo.Make(0xCFC, size, false, false, false, 32).Raw, Rip + 2, vcpu);
            Assert.Equal(size, exit.Size);
            Assert.Equal(value, exit.IoValue);
            Assert.Equal(2, exit.InstructionLength);   // e.g. 66 EF: the prefix counts, EXITINFO2 says so
        }

        [Fact]
        public void InDword_IsIoIn()
        {
            VmExit exit = Exit(SvmExitCode.Ioio, SvmIoExitInfo.Make(0x64, 4, true, false, false, 16).Raw, Rip + 1);
            Assert.Equal(VmExitKind.IoIn, exit.Kind);
            Assert.Equal(0x64, exit.Port);
            Assert.Equal(4, exit.Size);
        }

        [Fact]
        public void RepInsw_UsesEsAndRdiWithTheAddressSize()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32, Rip);
            vcpu.Set(GuestRegister.EsBase, 0x1000);
            vcpu.Set(GuestRegister.Rdi, 0xFFFF_0000_0000_2000);
            VmExit exit = Exit(SvmExitCode.Ioio, SvmIoExitInfo.Make(0x1F0, 2, true, true, true, 32).Raw, Rip + 3, vcpu);
            Assert.True(exit.IsString);
            Assert.True(exit.Rep);
            Assert.Equal(4, exit.AddressSize);
            Assert.Equal(SegmentRegister.Es, exit.Segment);
            Assert.Equal(0x3000ul, exit.GuestLinear);
            Assert.Equal(3, exit.InstructionLength);
        }

        [Theory]
        [InlineData(new byte[] { 0x6E }, SegmentRegister.Ds, 0x4000ul)]                // OUTSB: DS
        [InlineData(new byte[] { 0xF3, 0x64, 0x6E }, SegmentRegister.Fs, 0x9000ul)]    // REP FS: OUTSB
        public void Outs_SegmentFromPrefixesWithoutDecodeAssists(byte[] bytes, SegmentRegister seg, ulong linear)
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32, Rip);
            vcpu.Set(GuestRegister.DsBase, 0x3000);
            vcpu.Set(GuestRegister.FsBase, 0x8000);
            vcpu.Set(GuestRegister.Rsi, 0x1000);
            _vm.Poke(Rip, bytes);
            VmExit exit = Exit(SvmExitCode.Ioio, SvmIoExitInfo.Make(0x3F8, 1, false, true, bytes.Length > 1, 32).Raw, Rip + (ulong)bytes.Length, vcpu);
            Assert.Equal(seg, exit.Segment);
            Assert.Equal(linear, exit.GuestLinear);
        }

        [Fact]
        public void Outs_SegmentFromExitInfo1WithDecodeAssists()
        {
            var vm = new SvmTestVm(SvmFeatureFlags.NestedPaging | SvmFeatureFlags.DecodeAssists);
            SvmVcpu vcpu = vm.Create(StartMode.ProtectedFlat32, Rip);
            vcpu.Set(GuestRegister.GsBase, 0x7000);
            vcpu.Set(GuestRegister.Rsi, 0x12);
            vm.Host.ThenExit(SvmExitCode.Ioio, SvmIoExitInfo.Make(0x3F8, 1, false, true, false, 16, segment: 5).Raw, Rip + 2);
            VmExit exit = SvmTestVm.RunOnce(vcpu);
            Assert.Equal(SegmentRegister.Gs, exit.Segment);
            Assert.Equal(0x7012ul, exit.GuestLinear);
            Assert.Equal(2, exit.AddressSize);
        }
    }
}
