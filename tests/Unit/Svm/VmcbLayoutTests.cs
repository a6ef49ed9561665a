using System.Runtime.InteropServices;
using Hv.Virt.Svm;
using Xunit;

namespace Hv.Tests.Unit.Svm
{
    /// <summary>Every VMCB field at its AMD APM Vol. 2 Appendix B offset (Tables B-1 and B-2).</summary>
    public class VmcbLayoutTests
    {
        [Fact]
        public void Sizes_MatchAppendixB()
        {
            Assert.Equal(0x400, Marshal.SizeOf<VmcbControlArea>());
            Assert.Equal(0xC00, Marshal.SizeOf<VmcbStateSaveArea>());
            Assert.Equal(0x1000, Marshal.SizeOf<Vmcb>());
            Assert.Equal(Vmcb.Size, Marshal.SizeOf<Vmcb>());
            Assert.Equal(16, Marshal.SizeOf<VmcbSegment>());
            Assert.Equal(0x400, (int)Marshal.OffsetOf<Vmcb>(nameof(Vmcb.Save)));
            Assert.Equal(Vmcb.StateSaveOffset, (int)Marshal.OffsetOf<Vmcb>(nameof(Vmcb.Save)));
            Assert.Equal(0, (int)Marshal.OffsetOf<Vmcb>(nameof(Vmcb.Control)));
        }

        [Theory]
        [InlineData(nameof(VmcbControlArea.InterceptCr), 0x000)]
        [InlineData(nameof(VmcbControlArea.InterceptDr), 0x004)]
        [InlineData(nameof(VmcbControlArea.InterceptExceptions), 0x008)]
        [InlineData(nameof(VmcbControlArea.Intercept1), 0x00C)]
        [InlineData(nameof(VmcbControlArea.Intercept2), 0x010)]
        [InlineData(nameof(VmcbControlArea.Intercept3), 0x014)]
        [InlineData(nameof(VmcbControlArea.PauseFilterThreshold), 0x03C)]
        [InlineData(nameof(VmcbControlArea.PauseFilterCount), 0x03E)]
        [InlineData(nameof(VmcbControlArea.IopmBase), 0x040)]
        [InlineData(nameof(VmcbControlArea.MsrpmBase), 0x048)]
        [InlineData(nameof(VmcbControlArea.TscOffset), 0x050)]
        [InlineData(nameof(VmcbControlArea.GuestAsid), 0x058)]
        [InlineData(nameof(VmcbControlArea.TlbControl), 0x05C)]
        [InlineData(nameof(VmcbControlArea.VirtualInterrupt), 0x060)]
        [InlineData(nameof(VmcbControlArea.VirtualInterruptVector), 0x064)]
        [InlineData(nameof(VmcbControlArea.InterruptState), 0x068)]
        [InlineData(nameof(VmcbControlArea.ExitCode), 0x070)]
        [InlineData(nameof(VmcbControlArea.ExitInfo1), 0x078)]
        [InlineData(nameof(VmcbControlArea.ExitInfo2), 0x080)]
        [InlineData(nameof(VmcbControlArea.ExitIntInfo), 0x088)]
        [InlineData(nameof(VmcbControlArea.NestedControl), 0x090)]
        [InlineData(nameof(VmcbControlArea.AvicApicBar), 0x098)]
        [InlineData(nameof(VmcbControlArea.GhcbAddress), 0x0A0)]
        [InlineData(nameof(VmcbControlArea.EventInjection), 0x0A8)]
        [InlineData(nameof(VmcbControlArea.NestedCr3), 0x0B0)]
        [InlineData(nameof(VmcbControlArea.VirtualizationExtensions), 0x0B8)]
        [InlineData(nameof(VmcbControlArea.CleanBits), 0x0C0)]
        [InlineData(nameof(VmcbControlArea.NextRip), 0x0C8)]
        [InlineData(nameof(VmcbControlArea.InstructionBytesFetched), 0x0D0)]
        [InlineData(nameof(VmcbControlArea.InstructionBytes), 0x0D1)]
        [InlineData(nameof(VmcbControlArea.AvicBackingPage), 0x0E0)]
        [InlineData(nameof(VmcbControlArea.AvicLogicalTable), 0x0F0)]
        [InlineData(nameof(VmcbControlArea.AvicPhysicalTable), 0x0F8)]
        [InlineData(nameof(VmcbControlArea.VmsaPointer), 0x108)]
        public void ControlArea_FieldOffsets(string field, int offset)
            => Assert.Equal(offset, (int)Marshal.OffsetOf<VmcbControlArea>(field));

