using Hv.Virt;
using Hv.Virt.Svm;
using Xunit;

namespace Hv.Tests.Unit.Svm
{
    /// <summary>
    /// The VMRUN consistency checks (AMD APM Vol. 2 §15.5.1) on the VMCBs the setup code builds for
    /// every StartMode, and on copies broken one rule at a time.
    /// </summary>
    public unsafe class VmcbChecksTests
    {
        private static readonly SvmCheckLimits Limits = SvmTestVm.Limits;

        public static TheoryData<StartMode> Modes => new TheoryData<StartMode> { StartMode.ResetVector, StartMode.ProtectedFlat32, StartMode.WaitForSipi, StartMode.Long64 };

        [Theory]
        [MemberData(nameof(Modes))]
        public void SetupVmcb_PassesEveryCheck(StartMode mode)
        {
            SvmVcpu vcpu = new SvmTestVm().Create(mode);
            Assert.Null(VmcbChecks.FirstFailure(vcpu.VmcbPointer, Limits));
        }

        [Fact]
        public void AfterSipi_PassesEveryCheck()
        {
            SvmVcpu vcpu = new SvmTestVm().Create(StartMode.WaitForSipi, asid: 3);
            vcpu.StartAtSipi(0x9F);
            Assert.Null(VmcbChecks.FirstFailure(vcpu.VmcbPointer, Limits));
        }

        [Fact]
        public void LongModeState_PassesEveryCheck()
        {
            SvmVcpu vcpu = new SvmTestVm().Create(StartMode.ProtectedFlat32);
            Vmcb* v = vcpu.VmcbPointer;
            v->Save.Cr4 = (ulong)GuestCr4.PAE;
            v->Save.Cr3 = 0x1000;
            v->Save.Cr0 = (ulong)(GuestCr0.PE | GuestCr0.PG | GuestCr0.ET);
            v->Save.Efer |= (ulong)(GuestEfer.LME | GuestEfer.LMA);
            v->Save.Cs.Attributes = 0xA9B;
            Assert.Null(VmcbChecks.FirstFailure(v, Limits));
        }

        /// <summary>Each case breaks one rule of a valid protected-mode VMCB; the checks must name it.</summary>
        public static TheoryData<string, string> Breakages => new TheoryData<string, string>
        {
            { "svme", "EFER.SVME is zero" },
            { "nw", "CR0.CD is zero and CR0.NW is set" },
            { "cr0high", "CR0[63:32] are not zero" },
            { "cr3high", "a MBZ bit of CR3 is set" },
            { "cr3long", "a MBZ bit of CR3 is set" },
            { "cr4", "a MBZ bit of CR4 is set" },
            { "dr6", "DR6[63:32] are not zero" },
            { "dr7", "DR7[63:32] are not zero" },
            { "efer", "a MBZ bit of EFER is set" },
            { "nolong", "EFER.LMA or EFER.LME is set without long mode" },
            { "nopae", "EFER.LME and CR0.PG are set and CR4.PAE is zero" },
            { "nope", "EFER.LME and CR0.PG are set and CR0.PE is zero" },
            { "csld", "EFER.LME, CR0.PG, CR4.PAE, CS.L and CS.D are all set" },
            { "vmrun", "the VMRUN intercept bit is clear" },
            { "msrpm", "the MSR permission map extends past MAXPHYADDR" },
            { "iopm", "the I/O permission map extends past MAXPHYADDR" },
            { "eventtype", "illegal event injection (EVENTINJ)" },
            { "eventnmi", "illegal event injection (EVENTINJ)" },
            { "eventvector", "illegal event injection (EVENTINJ)" },
            { "asid", "the guest ASID is zero" },
            { "ncr3", "N_CR3 is past MAXPHYADDR" },
            { "gpat", "G_PAT holds an invalid memory type" },
            { "nonpt", "NP_ENABLE is set without nested paging" },
        };

        [Theory]
        [MemberData(nameof(Breakages))]
        public void BrokenVmcb_FailsTheRule(string breakage, string rule)
        {
            SvmVcpu vcpu = new SvmTestVm().Create(StartMode.ProtectedFlat32);
            Vmcb* v = vcpu.VmcbPointer;
            SvmCheckLimits limits = Limits;
            Break(v, breakage, ref limits);
            Assert.Equal(rule, VmcbChecks.FirstFailure(v, limits));
        }

