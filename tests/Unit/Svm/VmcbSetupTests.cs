using Hv.Virt;
using Hv.Virt.Svm;
using Xunit;

namespace Hv.Tests.Unit.Svm
{
    /// <summary>VMCBs built by SvmVcpu.Create for each StartMode (APM Vol. 2 Table 14-1, Multiboot §3.2).</summary>
    public unsafe class VmcbSetupTests
    {
        [Fact]
        public void ResetVector_IsTheArchitecturalResetState()
        {
            var vm = new SvmTestVm();
            SvmVcpu vcpu = vm.Create(StartMode.ResetVector, rip: 0x1234);
            VmcbStateSaveArea* s = &vcpu.VmcbPointer->Save;

            Assert.Equal(0xF000, s->Cs.Selector);
            Assert.Equal(0xFFFF_0000ul, s->Cs.Base);
            Assert.Equal(0xFFFFu, s->Cs.Limit);
            Assert.Equal(0xFFF0ul, s->Rip);                   // setup.Rip is ignored: RESET starts at F000:FFF0
            Assert.Equal(0x6000_0010ul, s->Cr0);
            Assert.Equal(2ul, s->Rflags);
            Assert.Equal(0ul, s->Cr3);
            Assert.Equal(0ul, s->Cr4);
            Assert.Equal((ulong)GuestEfer.SVME, s->Efer);
            Assert.Equal(0xFFFF_0FF0ul, s->Dr6);
            Assert.Equal(0x400ul, s->Dr7);
            Assert.Equal(0x0007_0406_0007_0406ul, s->GuestPat);
            foreach (VmcbSegment seg in new[] { s->Ds, s->Es, s->Fs, s->Gs, s->Ss })
            {
                Assert.Equal(0, seg.Selector);
                Assert.Equal(0ul, seg.Base);
                Assert.Equal(0xFFFFu, seg.Limit);
                Assert.Equal(SegmentAttributes.Data16, seg.Attributes);
            }
            Assert.Equal(0xFFFFu, s->Gdtr.Limit);
            Assert.Equal(0xFFFFu, s->Idtr.Limit);
            Assert.Equal(0, s->Cpl);
            Assert.Equal(0x0080_0F12ul, vcpu.Get(GuestRegister.Rdx));   // processor signature
            Assert.Equal(0x9000ul, vcpu.Get(GuestRegister.Rbx));
            Assert.False(vcpu.LongMode);
            Assert.False(vcpu.WaitingForSipi);
        }

        [Fact]
        public void ProtectedFlat32_IsMultibootsMachineState()
        {
            SvmVcpu vcpu = new SvmTestVm().Create(StartMode.ProtectedFlat32, rip: 0x10_000C);
            VmcbStateSaveArea* s = &vcpu.VmcbPointer->Save;

            Assert.Equal(0x11ul, s->Cr0);                      // PE | ET, paging off
            Assert.Equal(0x10_000Cul, s->Rip);
            Assert.Equal(0x2BAD_B002ul, s->Rax);               // Multiboot magic and info address
            Assert.Equal(0x9000ul, vcpu.Get(GuestRegister.Rbx));
            Assert.Equal(0ul, s->Cs.Base);
            Assert.Equal(0xFFFF_FFFFu, s->Cs.Limit);
            Assert.Equal(0xC9B, s->Cs.Attributes);             // G, D, present, execute/read
            foreach (VmcbSegment seg in new[] { s->Ds, s->Es, s->Fs, s->Gs, s->Ss })
            {
                Assert.Equal(0xFFFF_FFFFu, seg.Limit);
                Assert.Equal(0xC93, seg.Attributes);
            }
            Assert.Equal(0ul, s->Rflags & (ulong)GuestRflags.IF);
            Assert.Equal(0ul, vcpu.Get(GuestRegister.Rdx));
        }

