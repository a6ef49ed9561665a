using Hv.Diagnostics;

namespace Hv.Boot.Uefi
{
    /// <summary>Log lines on the UEFI text console; only until ExitBootServices.</summary>
    public sealed unsafe class ConsoleSink : ILogSink
    {
        public void WriteLine(string line)
        {
            EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL* con = Firmware.SystemTable->ConOut;
            if (con == null) return;
            char* buf = stackalloc char[162];
            int pos = 0;
            for (int i = 0; i <= line.Length; i++)
            {
                bool end = i == line.Length;
                if (!end) buf[pos++] = line[i] < 0x80 ? line[i] : '?';
                if (end || pos >= 158)
                {
                    if (end) { buf[pos++] = '\r'; buf[pos++] = '\n'; }
                    buf[pos] = '\0';
                    con->OutputString(con, buf);
                    pos = 0;
                }
            }
        }
    }
}