        /// <summary>Offsets relative to the state-save area (400h), as Table B-2 lists them.</summary>
        [Theory]
        [InlineData(nameof(VmcbStateSaveArea.Es), 0x000)]
        [InlineData(nameof(VmcbStateSaveArea.Cs), 0x010)]
        [InlineData(nameof(VmcbStateSaveArea.Ss), 0x020)]
        [InlineData(nameof(VmcbStateSaveArea.Ds), 0x030)]
        [InlineData(nameof(VmcbStateSaveArea.Fs), 0x040)]
        [InlineData(nameof(VmcbStateSaveArea.Gs), 0x050)]
        [InlineData(nameof(VmcbStateSaveArea.Gdtr), 0x060)]
        [InlineData(nameof(VmcbStateSaveArea.Ldtr), 0x070)]
        [InlineData(nameof(VmcbStateSaveArea.Idtr), 0x080)]
        [InlineData(nameof(VmcbStateSaveArea.Tr), 0x090)]
        [InlineData(nameof(VmcbStateSaveArea.Cpl), 0x0CB)]
        [InlineData(nameof(VmcbStateSaveArea.Efer), 0x0D0)]
        [InlineData(nameof(VmcbStateSaveArea.Cr4), 0x148)]
        [InlineData(nameof(VmcbStateSaveArea.Cr3), 0x150)]
        [InlineData(nameof(VmcbStateSaveArea.Cr0), 0x158)]
        [InlineData(nameof(VmcbStateSaveArea.Dr7), 0x160)]
        [InlineData(nameof(VmcbStateSaveArea.Dr6), 0x168)]
        [InlineData(nameof(VmcbStateSaveArea.Rflags), 0x170)]
        [InlineData(nameof(VmcbStateSaveArea.Rip), 0x178)]
        [InlineData(nameof(VmcbStateSaveArea.Rsp), 0x1D8)]
        [InlineData(nameof(VmcbStateSaveArea.SCet), 0x1E0)]
        [InlineData(nameof(VmcbStateSaveArea.Ssp), 0x1E8)]
        [InlineData(nameof(VmcbStateSaveArea.IsstAddress), 0x1F0)]
        [InlineData(nameof(VmcbStateSaveArea.Rax), 0x1F8)]
        [InlineData(nameof(VmcbStateSaveArea.Star), 0x200)]
        [InlineData(nameof(VmcbStateSaveArea.Lstar), 0x208)]
        [InlineData(nameof(VmcbStateSaveArea.Cstar), 0x210)]
        [InlineData(nameof(VmcbStateSaveArea.Sfmask), 0x218)]
        [InlineData(nameof(VmcbStateSaveArea.KernelGsBase), 0x220)]
        [InlineData(nameof(VmcbStateSaveArea.SysenterCs), 0x228)]
        [InlineData(nameof(VmcbStateSaveArea.SysenterEsp), 0x230)]
        [InlineData(nameof(VmcbStateSaveArea.SysenterEip), 0x238)]
        [InlineData(nameof(VmcbStateSaveArea.Cr2), 0x240)]
        [InlineData(nameof(VmcbStateSaveArea.GuestPat), 0x268)]
        [InlineData(nameof(VmcbStateSaveArea.DebugCtl), 0x270)]
        [InlineData(nameof(VmcbStateSaveArea.BranchFrom), 0x278)]
        [InlineData(nameof(VmcbStateSaveArea.BranchTo), 0x280)]
        [InlineData(nameof(VmcbStateSaveArea.LastExceptionFrom), 0x288)]
        [InlineData(nameof(VmcbStateSaveArea.LastExceptionTo), 0x290)]
        public void StateSaveArea_FieldOffsets(string field, int offset)
            => Assert.Equal(offset, (int)Marshal.OffsetOf<VmcbStateSaveArea>(field));

