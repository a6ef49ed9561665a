using Hv.Virt;
using Xunit;
using static Hv.Tests.Unit.Virt.GuestPageTables;

namespace Hv.Tests.Unit.Virt
{
    /// <summary>Guest linear-to-physical translation: paging modes, large pages, rights, error codes.</summary>
    public class PageWalkerTests
    {
        private readonly TestVm _t = new TestVm(ramBytes: 0x80_0000);
        private readonly GuestPageTables _pt;

        public PageWalkerTests()
        {
            _pt = new GuestPageTables(_t.Vm.Memory, 0x10_0000);
            _pt.LongMode(_t.State);
        }

        private GuestPageWalker Walker => new GuestPageWalker(_t.Vm.Memory, _t.State, 46);

        private LinearTranslation Walk(ulong linear, AccessKind access, out ulong gpa, out uint code) =>
            Walker.Translate(linear, access, out gpa, out code);

        [Fact]
        public void RealMode_And_FlatProtectedMode_AreIdentity()
        {
            FakeVcpu s = _t.State;
            s.LongMode = false;
            s[GuestRegister.Cr0] = 0;
            Assert.Equal(LinearTranslation.Ok, Walk(0xFFFF0, AccessKind.Execute, out ulong gpa, out _));
            Assert.Equal(0xFFFF0ul, gpa);
            s[GuestRegister.Cr0] = (ulong)Cr0Bits.ProtectionEnable;
            Assert.Equal(LinearTranslation.Ok, Walk(0x1_2345_6789, AccessKind.Write, out gpa, out _));
            Assert.Equal(0x2345_6789ul, gpa);                                // linear addresses are 32-bit here
        }

        [Fact]
        public void FourLevel_4KiB_2MiB_1GiB()
        {
            _pt.Map(0x0000_7FFF_0000_1000, 0x20_0000, P | W | U);
            _pt.Map(0xFFFF_8000_0020_0000, 0x40_0000, P | W, level: 2);
            _pt.Map(0x0000_0040_0000_0000, 0x4000_0000, P, level: 3);
            Assert.True(Walker.TryTranslateLinear(0x0000_7FFF_0000_1234, AccessKind.Read, out ulong gpa, out _));
            Assert.Equal(0x20_0234ul, gpa);
            Assert.True(Walker.TryTranslateLinear(0xFFFF_8000_0031_2345, AccessKind.Write, out gpa, out _));
            Assert.Equal(0x51_2345ul, gpa);
            Assert.True(Walker.TryTranslateLinear(0x0000_0040_1234_5678, AccessKind.Read, out gpa, out _));
            Assert.Equal(0x5234_5678ul, gpa);
        }

        [Fact]
        public void NotPresent_ErrorCodeHasNoPBit()
        {
            _t.State.Cpl = 3;
            Assert.False(Walker.TryTranslateLinear(0x1000, AccessKind.Write, out _, out ulong code));
            Assert.Equal((ulong)(PageFaultErrorCode.Write | PageFaultErrorCode.User), code);
            _pt.Map(0x1000, 0x20_0000, W | U);                               // P clear in the leaf
            Assert.Equal(LinearTranslation.PageFault, Walk(0x1000, AccessKind.Read, out _, out uint c));
            Assert.Equal((uint)PageFaultErrorCode.User, c);
        }

        [Fact]
        public void UserAccess_ToSupervisorPage_Faults()
        {
            _pt.Map(0x1000, 0x20_0000, P | W);
            _t.State.Cpl = 3;
            Assert.Equal(LinearTranslation.PageFault, Walk(0x1000, AccessKind.Read, out _, out uint code));
            Assert.Equal((uint)(PageFaultErrorCode.Present | PageFaultErrorCode.User), code);
            _t.State.Cpl = 0;
            Assert.Equal(LinearTranslation.Ok, Walk(0x1000, AccessKind.Read, out _, out _));
        }

        [Fact]
        public void UserBit_MustBeSetAtEveryLevel()
        {
            _pt.Map(0x20_0000, 0x20_0000, P | W | U, tableFlags: P | W);    // tables supervisor-only
            _t.State.Cpl = 3;
            Assert.Equal(LinearTranslation.PageFault, Walk(0x20_0000, AccessKind.Read, out _, out _));
        }

