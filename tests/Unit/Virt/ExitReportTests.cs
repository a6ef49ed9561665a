using Hv.Virt;
using Xunit;

namespace Hv.Tests.Unit.Virt
{
    /// <summary>Exit counters per kind and raw reason, summed over vCPUs, and the stop line.</summary>
    public class ExitReportTests
    {
        [Fact]
        public void StopLine_ListsKindsThatHappened_InKindOrder()
        {
            var t = new TestVm(vcpus: 2);
            for (int i = 0; i < 12; i++)
                t.Exit(VmExitKind.Cpuid);
            var second = t.Vm.VcpuAt(1);
            for (int i = 0; i < 3; i++)
            {
                var e = TestVm.Io(VmExitKind.IoOut, 0x80, 1);
                second.HandleExit(ref e);
            }
            Assert.True(t.Vm.Memory.Write(0x100, new byte[] { 0xA1, 0x00, 0x00 })); // real mode: mov ax, [0]
            t.State[GuestRegister.Rip] = 0x100;
            t.State[GuestRegister.DsBase] = 0xC000_0000;
            var r = TestVm.Mmio(AccessKind.Read, 0xC000_0000);
            t.Vcpu.HandleExit(ref r);
            t.Vm.Stop(VmStopReason.DebugExit, 0, null);

            Assert.Equal("vm t1 stopped (debug-exit 0): exits 16: cpuid 12, io-out 3, mmio 1; unclaimed: io-out 3, mmio-read 1",
                ExitReport.Format(t.Vm));
        }

        [Fact]
        public void UnknownRawReasons_AreCountedSeparately()
        {
            var c = new ExitCounters();
            c.Count(VmExitKind.Unknown, 0x41);
            c.Count(VmExitKind.Unknown, 0x41);
            c.Count(VmExitKind.Unknown, 0x7);
            for (uint raw = 100; raw < 100 + ExitCounters.RawSlots; raw++)
                c.Count(VmExitKind.Unknown, raw);                     // 6 fit, 2 overflow
            c.Count((VmExitKind)200, 5);                               // out-of-range kind counts as unknown
            Assert.Equal(ExitCounters.RawSlots, c.RawReasonCount);
            Assert.Equal(0x41u, c.RawReason(0));
            Assert.Equal(2ul, c.RawReasonExits(0));
            Assert.Equal(3ul, c.UnknownOverflow);
            Assert.Equal(12ul, c[VmExitKind.Unknown]);
            string line = ExitReport.Format("x", "unhandled exit 0x41", c);
            Assert.StartsWith("vm x stopped (unhandled exit 0x41): exits 12: unknown 12; unknown raw reasons: 0x41 x2, 0x7 x1, 0x64 x1", line);
            Assert.EndsWith(", others x3", line);
        }

        [Fact]
        public void StopText_PerReason()
        {
            var t = new TestVm();
            var e = new VmExit { Kind = VmExitKind.Invalid, RawReason = 33, EntryFailureReason = "invalid guest state" };
            t.Vcpu.HandleExit(ref e);
            Assert.Equal("VM entry failed: invalid guest state", ExitReport.StopText(t.Vm));

            var u = new TestVm();
            var x = new VmExit { Kind = VmExitKind.Unknown, RawReason = 0x41 };
            u.Vcpu.HandleExit(ref x);
            Assert.Equal("unhandled exit 0x41: exit reason not handled", ExitReport.StopText(u.Vm));

            var tf = new TestVm();
            tf.Exit(VmExitKind.TripleFault);
            Assert.StartsWith("vm t1 stopped (triple fault): exits 1: triple-fault 1", ExitReport.Format(tf.Vm));
        }

        [Fact]
        public void Injections_AppearInTheLine()
        {
            var c = new ExitCounters { InjectedInterrupts = 4, InjectedExceptions = 1 };
            Assert.Equal("vm v stopped (r): exits 0; injected: interrupts 4, exceptions 1", ExitReport.Format("v", "r", c));
        }
    }
}