        [Theory]
        [InlineData(nameof(VmcbSegment.Selector), 0)]
        [InlineData(nameof(VmcbSegment.Attributes), 2)]
        [InlineData(nameof(VmcbSegment.Limit), 4)]
        [InlineData(nameof(VmcbSegment.Base), 8)]
        public void Segment_FieldOffsets(string field, int offset)
            => Assert.Equal(offset, (int)Marshal.OffsetOf<VmcbSegment>(field));

        [Fact]
        public unsafe void TlbControl_IsByte4OfTheAsidQword()
        {
            Vmcb v = default;
            v.Control.GuestAsid = 0x1234_5678;
            v.Control.TlbControl = SvmTlbControl.FlushGuest;
            Assert.Equal(0x03_1234_5678ul, *(ulong*)((byte*)&v + 0x58));
        }

        [Fact]
        public void SegmentAttributes_PackDescriptorBits47To40And55To52()
        {
            // Flat 4 GiB ring-0 code: base 0, limit FFFFF, G=1 D=1, P=1 S=1 type A (execute/read).
            Assert.Equal(0xC9A, SegmentAttributes.FromDescriptor(0x00CF_9A00_0000_FFFF));
            // 64-bit code: L=1, D=0.
            Assert.Equal(0xA9B, SegmentAttributes.FromDescriptor(0x00AF_9B00_0000_FFFF));
            Assert.Equal(0xC9B, SegmentAttributes.Code32);
            Assert.Equal(0xC93, SegmentAttributes.Data32);
            Assert.Equal(0x09B, SegmentAttributes.Code16);
            Assert.Equal(0x093, SegmentAttributes.Data16);
            Assert.Equal(3, SegmentAttributes.Dpl(0xFF));
        }

        [Theory]
        [InlineData(SvmExitCode.Cpuid, 0x72)]
        [InlineData(SvmExitCode.Hlt, 0x78)]
        [InlineData(SvmExitCode.Ioio, 0x7B)]
        [InlineData(SvmExitCode.Msr, 0x7C)]
        [InlineData(SvmExitCode.Shutdown, 0x7F)]
        [InlineData(SvmExitCode.Vmrun, 0x80)]
        [InlineData(SvmExitCode.Vmmcall, 0x81)]
        [InlineData(SvmExitCode.Xsetbv, 0x8D)]
        [InlineData(SvmExitCode.NestedPageFault, 0x400)]
        [InlineData(SvmExitCode.Intr, 0x60)]
        [InlineData(SvmExitCode.Vintr, 0x64)]
        public void ExitCodes_FollowAppendixC(SvmExitCode code, ulong value) => Assert.Equal(value, (ulong)code);

        [Fact]
        public void InterceptBits_FollowTableB1()
        {
            Assert.Equal(1u << 18, (uint)SvmIntercept1.Cpuid);
            Assert.Equal(1u << 24, (uint)SvmIntercept1.Hlt);
            Assert.Equal(1u << 27, (uint)SvmIntercept1.IoioProt);
            Assert.Equal(1u << 28, (uint)SvmIntercept1.MsrProt);
            Assert.Equal(1u << 31, (uint)SvmIntercept1.Shutdown);
            Assert.Equal(1u << 0, (uint)SvmIntercept2.Vmrun);
            Assert.Equal(1u << 13, (uint)SvmIntercept2.Xsetbv);
            Assert.Equal(1u << 24, (uint)SvmVirtualInterrupt.Masking);
        }
    }
}
