using Hv.Virt;
using Hv.Virt.Mmio;
using Xunit;
using static Hv.Tests.Unit.Virt.GuestPageTables;

namespace Hv.Tests.Unit.Virt.Mmio
{
    /// <summary>
    /// MMIO exits through Vcpu.HandleExit: the backend gives only the address and direction, the core
    /// decodes the instruction at RIP and routes it to the VM's MMIO bus (unclaimed: all-ones, dropped,
    /// counted), injects what the emulator asks for and keeps the VM's first refusal for the stop report.
    /// </summary>
    public class MmioExitTests
    {
        private readonly TestVm _t = new TestVm(ramBytes: 0x40_0000);

        private FakeVcpu Flat32(ulong eip, params byte[] code)
        {
            FakeVcpu s = _t.State;
            s[GuestRegister.Cr0] = (ulong)Cr0Bits.ProtectionEnable;
            s[GuestRegister.Rip] = eip;
            Assert.True(_t.Vm.Memory.Write(eip, code));
            return s;
        }

        private ExitAction Exit(AccessKind access, ulong gpa, out VmExit e)
        {
            e = TestVm.Mmio(access, gpa);
            return _t.Vcpu.HandleExit(ref e);
        }

        [Fact]
        public void NoDevice_ReadsAllOnes_WritesDropped_Counted()
        {
            FakeVcpu s = Flat32(0x1000, 0x8B, 0x03, 0x66, 0x8B, 0x0B, 0x89, 0x03); // mov eax,[ebx]; mov cx,[ebx]; mov [ebx],eax
            s[GuestRegister.Rbx] = 0xC000_0000;
            s[GuestRegister.Rax] = 0x1234_5678_0000_0000;
            s[GuestRegister.Rcx] = 0x1111_2222_3333_4444;

            Assert.Equal(ExitAction.Resume, Exit(AccessKind.Read, 0xC000_0000, out VmExit e));
            Assert.Equal(2, e.InstructionLength);
            Assert.Equal(0xFFFF_FFFFul, s[GuestRegister.Rax]);
            Exit(AccessKind.Read, 0xC000_0000, out e);
            Assert.Equal(3, e.InstructionLength);
            Assert.Equal(0x1111_2222_3333_FFFFul, s[GuestRegister.Rcx]);
            Assert.Equal(ExitAction.Resume, Exit(AccessKind.Write, 0xC000_0000, out _));

            Assert.Equal(2ul, _t.Vcpu.Counters.UnclaimedMmioReads);
            Assert.Equal(1ul, _t.Vcpu.Counters.UnclaimedMmioWrites);
            Assert.Equal(0x1007ul, s[GuestRegister.Rip]);
            Assert.Equal(3ul, _t.Vcpu.Counters[VmExitKind.MmioAccess]);
        }

        [Fact]
        public void ToDevice_SeesOffsetAndValue()
        {
            var dev = new RecordingDevice { Fill = 0x01 };
            Assert.True(_t.Vm.TryRegisterMmio(0xFEC0_0000, 0x1000, dev, out _));
            FakeVcpu s = Flat32(0x1000,
                0xC7, 0x05, 0x10, 0x00, 0xC0, 0xFE, 0x0D, 0xF0, 0xFE, 0xCA,   // mov dword [0xFEC00010], 0xCAFEF00D
                0x8B, 0x05, 0x20, 0x00, 0xC0, 0xFE);                         // mov eax, [0xFEC00020]
            Exit(AccessKind.Write, 0xFEC0_0010, out _);
            Assert.Equal(0x10ul, dev.LastOffset);
            Assert.Equal(4, dev.LastLength);
            Assert.Equal(0xCAFE_F00Dul, dev.LastWritten);
            Exit(AccessKind.Read, 0xFEC0_0020, out _);
            Assert.Equal(0x20ul, dev.LastOffset);
            Assert.Equal(0x0403_0201ul, s[GuestRegister.Rax]);
            Assert.Equal(0ul, _t.Vcpu.Counters.UnclaimedMmioReads);
        }

        [Fact]
        public void RepStos_ResumesWithRipOnTheInstruction_UntilDone()
        {
            var dev = new RecordingDevice();
            Assert.True(_t.Vm.TryRegisterMmio(0xFEC0_0000, 0x1000, dev, out _));
            FakeVcpu s = Flat32(0x1000, 0xF3, 0xAB);                        // rep stosd
            s[GuestRegister.Rdi] = 0xFEC0_0000;
            s[GuestRegister.Rcx] = 100;

            Assert.Equal(ExitAction.Resume, Exit(AccessKind.Write, 0xFEC0_0000, out _));
            Assert.Equal(0x1000ul, s[GuestRegister.Rip]);
            Assert.Equal(100ul - MmioEmulator.MaxElementsPerExit, s[GuestRegister.Rcx]);
            Assert.Equal(ExitAction.Resume, Exit(AccessKind.Write, s[GuestRegister.Rdi], out _));
            Assert.Equal(0x1002ul, s[GuestRegister.Rip]);
            Assert.Equal(0ul, s[GuestRegister.Rcx]);
            Assert.Equal(100, dev.Writes);
        }

