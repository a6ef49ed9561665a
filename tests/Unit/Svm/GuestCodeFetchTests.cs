using Hv.Virt;
using Hv.Virt.Svm;
using Xunit;

namespace Hv.Tests.Unit.Svm
{
    /// <summary>Reading the guest's code through its own paging (APM Vol. 2 §5) for instruction lengths.</summary>
    public unsafe class GuestCodeFetchTests
    {
        private const ulong P = 1, W = 2, PS = 0x80;
        private readonly SvmTestVm _vm = new SvmTestVm();

        private SvmVcpu LongMode64(ulong rip)
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32, rip);
            // PML4 at 1000h -> PDPT 2000h -> PD 3000h -> PT 4000h
            _vm.Poke64(0x1000, 0x2000 | P | W);
            _vm.Poke64(0x2000, 0x3000 | P | W);
            _vm.Poke64(0x2000 + 8, 0 | P | W | PS);                       // 1 GiB page: linear 4000_0000 -> 0
            _vm.Poke64(0x3000, 0x4000 | P | W);
            _vm.Poke64(0x3000 + 2 * 8, 0x20_0000 | 0x1000 | P | W | PS);  // 2 MiB page with PAT (bit 12) set
            _vm.Poke64(0x4000 + 0x100 * 8, 0x20_0000 | P);
            _vm.Poke64(0x4000 + 0x101 * 8, 0x30_0000 | P);
            Vmcb* v = vcpu.VmcbPointer;
            v->Save.Cr3 = 0x1000;
            v->Save.Cr4 = (ulong)GuestCr4.PAE;
            v->Save.Cr0 = (ulong)(GuestCr0.PE | GuestCr0.PG);
            v->Save.Efer |= (ulong)(GuestEfer.LME | GuestEfer.LMA);
            v->Save.Cs.Attributes = 0xA9B;
            return vcpu;
        }

        private static ulong Translate(SvmVcpu vcpu, GuestRegion[] memory, ulong linear)
        {
            Assert.True(GuestCodeFetch.TranslateLinear(&vcpu.VmcbPointer->Save, memory, linear, out ulong gpa));
            return gpa;
        }

        [Fact]
        public void LongMode_4KiB2MiB1GiBPages()
        {
            SvmVcpu vcpu = LongMode64(0x10_0000);
            Assert.Equal(0x20_0123ul, Translate(vcpu, _vm.Memory, 0x10_0123));
            Assert.Equal(0x20_5678ul, Translate(vcpu, _vm.Memory, 0x40_5678));         // PAT bit is not an address bit
            Assert.Equal(0x12_3456ul, Translate(vcpu, _vm.Memory, 0x4012_3456));
            Assert.False(GuestCodeFetch.TranslateLinear(&vcpu.VmcbPointer->Save, _vm.Memory, 0x60_0000, out _));
            Assert.False(GuestCodeFetch.TranslateLinear(&vcpu.VmcbPointer->Save, _vm.Memory, 0x80_0000_0000, out _));
        }

        [Fact]
        public void LongMode_RexPrefixedCpuid_CountsTheRex()
        {
            SvmVcpu vcpu = LongMode64(0x10_0010);
            _vm.Poke(0x20_0010, 0x48, 0x0F, 0xA2);
            _vm.Host.ThenExit(SvmExitCode.Cpuid);
            Assert.Equal(3, SvmTestVm.RunOnce(vcpu).InstructionLength);
        }

        [Fact]
        public void CodeCrossingAPage_IsReadFromBothPages()
        {
            SvmVcpu vcpu = LongMode64(0x10_0FFF);
            _vm.Poke(0x20_0FFF, 0x0F);
            _vm.Poke(0x30_0000, 0xA2);
            _vm.Host.ThenExit(SvmExitCode.Cpuid);
            Assert.Equal(2, SvmTestVm.RunOnce(vcpu).InstructionLength);
        }

        [Fact]
        public void Pae_ThreeLevels()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32);
            _vm.Poke64(0x5020, 0x6000 | P);                    // CR3 = 5020h: 32-byte aligned PDPT
            _vm.Poke64(0x6000, 0x7000 | P | W);
            _vm.Poke64(0x6000 + 8, 0x20_0000 | P | W | PS);
            _vm.Poke64(0x7000 + 0x100 * 8, 0x30_0000 | P);
            Vmcb* v = vcpu.VmcbPointer;
            v->Save.Cr3 = 0x5020;
            v->Save.Cr4 = (ulong)GuestCr4.PAE;
            v->Save.Cr0 = (ulong)(GuestCr0.PE | GuestCr0.PG);
            Assert.Equal(0x30_0042ul, Translate(vcpu, _vm.Memory, 0x10_0042));
            Assert.Equal(0x20_0042ul, Translate(vcpu, _vm.Memory, 0x20_0042));
        }

        [Fact]
        public void Paging32_4KiBAndPse4MiBPages()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32, 0x10_0000);
            _vm.Poke(0x8000, 0x01, 0x90, 0x00, 0x00);              // PDE 0 -> PT 9000h
            _vm.Poke(0x8004, 0x83, 0x20, 0x00, 0x00);              // PDE 1: 4 MiB page, PSE-36 bits 20:13 = 1
            _vm.Poke(0x9000 + 0x100 * 4, 0x01, 0x00, 0x20, 0x00);  // PTE 100h -> 20_0000h
            _vm.Poke(0x20_0000, 0xF4);
            Vmcb* v = vcpu.VmcbPointer;
            v->Save.Cr3 = 0x8000;
            v->Save.Cr4 = (ulong)GuestCr4.PSE;
            v->Save.Cr0 = (ulong)(GuestCr0.PE | GuestCr0.PG);
            Assert.Equal(0x20_0007ul, Translate(vcpu, _vm.Memory, 0x10_0007));
            Assert.Equal(0x1_0001_2345ul, Translate(vcpu, _vm.Memory, 0x41_2345));
            _vm.Host.ThenExit(SvmExitCode.Hlt);
            Assert.Equal(1, SvmTestVm.RunOnce(vcpu).InstructionLength);
        }

        [Fact]
        public void PagingOff_LinearIsGuestPhysical()
        {
            SvmVcpu vcpu = _vm.Create(StartMode.ProtectedFlat32);
            Assert.Equal(0x12_3456ul, Translate(vcpu, _vm.Memory, 0x12_3456));
        }

        [Theory]
        [InlineData(new byte[] { 0x0F, 0xA2 }, 2)]
        [InlineData(new byte[] { 0xF0, 0x66, 0x67, 0xF2, 0xF3, 0x2E, 0x36, 0x3E, 0x26, 0x64, 0x65, 0x0F, 0xA2 }, 13)]
        [InlineData(new byte[] { 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x0F }, 0)] // > 15 bytes
        [InlineData(new byte[] { 0x0F }, 0)]
        public void MatchLength_CountsLegacyPrefixes(byte[] bytes, int length)
        {
            fixed (byte* p = bytes)
                Assert.Equal(length, SvmOpcodes.MatchLength(p, bytes.Length, SvmOpcodes.Cpuid, code64: false));
        }
    }
}
