using System;
using System.Collections.Generic;
using Hv.Devices.Uart;
using Hv.Tests.Unit.Devices.Fakes;
using Xunit;
using static Hv.Tests.Unit.Devices.Fakes.Port;

namespace Hv.Tests.Unit.Devices.UartModel
{
    internal sealed class ByteSink : IUartOutput
    {
        public readonly List<byte> Bytes = new List<byte>();
        public void Write(byte value) => Bytes.Add(value);
    }

    internal sealed class CountingSink : IUartOutput
    {
        public int Count;
        public void Write(byte value) => Count++;
    }

    /// <summary>The 16550A through its 8 registers, driven the way Linux's 8250 driver probes and uses it.</summary>
    public class UartTests
    {
        private const int Rbr = 0, Thr = 0, Dll = 0, Ier = 1, Dlm = 1, Iir = 2, Fcr = 2, Efr = 2, Lcr = 3, Mcr = 4, Lsr = 5, Msr = 6, Scr = 7;
        private const int NoInt = 0x01;
        private readonly IrqLineLog _irqs = new IrqLineLog();
        private readonly ByteSink _out = new ByteSink();
        private readonly Uart16550 _u;

        public UartTests() { _u = new Uart16550(_irqs, Uart16550.Com1Irq, _out); }

        private byte In(int reg) => In8(_u, (ulong)reg);
        private void Out(int reg, int value) => Out8(_u, (ulong)reg, value);

        [Fact]
        public void ResetState_IdleLsrIs0x60()
        {
            Assert.Equal(0x60, In(Lsr));
            Assert.Equal(0x01, In(Iir));
            Assert.Equal(0xB0, In(Msr));                                    // CTS, DSR, DCD
            Assert.Equal(0, In(Ier));
            Assert.Equal(0, In(Lcr));
            Assert.Equal(0, In(Mcr));
        }

        /// <summary>The decisions of drivers/tty/serial/8250/8250_port.c autoconfig(), replayed register by register.</summary>
        private string LinuxAutoconfig()
        {
            // Scratch and IER tests.
            Out(Ier, 0);
            int scratch2 = In(Ier) & 0x0F;
            Out(Ier, 0x0F);
            int scratch3 = In(Ier) & 0x0F;
            Out(Ier, 0);
            if (scratch2 != 0 || scratch3 != 0x0F)
                return "none (IER test)";
            // Loopback test.
            int saveMcr = In(Mcr);
            Out(Mcr, 0x10 | 0x0A);
            int status1 = In(Msr) & 0xF0;
            Out(Mcr, saveMcr);
            if (status1 != 0x90)
                return "none (loopback test)";
            // EFR access, then FIFO detection.
            int saveLcr = In(Lcr);
            Out(Lcr, 0xBF);
            Out(Efr, 0);
            Out(Lcr, 0);
            Out(Fcr, 0x01);
            int iirType = In(Iir) >> 6;
            if (iirType != 3)
                return iirType == 2 ? "16550" : iirType == 0 ? "8250" : "unknown";
            // autoconfig_16550a: EFR with DLAB (ST16C650V1), EFR behind 0xBF (EFRv2).
            Out(Lcr, 0x80);
            if (In(Efr) == 0)
                return "ST16C650V1";
            Out(Lcr, 0xBF);
            if (In(Efr) == 0)
                return "EFRv2";
            // National SuperIO (EXCR1 behind LCR 0xE0 follows MCR loop).
            Out(Lcr, 0);
            int mcr1 = In(Mcr);
            Out(Lcr, 0xE0);
            int st2 = In(0x02);
            if (((st2 ^ mcr1) & 0x10) == 0)
            {
                Out(Lcr, 0);
                Out(Mcr, mcr1 ^ 0x10);
                Out(Lcr, 0xE0);
                st2 = In(0x02);
                Out(Lcr, 0);
                Out(Mcr, mcr1);
                if (((st2 ^ mcr1) & 0x10) != 0)
                    return "NS16550A";
            }
            // TI16750: IIR bit 5 with the 64-byte FIFO bit, only with DLAB.
            Out(Lcr, 0);
            Out(Fcr, 0x01 | 0x20);
            int s1 = In(Iir) >> 5;
            Out(Fcr, 0x01);
            Out(Lcr, 0x80);
            Out(Fcr, 0x01 | 0x20);
            int s2 = In(Iir) >> 5;
            Out(Fcr, 0x01);
            Out(Lcr, 0);
            if (s1 == 6 && s2 == 7)
                return "16750";
            // XScale UUE bit.
            int ierSave = In(Ier);
            Out(Ier, ierSave | 0x40);
            if ((In(Ier) & 0x40) != 0)
                return "XScale";
            Out(Ier, ierSave);
            Out(Lcr, saveLcr);
            // size_fifo(): loopback, 256 bytes out, count what comes back.
            if (SizeFifo() == 64)
                return "U6_16550A";
            return "16550A";
        }