        [Fact]
        public void InsideRam_IsABackendBug_StopsTheVm()
        {
            Assert.Equal(ExitAction.Stop, Exit(AccessKind.Read, 0x1000, out _));
            Assert.Equal(VmStopReason.HypervisorError, _t.Vm.StopReason);
            Assert.Equal(0x1000ul, _t.Vm.StopCode);
        }

        [Fact]
        public void Refused_InjectsUd_AndTheFirstRefusalIsKeptForTheReport()
        {
            FakeVcpu s = Flat32(0x1000, 0x0F, 0x0B);                        // ud2
            Assert.Equal(ExitAction.Resume, Exit(AccessKind.Read, 0xC000_0000, out _));
            Assert.Equal(6, s.LastVector);
            Assert.Equal(0x1000ul, s[GuestRegister.Rip]);
            s.Deliver();

            Flat32(0x2000, 0xFF, 0xFF);                                      // a second one: not recorded
            Exit(AccessKind.Read, 0xC000_0000, out _);
            MmioRefusal r = _t.Vm.MmioRefusal;
            Assert.True(r.Recorded);
            Assert.Equal(MmioResult.InjectUd, r.Result);
            Assert.Equal(0x1000ul, r.Rip);
            Assert.Equal(0xC000_0000ul, r.GuestPhysical);
            Assert.Equal(0x0F, r.ByteAt(0));
            Assert.Equal(0x0B, r.ByteAt(1));

            string report = ExitReport.Format(_t.Vm);
            Assert.Contains("; mmio refused: #UD at rip 0x1000 (vcpu 0, gpa 0xc0000000, bytes 0f 0b", report);
            Assert.False(_t.Vm.IsStopped);
        }

        [Fact]
        public void NoRefusal_NoReportText()
        {
            Assert.Equal("", ExitReport.Refusal(_t.Vm.MmioRefusal));
        }

        [Fact]
        public void OperandFaults_InjectPfWithCr2_GpAndSs()
        {
            FakeVcpu s = _t.State;
            var pt = new GuestPageTables(_t.Vm.Memory, 0x10_0000);
            pt.LongMode(s);
            pt.Map(0x40_0000, 0x20_0000, P | W);
            pt.Map(0x7000_0000, 0xFEC0_0000, P);                            // read-only
            Assert.True(_t.Vm.Memory.Write(0x20_0000, new byte[] { 0x89, 0x03 })); // mov [rbx], eax
            s[GuestRegister.Rip] = 0x40_0000;
            s[GuestRegister.Rbx] = 0x7000_0040;
            s[GuestRegister.Cr0] |= (ulong)Cr0Bits.WriteProtect;

            Assert.Equal(ExitAction.Resume, Exit(AccessKind.Write, 0xFEC0_0040, out _));
            Assert.Equal(14, s.LastVector);
            Assert.Equal((uint)(PageFaultErrorCode.Present | PageFaultErrorCode.Write), s.LastErrorCode);
            Assert.Equal(0x7000_0040ul, s[GuestRegister.Cr2]);
            Assert.False(_t.Vm.MmioRefusal.Recorded);                       // paging is not a refusal
            s.Deliver();

            s[GuestRegister.Rbx] = 0x8000_0000_0000_0000;
            Exit(AccessKind.Write, 0xFEC0_0040, out _);
            Assert.Equal(13, s.LastVector);
            Assert.Equal(0u, s.LastErrorCode);
            s.Deliver();

            Assert.True(_t.Vm.Memory.Write(0x20_0000, new byte[] { 0x89, 0x45, 0x00 })); // mov [rbp+0], eax
            s[GuestRegister.Rbp] = 0x8000_0000_0000_0000;
            Exit(AccessKind.Write, 0xFEC0_0040, out _);
            Assert.Equal(12, s.LastVector);
            Assert.Equal(0x40_0000ul, s[GuestRegister.Rip]);
        }

        [Fact]
        public void NotEmulatable_StopsTheVm()
        {
            Flat32(0x1000, 0x8B, 0x03);
            Assert.Equal(ExitAction.Stop, Exit(AccessKind.Execute, 0xC000_0000, out _));
            Assert.Equal(VmStopReason.UnhandledExit, _t.Vm.StopReason);
            Assert.Equal(0xC000_0000ul, _t.Vm.StopCode);
            Assert.Contains("mmio refused: not emulated", ExitReport.Format(_t.Vm));
        }

        [Fact]
        public void RealMode_WorksThroughTheExitToo()
        {
            FakeVcpu s = _t.State;
            s[GuestRegister.Rip] = 0x7C00;                                  // CR0.PE = 0: 16-bit code
            s[GuestRegister.DsBase] = 0xC000_0000;
            Assert.True(_t.Vm.Memory.Write(0x7C00, new byte[] { 0xA1, 0x10, 0x00 })); // mov ax, [0x10]
            Exit(AccessKind.Read, 0xC000_0010, out VmExit e);
            Assert.Equal(0xFFFFul, s[GuestRegister.Rax]);
            Assert.Equal(3, e.InstructionLength);
        }
    }
}
