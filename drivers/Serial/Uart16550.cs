// Host console: a polled 16550 UART (PC16550D data sheet; registers at base+0..7).
using Hv.Arch;
using Hv.Diagnostics;

namespace Hv.Drivers.Serial
{
    public sealed class Uart16550 : ILogSink
    {
        public const ushort Com1 = 0x3F8;
        public const ushort Com2 = 0x2F8;

        private const int Thr = 0, Ier = 1, Fcr = 2, Lcr = 3, Mcr = 4, Lsr = 5;
        private const byte LsrThrEmpty = 0x20;
        private const byte LcrDlab = 0x80, Lcr8N1 = 0x03;

        private readonly ushort _base;

        public Uart16550(ushort basePort) { _base = basePort; }

        /// <summary>8N1 at the given rate, FIFOs on, interrupts off (the console is polled).</summary>
        public void Initialize(int baud)
        {
            int divisor = 115200 / (baud <= 0 ? 115200 : baud);
            if (divisor < 1) divisor = 1;
            Cpu.hv_outb((ushort)(_base + Ier), 0);
            Cpu.hv_outb((ushort)(_base + Lcr), LcrDlab);
            Cpu.hv_outb((ushort)(_base + 0), (byte)divisor);
            Cpu.hv_outb((ushort)(_base + 1), (byte)(divisor >> 8));
            Cpu.hv_outb((ushort)(_base + Lcr), Lcr8N1);
            Cpu.hv_outb((ushort)(_base + Fcr), 0x07);  // enable and clear FIFOs
            Cpu.hv_outb((ushort)(_base + Mcr), 0x03);  // DTR, RTS
        }

        public void WriteChar(char c)
        {
            // Bounded wait: a missing UART must not hang the kernel.
            for (int i = 0; i < 200000 && (Cpu.hv_inb((ushort)(_base + Lsr)) & LsrThrEmpty) == 0; i++) { }
            Cpu.hv_outb((ushort)(_base + Thr), (byte)(c < 0x80 ? c : '?'));
        }

        public void WriteLine(string line)
        {
            for (int i = 0; i < line.Length; i++)
            {
                if (line[i] == '\n') WriteChar('\r');
                WriteChar(line[i]);
            }
            WriteChar('\r');
            WriteChar('\n');
        }
    }
}