        private int SizeFifo()
        {
            int oldLcr = In(Lcr);
            Out(Lcr, 0);
            int oldFcr = In(Fcr);
            int oldMcr = In(Mcr);
            Out(Fcr, 0x07);
            Out(Mcr, 0x10);
            Out(Lcr, 0x80);
            int oldDl = In(Dll) | In(Dlm) << 8;
            Out(Dll, 1);
            Out(Dlm, 0);
            Out(Lcr, 0x03);
            for (int i = 0; i < 256; i++)
                Out(Thr, i);
            int count = 0;
            while ((In(Lsr) & 0x01) != 0 && count < 256)
            {
                In(Rbr);
                count++;
            }
            Out(Fcr, oldFcr);
            Out(Mcr, oldMcr);
            Out(Lcr, 0x80);
            Out(Dll, oldDl);
            Out(Dlm, oldDl >> 8);
            Out(Lcr, oldLcr);
            return count;
        }

        [Fact]
        public void LinuxAutoconfig_Detects16550A()
        {
            Assert.Equal("16550A", LinuxAutoconfig());
            Assert.Empty(_out.Bytes);                                        // size_fifo's bytes stayed in loopback
            Assert.Empty(_irqs.Changes);
        }

        [Fact]
        public void LoopbackFifoSizeCount_Is16_AndOverrunIsReported()
        {
            Out(Fcr, 0x07);
            Out(Mcr, 0x10);
            for (int i = 0; i < 20; i++)
                Out(Thr, i);
            Assert.Equal(0x63, In(Lsr));                                     // DR, OE, THRE, TEMT
            Assert.Equal(0x61, In(Lsr));                                     // OE cleared by the read
            for (int i = 0; i < 16; i++)
                Assert.Equal(i, In(Rbr));
            Assert.Equal(0x60, In(Lsr));
            Assert.Equal(4ul, _u.Overruns);
        }

        [Fact]
        public void LinuxStartup_ThreTests_FindNoBugs()
        {
            // serial8250_do_startup: clear FIFOs, read LSR/RX/IIR/MSR, LSR != 0xFF.
            Out(Fcr, 0x01);
            Out(Fcr, 0x07);
            Out(Fcr, 0);
            In(Lsr); In(Rbr); In(Iir); In(Msr);
            Assert.NotEqual(0xFF, In(Lsr));
            // UART_BUG_THRE test.
            Out(Ier, 0x02);
            int iir1 = In(Iir);
            Out(Ier, 0);
            Out(Ier, 0x02);
            int iir = In(Iir);
            Out(Ier, 0);
            Assert.False((iir1 & NoInt) == 0 && (iir & NoInt) != 0);
            Assert.Equal(0x02, iir1);
            Assert.Equal(0x02, iir);
            // UART_BUG_TXEN test.
            Out(Ier, 0x02);
            int lsr = In(Lsr);
            iir = In(Iir);
            Out(Ier, 0);
            Assert.False((lsr & 0x40) != 0 && (iir & NoInt) != 0);
        }

        [Fact]
        public void Transmit_GoesOutAtOnce_ThreInterruptRearmsAndClears()
        {
            Out(Mcr, 0x0B);                                                   // DTR, RTS, OUT2
            Out(Ier, 0x02);
            Assert.True(_irqs.Level[4]);
            Assert.Equal(0x02, In(Iir));                                       // THRE identified...
            Assert.False(_irqs.Level[4]);                                      // ...and acknowledged
            Assert.Equal(0x01, In(Iir));
            Out(Thr, 'h');
            Out(Thr, 'i');
            Assert.Equal(new byte[] { (byte)'h', (byte)'i' }, _out.Bytes.ToArray());
            Assert.True(_irqs.Level[4]);                                       // THR empty again
            Out(Ier, 0);                                                       // __stop_tx
            Assert.False(_irqs.Level[4]);
            Assert.Equal(0x60, In(Lsr));
            Assert.Equal(2ul, _u.BytesTransmitted);
        }

        [Fact]
        public void Receive_FifoTriggerAndTimeout_FullFifoRefuses()
        {
            Out(Fcr, 0x81);                                                    // FIFO, trigger 8
            Out(Mcr, 0x08);
            Out(Ier, 0x01);
            Assert.False(_irqs.Level[4]);
            Assert.True(_u.Receive((byte)'a'));
            Assert.True(_irqs.Level[4]);
            Assert.Equal(0xCC, In(Iir));                                       // character timeout (below trigger)
            for (int i = 1; i < 8; i++)
                Assert.True(_u.Receive((byte)('a' + i)));
            Assert.Equal(0xC4, In(Iir));                                       // at trigger: data available
            for (int i = 8; i < 16; i++)
                Assert.True(_u.Receive((byte)('a' + i)));
            Assert.False(_u.CanReceive);
            Assert.False(_u.Receive((byte)'!'));
            for (int i = 0; i < 16; i++)
            {
                Assert.Equal(0x61, In(Lsr));
                Assert.Equal('a' + i, (int)In(Rbr));
            }
            Assert.Equal(0x60, In(Lsr));
            Assert.Equal(0xC1, In(Iir));
            Assert.False(_irqs.Level[4]);
            Assert.Equal((byte)'p', In(Rbr));                                        // empty RBR keeps the last byte
        }

