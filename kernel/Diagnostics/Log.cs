// The kernel log: leveled lines to every registered sink (the 16550 console, and the UEFI
// console before ExitBootServices). Lines look like "I text" (E/W/I/D/T = level).
// Logging builds strings, so it is for start-up, configuration and rare events; the VM-exit path
// uses counters instead (docs/runtime.md).
using Hv.Config;

namespace Hv.Diagnostics
{
    public interface ILogSink
    {
        void WriteLine(string line);
    }

    public static unsafe class Log
    {
        private const int MaxSinks = 4;
        private static readonly ILogSink[] s_sinks = new ILogSink[MaxSinks];
        private static int s_count;

        public static LogLevel Level = LogLevel.Info;

        public static void AddSink(ILogSink sink)
        {
            if (s_count < MaxSinks) s_sinks[s_count++] = sink;
        }

        public static void RemoveSink(ILogSink sink)
        {
            for (int i = 0; i < s_count; i++)
                if (s_sinks[i] == sink)
                {
                    s_sinks[i] = s_sinks[--s_count];
                    s_sinks[s_count] = null;
                    return;
                }
        }

        public static void Error(string text) => Write(LogLevel.Error, text);
        public static void Warn(string text) => Write(LogLevel.Warn, text);
        public static void Info(string text) => Write(LogLevel.Info, text);
        public static void Debug(string text) => Write(LogLevel.Debug, text);

        public static bool Enabled(LogLevel level) => level <= Level;

        public static unsafe void Write(LogLevel level, string text)
        {
            if (!Enabled(level)) return;
            string line = Tag(level) + text;
            // Several CPUs log: one line at a time (a test-and-set lock; lines are short). Interrupts
            // are off while it is held, or a thread preempted holding it would deadlock its CPU.
            bool irq = DisableInterrupts != null && DisableInterrupts();
            while (System.Threading.Interlocked.CompareExchange(ref s_lock, 1, 0) != 0) { }
            for (int i = 0; i < s_count; i++) s_sinks[i].WriteLine(line);
            System.Threading.Volatile.Write(ref s_lock, 0);
            if (irq) RestoreInterrupts();
        }

        private static int s_lock;

        /// <summary>Set by the kernel (null on the host): cli returning the previous IF, and sti.</summary>
        public static unsafe delegate*<bool> DisableInterrupts;
        public static unsafe delegate*<void> RestoreInterrupts;

        private static string Tag(LogLevel level)
        {
            switch (level)
            {
                case LogLevel.Error: return "E ";
                case LogLevel.Warn: return "W ";
                case LogLevel.Info: return "I ";
                case LogLevel.Debug: return "D ";
                default: return "T ";
            }
        }
    }
}
