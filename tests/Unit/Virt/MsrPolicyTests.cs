using Hv.Virt;
using Xunit;

namespace Hv.Tests.Unit.Virt
{
    /// <summary>The MSR allow-list: where each value lives, which writes are legal, #GP for the rest.</summary>
    public class MsrPolicyTests
    {
        private readonly TestVm _t = new TestVm(vcpus: 2);

        private MsrResult Read(uint msr, out ulong value, int vcpu = 0) => MsrPolicy.Read(_t.Vm.VcpuAt(vcpu), msr, out value);
        private MsrResult Write(uint msr, ulong value) => MsrPolicy.Write(_t.Vcpu, msr, value);

        [Theory]
        [InlineData(0x48u)]          // SPEC_CTRL: hidden with its CPUID bits
        [InlineData(0x49u)]          // PRED_CMD
        [InlineData(0x3Bu)]          // TSC_ADJUST
        [InlineData(0x6E0u)]         // TSC_DEADLINE
        [InlineData(0x179u)]         // MCG_CAP
        [InlineData(0xDA0u)]         // XSS
        [InlineData(0x38Fu)]         // PERF_GLOBAL_CTRL
        [InlineData(0xC001_0114u)]   // VM_CR (SVM)
        [InlineData(0x480u)]         // VMX_BASIC
        [InlineData(0x1234_5678u)]
        public void Unknown_Msrs_InjectGp(uint msr)
        {
            Assert.Equal(MsrResult.InjectGp, Read(msr, out _));
            Assert.Equal(MsrResult.InjectGp, Write(msr, 0));
        }

        [Fact]
        public void BackendHeldMsrs_GoThroughIVcpuState()
        {
            Assert.Equal(MsrResult.Handled, Write((uint)Msr.Lstar, 0xFFFF_8000_0000_1000));
            Assert.Equal(0xFFFF_8000_0000_1000ul, _t.State[GuestRegister.Lstar]);
            Assert.Equal(MsrResult.Handled, Write((uint)Msr.KernelGsBase, 0x7FFF_FFFF_F000));
            Assert.Equal(MsrResult.Handled, Read((uint)Msr.KernelGsBase, out ulong v));
            Assert.Equal(0x7FFF_FFFF_F000ul, v);
            _t.State[GuestRegister.Tsc] = 12345;
            Assert.Equal(MsrResult.Handled, Read((uint)Msr.Tsc, out v));
            Assert.Equal(12345ul, v);
            Assert.Equal(MsrResult.Handled, Write((uint)Msr.Sfmask, 0xFFFF_FFFF_0004_7700));
            Assert.Equal(0x4_7700ul, _t.State[GuestRegister.Sfmask]);
        }

        [Theory]
        [InlineData(Msr.Lstar)]
        [InlineData(Msr.Cstar)]
        [InlineData(Msr.FsBase)]
        [InlineData(Msr.GsBase)]
        [InlineData(Msr.KernelGsBase)]
        [InlineData(Msr.SysenterEip)]
        [InlineData(Msr.SysenterEsp)]
        public void AddressMsrs_RefuseNonCanonical(Msr msr)
        {
            Assert.Equal(MsrResult.InjectGp, Write((uint)msr, 0x0000_8000_0000_0000));
            Assert.Equal(MsrResult.InjectGp, Write((uint)msr, 0xFFFF_7FFF_FFFF_FFFF));
            Assert.Equal(MsrResult.Handled, Write((uint)msr, 0xFFFF_8000_0000_0000));
        }

        [Fact]
        public void ApicBase_FixedValue_BspOnVcpu0Only()
        {
            Assert.Equal(MsrResult.Handled, Read((uint)Msr.ApicBase, out ulong bsp, 0));
            Assert.Equal(0xFEE0_0900ul, bsp);
            Assert.Equal(MsrResult.Handled, Read((uint)Msr.ApicBase, out ulong ap, 1));
            Assert.Equal(0xFEE0_0800ul, ap);
        }

        [Theory]
        [InlineData(0xFEE0_0900ul, MsrResult.Handled)]       // write back what was read
        [InlineData(0xFEE0_0100ul, MsrResult.Handled)]       // global disable
        [InlineData(0xFEE0_0D00ul, MsrResult.InjectGp)]      // x2APIC mode: not offered
        [InlineData(0xFED0_0900ul, MsrResult.InjectGp)]      // relocation
        [InlineData(0xFEE0_0901ul, MsrResult.InjectGp)]      // reserved bit 0
        [InlineData(0xFEE0_0B00ul, MsrResult.InjectGp)]      // reserved bit 9
        [InlineData(0x1_0000_FEE0_0900ul, MsrResult.InjectGp)] // above MAXPHYADDR (46)
        public void ApicBase_Writes(ulong value, MsrResult expected)
        {
            Assert.Equal(expected, Write((uint)Msr.ApicBase, value));
        }