        [Fact]
        public void Long64_IsTheLinux64BitBootState()
        {
            SvmVcpu vcpu = new SvmTestVm().Create(StartMode.Long64, rip: 0x100_0200);
            VmcbStateSaveArea* s = &vcpu.VmcbPointer->Save;

            Assert.Equal(0x8000_0011ul, s->Cr0);               // PE | ET | PG
            Assert.Equal(0x20ul, s->Cr4);                      // PAE
            Assert.Equal(0x9000ul, s->Cr3);
            Assert.Equal(0x1500ul, s->Efer);                   // SVME | LMA | LME
            Assert.Equal(0x100_0200ul, s->Rip);
            Assert.Equal(0x7000ul, vcpu.Get(GuestRegister.Rsi)); // boot_params
            Assert.Equal((ushort)0x10, s->Cs.Selector);
            Assert.Equal(0xA9B, s->Cs.Attributes);             // G, L, present, execute/read
            Assert.Equal((ushort)0x18, s->Ds.Selector);
            Assert.Equal(0x8000ul, s->Gdtr.Base);
            Assert.Equal(0x1Fu, s->Gdtr.Limit);
            Assert.True(vcpu.LongMode);
            Assert.Equal(0ul, s->Rflags & (ulong)GuestRflags.IF);
        }

        [Fact]
        public void Controls_InterceptWhatTheCoreNeeds()
        {
            var vm = new SvmTestVm();
            SvmVcpu vcpu = vm.Create(StartMode.ProtectedFlat32, asid: 5);
            VmcbControlArea* c = &vcpu.VmcbPointer->Control;

            foreach (SvmIntercept1 i in new[] { SvmIntercept1.Intr, SvmIntercept1.Nmi, SvmIntercept1.Init, SvmIntercept1.Cpuid,
                                                SvmIntercept1.Hlt, SvmIntercept1.IoioProt, SvmIntercept1.MsrProt, SvmIntercept1.Shutdown })
                Assert.Equal(i, c->Intercept1 & i);
            foreach (SvmIntercept2 i in new[] { SvmIntercept2.Vmrun, SvmIntercept2.Vmmcall, SvmIntercept2.Vmload, SvmIntercept2.Vmsave,
                                                SvmIntercept2.Stgi, SvmIntercept2.Clgi, SvmIntercept2.Skinit, SvmIntercept2.Xsetbv })
                Assert.Equal(i, c->Intercept2 & i);
            Assert.Equal(0, (int)(c->Intercept1 & SvmIntercept1.Vintr));   // only with an interrupt window
            Assert.Equal(0u, c->InterceptCr);
            Assert.Equal(1u << 17, c->InterceptExceptions);
            Assert.Equal(vm.Platform.IopmBase, c->IopmBase);
            Assert.Equal(vm.Platform.MsrpmBase, c->MsrpmBase);
            Assert.Equal(5u, c->GuestAsid);
            Assert.Equal(SvmTlbControl.FlushAll, c->TlbControl);           // first run flushes (no FlushByAsid)
            Assert.Equal(SvmVirtualInterrupt.Masking, c->VirtualInterrupt);
            Assert.Equal(SvmNestedControl.NestedPaging, c->NestedControl);
            Assert.NotEqual(0ul, c->NestedCr3);
            Assert.Equal(0u, c->CleanBits);
            Assert.Equal(0ul, c->EventInjection);
        }

        [Fact]
        public void VcpusOfOneVm_ShareNestedTables_OtherVmsDoNot()
        {
            var vm = new SvmTestVm();
            SvmVcpu a = vm.Create(StartMode.ProtectedFlat32, index: 0);
            SvmVcpu b = vm.Create(StartMode.WaitForSipi, index: 1);
            SvmVcpu other = new SvmTestVm().Create(StartMode.ProtectedFlat32, asid: 2);

            Assert.Equal(a.VmcbPointer->Control.NestedCr3, b.VmcbPointer->Control.NestedCr3);
            Assert.NotEqual(a.VmcbPointer->Control.NestedCr3, other.VmcbPointer->Control.NestedCr3);
            Assert.NotEqual(a.VmcbPhysical, b.VmcbPhysical);
            Assert.Equal(0ul, a.VmcbPhysical & 0xFFF);
            Assert.Equal(1, b.Index);
        }