        private static void Break(Vmcb* v, string breakage, ref SvmCheckLimits limits)
        {
            VmcbStateSaveArea* s = &v->Save;
            VmcbControlArea* c = &v->Control;
            ulong longMode = (ulong)(GuestEfer.LME | GuestEfer.LMA);
            ulong pg = (ulong)(GuestCr0.PG | GuestCr0.PE);
            switch (breakage)
            {
                case "svme": s->Efer &= ~(ulong)GuestEfer.SVME; break;
                case "nw": s->Cr0 |= (ulong)GuestCr0.NW; break;
                case "cr0high": s->Cr0 |= 1ul << 32; break;
                case "cr3high": s->Cr3 = 1ul << 32; break;                       // legacy mode: CR3 is 32 bits
                case "cr3long": s->Efer |= longMode; s->Cr0 |= pg; s->Cr4 |= (ulong)GuestCr4.PAE; s->Cr3 = 1ul << 48; break;
                case "cr4": s->Cr4 = 1ul << 13; break;                            // VMXE: reserved on AMD
                case "dr6": s->Dr6 |= 1ul << 32; break;
                case "dr7": s->Dr7 |= 1ul << 40; break;
                case "efer": s->Efer |= 1ul << 9; break;
                case "nolong": s->Efer |= (ulong)GuestEfer.LME; limits.LongMode = false; break;
                case "nopae": s->Efer |= longMode; s->Cr0 |= pg; break;
                case "nope": s->Efer |= longMode; s->Cr0 = (ulong)(GuestCr0.PG | GuestCr0.ET); s->Cr4 |= (ulong)GuestCr4.PAE; break;
                case "csld": s->Efer |= longMode; s->Cr0 |= pg; s->Cr4 |= (ulong)GuestCr4.PAE; s->Cs.Attributes |= SegmentAttributes.Long; break;
                case "vmrun": c->Intercept2 &= ~SvmIntercept2.Vmrun; break;
                case "msrpm": c->MsrpmBase = (1ul << 48) - 0x1000; break;
                case "iopm": c->IopmBase = (1ul << 48) - 0x2000; break;
                case "eventtype": c->EventInjection = SvmEvent.ValidBit | (1 << 8) | 0x20; break;
                case "eventnmi": c->EventInjection = SvmEvent.ValidBit | (3 << 8) | 2; break;
                case "eventvector": c->EventInjection = SvmEvent.ValidBit | (3 << 8) | 0x40; break;
                case "asid": c->GuestAsid = 0; break;
                case "ncr3": c->NestedCr3 = 1ul << 48; break;
                case "gpat": s->GuestPat = 0x0007_0406_0007_0402; break;
                case "nonpt": limits.NestedPaging = false; break;
            }
        }

        [Fact]
        public void MapsEndingExactlyAtMaxPhysAddr_Pass()
        {
            SvmVcpu vcpu = new SvmTestVm().Create(StartMode.ProtectedFlat32);
            vcpu.VmcbPointer->Control.MsrpmBase = (1ul << 48) - 0x2000;
            vcpu.VmcbPointer->Control.IopmBase = (1ul << 48) - 0x3000;
            Assert.Null(VmcbChecks.FirstFailure(vcpu.VmcbPointer, Limits));
        }

        [Fact]
        public void ValidInjections_Pass()
        {
            SvmVcpu vcpu = new SvmTestVm().Create(StartMode.ProtectedFlat32);
            foreach (ulong e in new[] { SvmEvent.Make(EventType.ExternalInterrupt, 0x20, false, 0).Raw,
                                        SvmEvent.Make(EventType.Nmi, 2, false, 0).Raw,
                                        SvmEvent.Make(EventType.HardwareException, 13, true, 0x18).Raw,
                                        SvmEvent.Make(EventType.SoftwareInterrupt, 0x80, false, 0).Raw })
            {
                vcpu.VmcbPointer->Control.EventInjection = e;
                Assert.Null(VmcbChecks.FirstFailure(vcpu.VmcbPointer, Limits));
            }
        }
    }
}