        [Fact]
        public void SupervisorWrite_ToReadOnlyPage_FaultsOnlyWithCr0Wp()
        {
            _pt.Map(0x1000, 0x20_0000, P);
            Assert.Equal(LinearTranslation.PageFault, Walk(0x1000, AccessKind.Write, out _, out uint code));
            Assert.Equal((uint)(PageFaultErrorCode.Present | PageFaultErrorCode.Write), code);
            _t.State[GuestRegister.Cr0] &= ~(ulong)Cr0Bits.WriteProtect;
            Assert.Equal(LinearTranslation.Ok, Walk(0x1000, AccessKind.Write, out _, out _));
            _t.State.Cpl = 3;
            _pt.Map(0x2000, 0x20_1000, P | U);
            Assert.Equal(LinearTranslation.PageFault, Walk(0x2000, AccessKind.Write, out _, out _));
        }

        [Fact]
        public void NoExecute_WithNxe_And_XdWithoutNxe_IsReserved()
        {
            _pt.LongMode(_t.State, efer: 0xD00);                             // LME | LMA | NXE
            _pt.Map(0x1000, 0x20_0000, P | W | XD);
            Assert.Equal(LinearTranslation.Ok, Walk(0x1000, AccessKind.Read, out _, out _));
            Assert.Equal(LinearTranslation.PageFault, Walk(0x1000, AccessKind.Execute, out _, out uint code));
            Assert.Equal((uint)(PageFaultErrorCode.Present | PageFaultErrorCode.InstructionFetch), code);

            _pt.LongMode(_t.State, efer: 0x500);                             // NXE off: XD is a reserved bit
            Assert.Equal(LinearTranslation.PageFault, Walk(0x1000, AccessKind.Read, out _, out code));
            Assert.Equal((uint)(PageFaultErrorCode.Present | PageFaultErrorCode.ReservedBit), code);
        }

        [Fact]
        public void Smep_And_Smap()
        {
            _pt.Map(0x1000, 0x20_0000, P | W | U);
            _t.State[GuestRegister.Cr4] |= (ulong)(Cr4Bits.Smep | Cr4Bits.Smap);
            Assert.Equal(LinearTranslation.PageFault, Walk(0x1000, AccessKind.Execute, out _, out uint code));
            Assert.Equal((uint)(PageFaultErrorCode.Present | PageFaultErrorCode.InstructionFetch), code);
            Assert.Equal(LinearTranslation.PageFault, Walk(0x1000, AccessKind.Read, out _, out code));
            Assert.Equal((uint)PageFaultErrorCode.Present, code);
            _t.State[GuestRegister.Rflags] |= (ulong)RflagsBits.AlignmentCheck;   // STAC
            Assert.Equal(LinearTranslation.Ok, Walk(0x1000, AccessKind.Read, out _, out _));
            _t.State.Cpl = 3;
            Assert.Equal(LinearTranslation.Ok, Walk(0x1000, AccessKind.Execute, out _, out _));
        }

        [Fact]
        public void ReservedBits_AndBadStructures()
        {
            ulong pml4e = _pt.Root;                                          // slot 0 of the PML4
            _pt.Write(pml4e, 0x30_0000 | P | W | PS);                        // PS in a PML4E
            Assert.Equal(LinearTranslation.PageFault, Walk(0x1000, AccessKind.Read, out _, out uint code));
            Assert.Equal((uint)(PageFaultErrorCode.Present | PageFaultErrorCode.ReservedBit), code);
            _pt.Write(pml4e, 0);

            ulong pde = _pt.Map(0x40_0000, 0x40_0000 | (1UL << 13), P | W, level: 2);   // bit 13 of a 2 MiB PDE
            Assert.Equal(LinearTranslation.PageFault, Walk(0x40_0000, AccessKind.Read, out _, out code));
            Assert.Equal(8u, code & 8u);
            _pt.Write(pde, (1UL << 47) | 0x40_0000 | P | W | PS);            // above MAXPHYADDR (46)
            Assert.Equal(LinearTranslation.PageFault, Walk(0x40_0000, AccessKind.Read, out _, out code));
            Assert.Equal(8u, code & 8u);
        }

