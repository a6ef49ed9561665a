// The debug console port: bytes a guest writes are collected into lines and each complete line goes
// to the hypervisor's log prefixed with the VM's name ("[vm1] PASS cpuid"). Test guests print their
// PASS/FAIL lines through it (issue 4 item 7).
//
// Port choice: 0xE9, the "port E9 hack" of Bochs and QEMU (`-debugcon`): OUT 0xE9, AL prints AL, and
// a read returns 0xE9 so a guest can tell the port is there. Only byte writes are meaningful; a wider
// write reaches 0xE9 with its low byte (the bus splits it; the rest falls on unclaimed ports).
//
// The guest controls every byte, so: '\n' ends a line, '\r' is dropped, other bytes outside printable
// ASCII (0x20-0x7E) are written as \xHH, and a line longer than the limit is cut: the part so far is
// emitted and the rest continues on a new line. No allocation: one char buffer, reused.
using System;

namespace Hv.Devices
{
    /// <summary>Where complete lines go (the kernel passes its log). The span is only valid during the call.</summary>
    public interface ILineSink
    {
        void WriteLine(ReadOnlySpan<char> line);
    }

    public sealed class DebugConsoleDevice : IIoDevice
    {
        public const ushort DefaultPort = 0xE9;
        public const byte ReadBackValue = 0xE9;
        /// <summary>Characters of guest text per emitted line (after the prefix), escapes included.</summary>
        public const int DefaultMaxText = 160;
        private const int EscapeLength = 4;   // \xHH

        private readonly ILineSink _sink;
        private readonly char[] _line;
        private readonly int _prefix;
        private int _length;

        public DebugConsoleDevice(string vmName, ILineSink sink, int maxText = DefaultMaxText)
        {
            _sink = sink;
            if (maxText < EscapeLength)
                maxText = EscapeLength;
            string name = vmName ?? "";
            _line = new char[name.Length + 3 + maxText];
            _line[0] = '[';
            for (int i = 0; i < name.Length; i++)
                _line[1 + i] = name[i];
            _line[name.Length + 1] = ']';
            _line[name.Length + 2] = ' ';
            _prefix = name.Length + 3;
            _length = _prefix;
        }

        public ulong BytesWritten { get; private set; }
        public ulong LinesEmitted { get; private set; }
        /// <summary>Lines emitted because they reached the length limit, not a newline.</summary>
        public ulong LinesCut { get; private set; }

        public void Read(ulong offset, Span<byte> data) => data.Fill(ReadBackValue);

        public void Write(ulong offset, ReadOnlySpan<byte> data)
        {
            for (int i = 0; i < data.Length; i++)
                Put(data[i]);
        }

        /// <summary>Emits a pending partial line (call when the VM stops, so its last words are not lost).</summary>
        public void Flush()
        {
            if (_length > _prefix)
                Emit();
        }

        private void Put(byte b)
        {
            BytesWritten++;
            if (b == (byte)'\n')
            {
                Emit();
                return;
            }
            if (b == (byte)'\r')
                return;
            bool printable = b >= 0x20 && b <= 0x7E;
            int need = printable ? 1 : EscapeLength;
            if (_length + need > _line.Length)
            {
                LinesCut++;
                Emit();
            }
            if (printable)
            {
                _line[_length++] = (char)b;
                return;
            }
            _line[_length++] = '\\';
            _line[_length++] = 'x';
            _line[_length++] = HexDigit(b >> 4);
            _line[_length++] = HexDigit(b & 0xF);
        }

        private void Emit()
        {
            _sink.WriteLine(new ReadOnlySpan<char>(_line, 0, _length));
            LinesEmitted++;
            _length = _prefix;
        }

        private static char HexDigit(int v) => (char)(v < 10 ? '0' + v : 'a' + (v - 10));
    }
}