        [Fact]
        public void ApicBase_Disable_IsReadBack()
        {
            Assert.Equal(MsrResult.Handled, Write((uint)Msr.ApicBase, 0xFEE0_0100));
            Read((uint)Msr.ApicBase, out ulong v);
            Assert.Equal(0xFEE0_0100ul, v);
        }

        [Fact]
        public void Efer_Rules()
        {
            const ulong lme = 1UL << 8, lma = 1UL << 10, nxe = 1UL << 11, sce = 1;
            Assert.Equal(MsrResult.Handled, Write((uint)Msr.Efer, lme | nxe | sce));
            Assert.Equal(lme | nxe | sce, _t.State[GuestRegister.Efer]);
            Assert.Equal(MsrResult.InjectGp, Write((uint)Msr.Efer, lme | (1UL << 12)));   // SVME
            Assert.Equal(MsrResult.InjectGp, Write((uint)Msr.Efer, lme | (1UL << 14)));   // FFXSR
            Assert.Equal(MsrResult.InjectGp, Write((uint)Msr.Efer, lme | (1UL << 63)));

            // Long mode active: LMA is the CPU's, and LME cannot change while paging is on.
            _t.State[GuestRegister.Efer] = lme | lma;
            _t.State[GuestRegister.Cr0] = (ulong)(Cr0Bits.Paging | Cr0Bits.ProtectionEnable);
            Assert.Equal(MsrResult.Handled, Write((uint)Msr.Efer, lme | sce));
            Assert.Equal(lme | lma | sce, _t.State[GuestRegister.Efer]);
            Assert.Equal(MsrResult.InjectGp, Write((uint)Msr.Efer, sce));
        }

        [Fact]
        public void Mtrrs_AreStoredAndChecked()
        {
            Assert.Equal(MsrResult.Handled, Read((uint)Msr.MtrrCap, out ulong cap));
            Assert.Equal(0x508ul, cap);
            Assert.Equal(MsrResult.InjectGp, Write((uint)Msr.MtrrCap, cap));
            Read((uint)Msr.MtrrDefType, out ulong def);
            Assert.Equal(0x806ul, def);

            Assert.Equal(MsrResult.Handled, Write((uint)Msr.MtrrDefType, 0xC00));
            Assert.Equal(MsrResult.InjectGp, Write((uint)Msr.MtrrDefType, 0x802));   // type 2 reserved
            Assert.Equal(MsrResult.InjectGp, Write((uint)Msr.MtrrDefType, 0x1806));  // bit 12 reserved

            Assert.Equal(MsrResult.Handled, Write(0x20E, 0x8000_0006));              // PHYSBASE7: WB at 2 GiB
            Assert.Equal(MsrResult.Handled, Write(0x20F, 0x3FFF_8000_0800));         // PHYSMASK7: 2 GiB, valid
            Read(0x20E, out ulong b7);
            Read(0x20F, out ulong m7);
            Assert.Equal(0x8000_0006ul, b7);
            Assert.Equal(0x3FFF_8000_0800ul, m7);
            Assert.Equal(MsrResult.InjectGp, Write(0x200, 0x8000_0007));             // bad type
            Assert.Equal(MsrResult.InjectGp, Write(0x201, 0x800 | 0x1));             // mask reserved bit 0
            Assert.Equal(MsrResult.InjectGp, Write(0x201, 1UL << 50));               // above MAXPHYADDR
            Assert.Equal(MsrResult.InjectGp, Read(0x210, out _));                    // PHYSBASE8: beyond VCNT

            Assert.Equal(MsrResult.Handled, Write((uint)Msr.MtrrFix4KF8000, 0x0606_0606_0505_0400));
            Read((uint)Msr.MtrrFix4KF8000, out ulong fix);
            Assert.Equal(0x0606_0606_0505_0400ul, fix);
            Assert.Equal(MsrResult.InjectGp, Write((uint)Msr.MtrrFix64K00000, 0x0606_0606_0606_0603));
            Assert.Equal(MsrResult.InjectGp, Read(0x251, out _));                    // between the fixed MTRRs
        }

        [Fact]
        public void Pat_RefusesReservedTypes()
        {
            Assert.Equal(MsrResult.Handled, Write((uint)Msr.Pat, 0x0007_0406_0007_0406));
            Assert.Equal(0x0007_0406_0007_0406ul, _t.State[GuestRegister.Pat]);
            Assert.Equal(MsrResult.InjectGp, Write((uint)Msr.Pat, 0x0007_0406_0007_0402));
            Assert.Equal(MsrResult.InjectGp, Write((uint)Msr.Pat, 0x0807_0406_0007_0406));
        }

