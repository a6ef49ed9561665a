using System;
using System.Collections.Generic;
using System.Text;
using Hv.Devices;
using Hv.Tests.Unit.Virt;
using Hv.Virt;
using Xunit;

namespace Hv.Tests.Unit.Devices
{
    internal sealed class LineCollector : ILineSink
    {
        public readonly List<string> Lines = new List<string>();
        public void WriteLine(ReadOnlySpan<char> line) => Lines.Add(new string(line));
    }

    /// <summary>The debug console (port 0xE9) and the debug-exit port (0xF4).</summary>
    public class DebugDeviceTests
    {
        private static void Print(DebugConsoleDevice c, string text) => c.Write(0, Encoding.ASCII.GetBytes(text));

        [Fact]
        public void Console_EmitsCompleteLines_WithTheVmName()
        {
            var sink = new LineCollector();
            var c = new DebugConsoleDevice("vm1", sink);
            Print(c, "PASS cpu");
            Assert.Empty(sink.Lines);
            Print(c, "id\r\nFAIL x\n\n");
            Assert.Equal(new[] { "[vm1] PASS cpuid", "[vm1] FAIL x", "[vm1] " }, sink.Lines);
            Assert.Equal(3ul, c.LinesEmitted);
            Assert.Equal(0ul, c.LinesCut);
        }

        [Fact]
        public void Console_EscapesNonPrintableBytes()
        {
            var sink = new LineCollector();
            var c = new DebugConsoleDevice("g", sink);
            c.Write(0, new byte[] { (byte)'a', 0x00, 0x1B, (byte)'\t', 0x7F, 0xFF, (byte)'z', (byte)'\n' });
            Assert.Equal(@"[g] a\x00\x1b\x09\x7f\xffz", sink.Lines[0]);
        }

        [Fact]
        public void Console_CutsLongLines_WithoutSplittingAnEscape()
        {
            var sink = new LineCollector();
            var c = new DebugConsoleDevice("g", sink, maxText: 10);
            Print(c, "0123456789abc\n");
            Assert.Equal(new[] { "[g] 0123456789", "[g] abc" }, sink.Lines);
            Assert.Equal(1ul, c.LinesCut);

            sink.Lines.Clear();
            c.Write(0, new byte[] { (byte)'1', (byte)'2', (byte)'3', (byte)'4', (byte)'5', (byte)'6', (byte)'7', 0x01, (byte)'\n' });
            Assert.Equal(new[] { "[g] 1234567", @"[g] \x01" }, sink.Lines);   // the escape moved whole to the next line
        }

        [Fact]
        public void Console_FlushEmitsThePartialLine_ReadReturnsE9()
        {
            var sink = new LineCollector();
            var c = new DebugConsoleDevice("g", sink);
            c.Flush();
            Assert.Empty(sink.Lines);
            Print(c, "last words");
            c.Flush();
            Assert.Equal(new[] { "[g] last words" }, sink.Lines);
            Span<byte> d = stackalloc byte[1];
            c.Read(0, d);
            Assert.Equal(0xE9, d[0]);
        }

        [Fact]
        public void Console_ThroughTheVm_OutToPortE9()
        {
            var t = new TestVm();
            var sink = new LineCollector();
            Assert.True(t.Vm.TryRegisterIo(DebugConsoleDevice.DefaultPort, 1, new DebugConsoleDevice(t.Vm.Name, sink), out string reason), reason);
            foreach (char ch in "ok\n")
            {
                VmExit e = TestVm.Io(VmExitKind.IoOut, 0xE9, 1, ch);
                Assert.Equal(ExitAction.Resume, t.Vcpu.HandleExit(ref e));
            }
            Assert.Equal(new[] { "[t1] ok" }, sink.Lines);
        }

        [Theory]
        [InlineData(1, 0x03ul, 3ul)]
        [InlineData(4, 0x1234_5678ul, 0x1234_5678ul)]
        [InlineData(2, 0xFFFF_0000ul, 0ul)]                   // only the bytes written count
        public void DebugExit_StopsTheVmWithTheValueWritten(byte size, ulong value, ulong status)
        {
            var t = new TestVm();
            Assert.True(t.Vm.TryRegisterIo(DebugExitDevice.DefaultPort, DebugExitDevice.PortCount, new DebugExitDevice(t.Vm), out _));
            Assert.True(t.Vm.Start());
            t.State[GuestRegister.Rip] = 0x100;
            VmExit e = TestVm.Io(VmExitKind.IoOut, 0xF4, size, value, 2);
            Assert.Equal(ExitAction.Stop, t.Vcpu.HandleExit(ref e));
            Assert.Equal(VmState.Stopped, t.Vm.State);
            Assert.Equal(VmStopReason.DebugExit, t.Vm.StopReason);
            Assert.Equal(status, t.Vm.StopCode);
        }

        [Fact]
        public void DebugExit_FirstStopWins()
        {
            var t = new TestVm();
            var dev = new DebugExitDevice(t.Vm);
            dev.Write(1, new byte[] { 7 });                       // another of its four ports: same meaning
            dev.Write(0, new byte[] { 9 });
            Assert.Equal(7ul, t.Vm.StopCode);
            Assert.Equal(2ul, dev.Writes);
            Assert.False(t.Vm.Stop(VmStopReason.TripleFault, 0, null));
            Assert.Equal(VmStopReason.DebugExit, t.Vm.StopReason);
        }
    }
}