        [Fact]
        public void Receive_WithoutFifo_HoldsOneByte()
        {
            Assert.True(_u.Receive(1));
            Assert.False(_u.Receive(2));
            Assert.Equal(1, In(Rbr));
            Assert.True(_u.Receive(2));
            Out(Fcr, 0x01);                                                    // enabling the FIFO clears it
            Assert.Equal(0x60, In(Lsr));
            Out(Mcr, 0x10);
            Assert.False(_u.Receive(3));                                       // loopback: input disconnected
        }

        [Fact]
        public void Irq_NeedsOut2_AndIsHeldOffInLoopback()
        {
            Out(Ier, 0x01);
            _u.Receive(7);
            Assert.False(_irqs.Level[4]);
            Out(Mcr, 0x08);
            Assert.True(_irqs.Level[4]);
            Out(Mcr, 0x18);
            Assert.False(_irqs.Level[4]);
            Out(Mcr, 0x08);
            Assert.True(_irqs.Level[4]);
            In(Rbr);
            Assert.False(_irqs.Level[4]);
        }

        [Fact]
        public void InterruptPriority_LineStatusThenDataThenThreThenModem()
        {
            Out(Fcr, 0x01);
            Out(Ier, 0x0F);
            Out(Mcr, 0x19);                                                    // loopback without RTS: CTS drops
            for (int i = 0; i < 17; i++)
                Out(Thr, i);                                                   // 16 in the FIFO, one overrun
            Assert.Equal(0xC6, In(Iir));
            Assert.Equal(0x63, In(Lsr));
            Assert.Equal(0xC4, In(Iir));                                       // 16 >= trigger 1
            for (int i = 0; i < 16; i++)
                In(Rbr);
            Assert.Equal(0xC2, In(Iir));
            Assert.Equal(0xC0, In(Iir));                                       // modem status (deltas)
            Assert.Equal(0xA0 | 0x01, In(Msr));                                // DSR DCD, DCTS
            Assert.Equal(0xC1, In(Iir));
        }

        [Fact]
        public void ModemStatus_LoopbackWiring_AndTrailingEdgeRi()
        {
            Out(Mcr, 0x10 | 0x04);                                             // OUT1 -> RI
            Assert.Equal(0x40 | 0x0B, In(Msr));                                 // CTS/DSR/DCD dropped
            Out(Mcr, 0x10);
            Assert.Equal(0x04, In(Msr));                                        // TERI
            Out(Mcr, 0x10 | 0x03);
            Assert.Equal(0x30 | 0x03, In(Msr));
            Out(Mcr, 0x03);
            Assert.Equal(0xB0 | 0x08, In(Msr));                                 // back to the idle lines
        }

        [Fact]
        public void DivisorLatch_AndRegistersBehindDlab()
        {
            Out(Lcr, 0x83);
            Out(Dll, 0x01);
            Out(Dlm, 0x02);
            Assert.Equal(0x01, In(Dll));
            Assert.Equal(0x02, In(Dlm));
            Assert.Empty(_out.Bytes);
            Assert.Equal(0x01, In(Iir));                                       // IIR readable with DLAB
            Out(Lcr, 0x03);
            Assert.Equal(0, In(Ier));
            Out(Scr, 0x5A);
            Assert.Equal(0x5A, In(Scr));
        }

        [Fact]
        public void HostileAccesses_AreHarmless()
        {
            var wide = new byte[8];
            _u.Read(0, wide);
            Assert.Equal(0x60, wide[5]);
            _u.Read(6, wide.AsSpan(0, 4));
            Assert.Equal(0xFF, wide[3]);
            _u.Write(4, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF });
            Assert.Equal(0x1F, In(Mcr));
            Assert.Equal(0x60, In(Lsr));                                       // LSR writes ignored
            Out(Fcr, 0xFF);
            Out(Mcr, 0);
            for (int i = 0; i < 100; i++)
                _u.Receive((byte)i);
            Assert.Equal(16ul, _u.BytesReceived);
        }

        [Fact]
        public void RegisterAccesses_AllocateNothing()
        {
            var sink = new CountingSink();
            var u = new Uart16550(new SilentIrqLines(), 4, sink);
            var one = new byte[1];
            Run(u, one, 20);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Run(u, one, 3000);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.True(sink.Count > 3000);
        }

        private static void Run(Uart16550 u, byte[] one, int rounds)
        {
            for (int i = 0; i < rounds; i++)
            {
                u.Receive((byte)i);
                one[0] = 0x0B; u.Write(4, one);
                one[0] = 0x03; u.Write(1, one);
                u.Read(2, one);
                u.Read(5, one);
                u.Read(0, one);
                one[0] = (byte)i; u.Write(0, one);
            }
        }
    }
}