        [Fact]
        public void Constants_AndSmallRules()
        {
            Assert.Equal(MsrResult.Handled, Read((uint)Msr.FeatureControl, out ulong fc));
            Assert.Equal(1ul, fc);                                                   // locked, VMX off
            Assert.Equal(MsrResult.InjectGp, Write((uint)Msr.FeatureControl, 5));
            Assert.Equal(MsrResult.Handled, Write((uint)Msr.BiosSignId, 0));
            Assert.Equal(MsrResult.Handled, Read((uint)Msr.BiosSignId, out ulong rev));
            Assert.Equal(0ul, rev);
            Assert.Equal(MsrResult.InjectGp, Write((uint)Msr.PlatformId, 0));
            Assert.Equal(MsrResult.InjectGp, Write((uint)Msr.TscAux, 1UL << 32));
            Assert.Equal(MsrResult.Handled, Write((uint)Msr.TscAux, 7));
            Assert.Equal(7ul, _t.State[GuestRegister.TscAux]);
            Assert.Equal(MsrResult.Handled, Write((uint)Msr.DebugCtl, 0));
            Assert.Equal(MsrResult.InjectGp, Write((uint)Msr.DebugCtl, 1));

            Assert.Equal(MsrResult.Handled, Write((uint)Msr.MiscEnable, 0));        // fast strings off
            Read((uint)Msr.MiscEnable, out ulong misc);
            Assert.Equal(0x1800ul, misc);                                            // the rest is fixed
            Write((uint)Msr.MiscEnable, ulong.MaxValue);
            Read((uint)Msr.MiscEnable, out misc);
            Assert.Equal(0x1801ul, misc);
        }

        [Fact]
        public void Exits_RdmsrFillsEdxEax_WrmsrTakesThem_GpLeavesRip()
        {
            FakeVcpu s = _t.State;
            s[GuestRegister.Rip] = 0x1000;
            s[GuestRegister.Rax] = 0xFFFF_FFFF_FFFF_FFFF;
            var rd = new VmExit { Kind = VmExitKind.MsrRead, Msr = (uint)Msr.ApicBase };
            Assert.Equal(ExitAction.Resume, _t.Vcpu.HandleExit(ref rd));
            Assert.Equal(0xFEE0_0900ul, s[GuestRegister.Rax]);
            Assert.Equal(0ul, s[GuestRegister.Rdx]);
            Assert.Equal(0x1002ul, s[GuestRegister.Rip]);                            // fixed 2-byte length

            s[GuestRegister.Rax] = 0x0000_1000;
            s[GuestRegister.Rdx] = 0xFFFF_8000;
            var wr = new VmExit { Kind = VmExitKind.MsrWrite, Msr = (uint)Msr.Lstar };
            Assert.Equal(ExitAction.Resume, _t.Vcpu.HandleExit(ref wr));
            Assert.Equal(0xFFFF_8000_0000_1000ul, s[GuestRegister.Lstar]);

            var bad = new VmExit { Kind = VmExitKind.MsrRead, Msr = 0x48 };
            Assert.Equal(ExitAction.Resume, _t.Vcpu.HandleExit(ref bad));
            Assert.Equal(0x1004ul, s[GuestRegister.Rip]);                            // unchanged by the #GP
            Assert.Equal(EventType.HardwareException, s.LastType);
            Assert.Equal(13, s.LastVector);
            Assert.True(s.LastHasErrorCode);
            Assert.Equal(0u, s.LastErrorCode);
            Assert.Equal(1ul, _t.Vcpu.Counters.InjectedExceptions);
        }
    }
}

namespace Hv.Tests.Unit.Virt
{
    public class AmdMsrTests
    {
        [Theory]
        [InlineData(0xC001_0010u)]
        [InlineData(0xC001_0015u)]
        [InlineData(0xC001_001Fu)]
        public void LinuxsUncheckedAmdMsrs_ReadZeroOnAmd_AndGpOnIntel(uint msr)
        {
            var amd = new TestVm(cpu: HostProfiles.Amd());
            Assert.Equal(Hv.Virt.MsrResult.Handled, Hv.Virt.MsrPolicy.Read(amd.Vcpu, msr, out ulong v));
            Assert.Equal(0ul, v);
            var intel = new TestVm(cpu: HostProfiles.Intel());
            Assert.Equal(Hv.Virt.MsrResult.InjectGp, Hv.Virt.MsrPolicy.Read(intel.Vcpu, msr, out _));
        }

        [Fact]
        public void NbCfgWrite_IsDropped_SyscfgTakesOnlyZero()
        {
            var amd = new TestVm(cpu: HostProfiles.Amd());
            Assert.Equal(Hv.Virt.MsrResult.Handled, Hv.Virt.MsrPolicy.Write(amd.Vcpu, 0xC001_001F, 1UL << 46));
            Assert.Equal(Hv.Virt.MsrResult.InjectGp, Hv.Virt.MsrPolicy.Write(amd.Vcpu, 0xC001_0010, 1UL << 18));
        }
    }
}
