using System;
using Hv.Virt;
using Xunit;
using static Hv.Tests.Unit.Virt.GuestPageTables;

namespace Hv.Tests.Unit.Virt
{
    /// <summary>Fetching instruction bytes through guest paging, across page boundaries.</summary>
    public class InstructionFetchTests
    {
        private readonly TestVm _t = new TestVm(ramBytes: 0x80_0000);
        private readonly GuestPageTables _pt;

        public InstructionFetchTests()
        {
            _pt = new GuestPageTables(_t.Vm.Memory, 0x10_0000);
            _pt.LongMode(_t.State);
            for (int i = 0; i < 0x1000; i++)
            {
                _t.Host.Bytes[0x30_0000 + i] = (byte)i;           // page A: 00 01 02 ...
                _t.Host.Bytes[0x25_0000 + i] = (byte)(0x80 + i);  // page B: 80 81 82 ...
            }
        }

        private LinearAccessResult Fetch(ulong rip, byte[] buffer) =>
            InstructionFetcher.Fetch(_t.Vm.Memory, _t.State, 46, rip, buffer);

        [Fact]
        public void CrossPage_TwoNonContiguousGuestPages()
        {
            _pt.Map(0x40_0000, 0x30_0000, P);
            _pt.Map(0x40_1000, 0x25_0000, P);                        // the next linear page is elsewhere in RAM
            byte[] buf = new byte[15];
            LinearAccessResult r = Fetch(0x40_0FFB, buf);
            Assert.Equal(LinearTranslation.Ok, r.Status);
            Assert.Equal(15, r.Count);
            Assert.Equal(new byte[] { 0xFB, 0xFC, 0xFD, 0xFE, 0xFF, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89 }, buf);
        }

        [Fact]
        public void CrossPage_SecondPageMissing_GivesTheFirstPartAndTheFault()
        {
            _pt.Map(0x40_0000, 0x30_0000, P);
            byte[] buf = new byte[15];
            LinearAccessResult r = Fetch(0x40_0FFB, buf);
            Assert.Equal(5, r.Count);
            Assert.Equal(LinearTranslation.PageFault, r.Status);
            Assert.Equal(0x40_1000ul, r.FaultLinear);
            Assert.Equal(0u, r.ErrorCode);                           // not present, supervisor, no NX/SMEP: no I/D
            Assert.Equal(0xFF, buf[4]);
        }

        [Fact]
        public void FirstPageMissing_FetchesNothing_AndNoExecuteFaults()
        {
            LinearAccessResult r = Fetch(0x40_0000, new byte[15]);
            Assert.Equal(0, r.Count);
            Assert.Equal(LinearTranslation.PageFault, r.Status);

            _pt.LongMode(_t.State, efer: 0xD00);
            _pt.Map(0x50_0000, 0x30_0000, P | XD);
            r = Fetch(0x50_0000, new byte[15]);
            Assert.Equal(0, r.Count);
            Assert.Equal((uint)(PageFaultErrorCode.Present | PageFaultErrorCode.InstructionFetch), r.ErrorCode);
        }

        [Fact]
        public void AtMost15Bytes_AndCodeInMmio_IsNotInRam()
        {
            _pt.Map(0x40_0000, 0x30_0000, P);
            byte[] big = new byte[32];
            Assert.Equal(15, Fetch(0x40_0010, big).Count);
            Assert.Equal(0, big[15]);
            _pt.Map(0x60_0000, 0xFEC0_0000, P);
            Assert.Equal(LinearTranslation.NotInRam, Fetch(0x60_0000, new byte[15]).Status);
        }

        [Fact]
        public void RealMode_UsesCsBasePlusIp()
        {
            FakeVcpu s = _t.State;
            s.LongMode = false;
            s[GuestRegister.Cr0] = 0;
            s[GuestRegister.CsBase] = 0x30_0000;
            byte[] buf = new byte[4];
            LinearAccessResult r = Fetch(0x1_0010, buf);             // IP is 16 bits: 0x0010
            Assert.Equal(4, r.Count);
            Assert.Equal(new byte[] { 0x10, 0x11, 0x12, 0x13 }, buf);
            Assert.Equal(0x30_0010ul, InstructionFetcher.CodeLinear(s, 0x1_0010));
        }

        [Fact]
        public void ProtectedFlat_UsesCsBasePlusEip()
        {
            FakeVcpu s = _t.State;
            s.LongMode = false;
            s[GuestRegister.Cr0] = (ulong)Cr0Bits.ProtectionEnable;
            s[GuestRegister.CsBase] = 0x10_0000;
            byte[] buf = new byte[2];
            Assert.Equal(2, Fetch(0x20_0FFF, buf).Count);            // 0x30_0FFF and 0x30_1000
            Assert.Equal(0xFF, buf[0]);
        }
    }
}