        [Theory]
        [InlineData(0, "must be 1 or more")]
        [InlineData(16, "the CPU has 16")]
        public void BadAsid_IsRefused(int asid, string why)
        {
            var vm = new SvmTestVm();
            FakePhysical.SetBudget(-1);
            var setup = new VcpuSetup { Mode = StartMode.ResetVector, Memory = vm.Memory, Asid = asid, AllocZeroedPage = &FakePhysical.AllocPage };
            Assert.Null(SvmVcpu.Create(vm.Platform, ref setup, out string error));
            Assert.Contains(why, error);
        }

        [Fact]
        public void OutOfMemory_IsReported()
        {
            var vm = new SvmTestVm();
            FakePhysical.SetBudget(3);
            var setup = new VcpuSetup { Mode = StartMode.ResetVector, Memory = vm.Memory, Asid = 1, AllocZeroedPage = &FakePhysical.AllocPage };
            Assert.Null(SvmVcpu.Create(vm.Platform, ref setup, out string error));
            Assert.Equal("out of memory for nested page tables", error);
        }

        [Fact]
        public void WaitForSipi_DoesNotRunUntilASipi()
        {
            var vm = new SvmTestVm();
            SvmVcpu vcpu = vm.Create(StartMode.WaitForSipi);
            Assert.True(vcpu.WaitingForSipi);

            VmExit exit = SvmTestVm.RunOnce(vcpu);
            Assert.Equal(VmExitKind.Init, exit.Kind);
            Assert.Equal(0, vm.Host.Runs);

            vcpu.StartAtSipi(0x9A);
            VmcbStateSaveArea* s = &vcpu.VmcbPointer->Save;
            Assert.Equal(0x9A00, s->Cs.Selector);
            Assert.Equal(0x9_A000ul, s->Cs.Base);
            Assert.Equal(0ul, s->Rip);
            Assert.False(vcpu.WaitingForSipi);
            vm.Host.ThenExit(SvmExitCode.Hlt);
            vm.Poke(0x9_A000, 0xF4);
            exit = SvmTestVm.RunOnce(vcpu);
            Assert.Equal(VmExitKind.Hlt, exit.Kind);
            Assert.Equal(1, exit.InstructionLength);
        }

        [Fact]
        public void Init_ReturnsToTheResetStateAndWaits()
        {
            SvmVcpu vcpu = new SvmTestVm().Create(StartMode.ProtectedFlat32);
            vcpu.Set(GuestRegister.R9, 7);
            vcpu.Inject(EventType.ExternalInterrupt, 0x30, false, 0);
            vcpu.EnterWaitForSipi();
            Assert.True(vcpu.WaitingForSipi);
            Assert.Equal(0x6000_0010ul, vcpu.Get(GuestRegister.Cr0));
            Assert.Equal(0ul, vcpu.Get(GuestRegister.R9));
            Assert.Equal(0ul, vcpu.VmcbPointer->Control.EventInjection);
            Assert.Null(VmcbChecks.FirstFailure(vcpu.VmcbPointer, SvmTestVm.Limits));
        }

        [Fact]
        public void FxState_HasResetControlWords_AndGprsReachTheWorldSwitch()
        {
            var vm = new SvmTestVm();
            SvmVcpu vcpu = vm.Create(StartMode.ResetVector);
            vcpu.Set(GuestRegister.R15, 0x1515);
            vm.Host.ThenExit(SvmExitCode.Intr);
            SvmTestVm.RunOnce(vcpu);

            Assert.Equal(0x0040, *(ushort*)vm.Host.LastFx);            // FCW after RESET
            Assert.Equal(0x1F80u, *(uint*)(vm.Host.LastFx + 24));      // MXCSR after RESET
            Assert.Equal(0ul, (ulong)vm.Host.LastFx & 15);             // FXSAVE needs 16-byte alignment
            Assert.Equal(0x1515ul, vm.Host.LastGprs[15]);
            Assert.Equal(0x9000ul, vm.Host.LastGprs[3]);
        }
    }
}