        [Fact]
        public void NonCanonical_TablesOutsideRam_And5Level()
        {
            Assert.Equal(LinearTranslation.NonCanonical, Walk(0x0000_8000_0000_0000, AccessKind.Read, out _, out _));
            _t.State[GuestRegister.Cr3] = 0xC000_0000;                       // no RAM there
            Assert.Equal(LinearTranslation.NotInRam, Walk(0x1000, AccessKind.Read, out _, out _));
            _t.State[GuestRegister.Cr4] |= (ulong)Cr4Bits.La57;
            Assert.Equal(LinearTranslation.UnsupportedMode, Walk(0x1000, AccessKind.Read, out _, out _));
        }

        [Fact]
        public void Paging32_4KiB_And4MiBWithPse36()
        {
            FakeVcpu s = _t.State;
            s.LongMode = false;
            ulong pd = _pt.NewTable(), pt = _pt.NewTable();
            s[GuestRegister.Cr0] = (ulong)(Cr0Bits.ProtectionEnable | Cr0Bits.Paging);
            s[GuestRegister.Cr4] = (ulong)Cr4Bits.PageSizeExtensions;
            s[GuestRegister.Cr3] = pd;
            _pt.Write(pd + 1 * 4, pt | P | W, 4);                            // 0x0040_0000: page table
            _pt.Write(pt + 2 * 4, 0x0030_0000 | P, 4);                       // 0x0040_2000 -> 0x30_0000
            _pt.Write(pd + 0x300 * 4, 0xC000_0000 | (0x3UL << 13) | P | W | PS, 4);  // 0xC000_0000 -> 0x3_C000_0000
            Assert.True(Walker.TryTranslateLinear(0x0040_2ABC, AccessKind.Read, out ulong gpa, out _));
            Assert.Equal(0x30_0ABCul, gpa);
            Assert.True(Walker.TryTranslateLinear(0xC012_3456, AccessKind.Write, out gpa, out _));
            Assert.Equal(0x3_C012_3456ul, gpa);
            Assert.Equal(LinearTranslation.Ok, Walk(0x0040_2000, AccessKind.Write, out _, out _));   // read-only, but CR0.WP = 0
            s.Cpl = 3;
            Assert.Equal(LinearTranslation.PageFault, Walk(0x0040_2000, AccessKind.Read, out _, out uint code));
            Assert.Equal((uint)(PageFaultErrorCode.Present | PageFaultErrorCode.User), code);
        }

        [Fact]
        public void Pae_PdpteThen2MiBAnd4KiB()
        {
            FakeVcpu s = _t.State;
            s.LongMode = false;
            ulong pdpt = _pt.NewTable(), pd = _pt.NewTable(), pt = _pt.NewTable();
            s[GuestRegister.Cr0] = (ulong)(Cr0Bits.ProtectionEnable | Cr0Bits.Paging);
            s[GuestRegister.Cr4] = (ulong)Cr4Bits.PhysicalAddressExtension;
            s[GuestRegister.Cr3] = pdpt;
            _pt.Write(pdpt + 3 * 8, pd | P);                                 // 0xC000_0000-0xFFFF_FFFF
            _pt.Write(pd + 1 * 8, 0x60_0000 | P | W | PS);                   // 0xC020_0000: 2 MiB
            _pt.Write(pd + 2 * 8, pt | P | W);
            _pt.Write(pt + 5 * 8, 0x22_0000 | P | W);                        // 0xC040_5000
            Assert.True(Walker.TryTranslateLinear(0xC021_2345, AccessKind.Read, out ulong gpa, out _));
            Assert.Equal(0x61_2345ul, gpa);
            Assert.True(Walker.TryTranslateLinear(0xC040_5678, AccessKind.Write, out gpa, out _));
            Assert.Equal(0x22_0678ul, gpa);
            Assert.False(Walker.TryTranslateLinear(0x1000, AccessKind.Read, out _, out _));   // PDPTE 0 not present
            // Reserved PDPTE bits are the CR3 load's business (#GP there), not the walk's: QEMU TCG sets the
            // accessed bit (5) in the PDPTE in memory, and R/W here must not turn into an RSVD #PF either.
            _pt.Write(pdpt + 3 * 8, pd | P | W | 0x20);
            Assert.True(Walker.TryTranslateLinear(0xC021_2345, AccessKind.Read, out gpa, out _));
            Assert.Equal(0x61_2345ul, gpa);
        }
    }
}
