using System.Text;
using Hv.Devices;
using Hv.Tests.Unit.Devices;
using Hv.Virt;
using Hv.Virt.Exits;
using Xunit;
using static Hv.Tests.Unit.Virt.GuestPageTables;

namespace Hv.Tests.Unit.Virt
{
    /// <summary>INS / OUTS with and without REP, through guest paging.</summary>
    public class StringIoTests
    {
        private readonly TestVm _t = new TestVm(ramBytes: 0x80_0000);
        private readonly LineCollector _lines = new LineCollector();

        public StringIoTests()
        {
            Assert.True(_t.Vm.TryRegisterIo(0xE9, 1, new DebugConsoleDevice("t1", _lines), out _));
            _t.State[GuestRegister.Cr0] = (ulong)Cr0Bits.ProtectionEnable;     // flat 32-bit, no paging
        }

        private static VmExit Outs(byte size = 1, bool rep = true, byte addressSize = 4) => new VmExit
        {
            Kind = VmExitKind.IoOut, Port = 0xE9, Size = size, IsString = true, Rep = rep,
            AddressSize = addressSize, Segment = SegmentRegister.Ds, InstructionLength = 2,
        };

        [Fact]
        public void RepOutsb_PrintsAString()
        {
            byte[] text = Encoding.ASCII.GetBytes("PASS rep outsb\n");
            text.CopyTo(_t.Host.Bytes, 0x8000);
            FakeVcpu s = _t.State;
            s[GuestRegister.Rsi] = 0x8000;
            s[GuestRegister.Rcx] = (ulong)text.Length;
            VmExit e = Outs();
            Assert.Equal(ExitAction.Resume, _t.Vcpu.HandleExit(ref e));
            Assert.Equal(new[] { "[t1] PASS rep outsb" }, _lines.Lines);
            Assert.Equal(0ul, s[GuestRegister.Rcx]);
            Assert.Equal(0x8000ul + (ulong)text.Length, s[GuestRegister.Rsi]);
            Assert.Equal(2ul, s[GuestRegister.Rip]);
        }

        [Fact]
        public void RepZeroCount_OnlyCompletes_AndDirectionFlagCountsDown()
        {
            FakeVcpu s = _t.State;
            VmExit e = Outs();
            _t.Vcpu.HandleExit(ref e);
            Assert.Equal(2ul, s[GuestRegister.Rip]);
            Assert.Empty(_lines.Lines);

            Encoding.ASCII.GetBytes("\nko").CopyTo(_t.Host.Bytes, 0x9000);
            s[GuestRegister.Rsi] = 0x9002;
            s[GuestRegister.Rcx] = 3;
            s[GuestRegister.Rflags] = (ulong)RflagsBits.Direction;
            VmExit d = Outs();
            _t.Vcpu.HandleExit(ref d);
            Assert.Equal(new[] { "[t1] ok" }, _lines.Lines);
            Assert.Equal(0x8FFFul, s[GuestRegister.Rsi]);
        }

        [Fact]
        public void LongRep_StopsAfterABatch_AndLeavesRipForTheRest()
        {
            FakeVcpu s = _t.State;
            s[GuestRegister.Rsi] = 0x1_0000;
            s[GuestRegister.Rcx] = StringIoExit.MaxElementsPerExit + 10;
            VmExit e = Outs();
            _t.Vcpu.HandleExit(ref e);
            Assert.Equal(10ul, s[GuestRegister.Rcx]);
            Assert.Equal(0ul, s[GuestRegister.Rip]);
            VmExit again = Outs();
            _t.Vcpu.HandleExit(ref again);
            Assert.Equal(0ul, s[GuestRegister.Rcx]);
            Assert.Equal(2ul, s[GuestRegister.Rip]);
        }

        [Fact]
        public void Insw_FromUnclaimedPort_StoresAllOnes_16BitAddressesWrap()
        {
            FakeVcpu s = _t.State;
            s[GuestRegister.EsBase] = 0x2_0000;
            s[GuestRegister.Rdi] = 0xABCD_FFFE;                       // DI = 0xFFFE; upper bits survive 16-bit updates
            s[GuestRegister.Rcx] = 0x7777_0002;
            var e = new VmExit { Kind = VmExitKind.IoIn, Port = 0x80, Size = 2, IsString = true, Rep = true, AddressSize = 2, InstructionLength = 2 };
            Assert.Equal(ExitAction.Resume, _t.Vcpu.HandleExit(ref e));
            Assert.Equal(0xFF, _t.Host.Bytes[0x2_FFFE]);
            Assert.Equal(0xFF, _t.Host.Bytes[0x2_0001]);             // second element wrapped to DI = 0
            Assert.Equal(0xABCD_0002ul, s[GuestRegister.Rdi]);
            Assert.Equal(0x7777_0000ul, s[GuestRegister.Rcx]);
            Assert.Equal(2ul, _t.Vcpu.Counters.UnclaimedIoReads);
        }

        [Fact]
        public void Ins_IntoAReadOnlyPage_InjectsPageFault_BeforeReadingTheDevice()
        {
            var pt = new GuestPageTables(_t.Vm.Memory, 0x10_0000);
            pt.LongMode(_t.State);
            pt.Map(0x7000_0000, 0x20_0000, P);                        // read-only
            FakeVcpu s = _t.State;
            s.Cpl = 3;
            s[GuestRegister.Rdi] = 0x7000_0010;
            var dev = new RecordingDevice();
            Assert.True(_t.Vm.TryRegisterIo(0x300, 1, dev, out _));
            var e = new VmExit { Kind = VmExitKind.IoIn, Port = 0x300, Size = 1, IsString = true, AddressSize = 8, InstructionLength = 1 };
            Assert.Equal(ExitAction.Resume, _t.Vcpu.HandleExit(ref e));
            Assert.Equal(0, dev.Reads);
            Assert.Equal(14, s.LastVector);
            Assert.Equal(0x7000_0010ul, s[GuestRegister.Cr2]);
            Assert.Equal(0ul, s[GuestRegister.Rip]);
        }
    }
}
