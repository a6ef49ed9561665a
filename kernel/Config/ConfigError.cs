using System.Collections.Generic;

namespace Hv.Config
{
    /// <summary>
    /// One problem with the configuration, always tied to a file, a line and a field so the user
    /// can find it. Line 0 means the file as a whole. Text is the one printed form, shared by the
    /// boot code and the host tool: "FILE:LINE: FIELD: MESSAGE".
    /// </summary>
    public sealed class ConfigError
    {
        public string File { get; }
        public int Line { get; }
        public string Field { get; }
        public string Message { get; }
        public string Text { get; }

        public ConfigError(string file, int line, string field, string message)
        {
            File = file;
            Line = line;
            Field = field;
            Message = message;
            Text = ConfigMessages.Format(file, line, field, message);
        }
    }

    /// <summary>The texts that boot code and the host tool must print identically.</summary>
    public static class ConfigMessages
    {
        /// <summary>"FILE:LINE: FIELD: MESSAGE".</summary>
        public static string Format(string file, int line, string field, string message)
        {
            // The corelib's string.Concat takes at most four strings, so build in two steps.
            string where = file + ":" + line.ToString() + ": ";
            return where + field + ": " + message;
        }

        /// <summary>"hv.cfg:LINE: FIELD: file 'PATH' not found on the boot volume".</summary>
        public static string FileNotFound(NamedFile file) => NotFound(file).Text;

        /// <summary>For boot code that found a file but could not read it.</summary>
        public static string FileUnreadable(NamedFile file, string reason) => Unreadable(file, reason).Text;

        internal static ConfigError NotFound(NamedFile file) =>
            new ConfigError(file.ConfigFile, file.Line, file.Field, "file '" + file.Path + "' not found on the boot volume");

        internal static ConfigError Unreadable(NamedFile file, string reason) =>
            new ConfigError(file.ConfigFile, file.Line, file.Field, "file '" + file.Path + "' could not be read: " + reason);
    }

    /// <summary>
    /// Either a fully validated configuration or the errors that prevent one, never both:
    /// nothing of a bad file is applied.
    /// </summary>
    public sealed class ConfigResult
    {
        /// <summary>The configuration, or null when there are errors.</summary>
        public HvConfig Config { get; }

        /// <summary>Errors ordered by line; empty when Config is set.</summary>
        public ConfigError[] Errors { get; }

        public bool Ok => Config != null;

        internal ConfigResult(HvConfig config, ConfigError[] errors)
        {
            Config = config;
            Errors = errors;
        }
    }

    /// <summary>
    /// Collects errors up to a cap, so a hostile or badly broken file yields a screenful of
    /// useful messages instead of thousands, then one line saying the list was cut.
    /// </summary>
    internal sealed class ErrorList
    {
        internal const int Max = 20;

        readonly string file;
        readonly List<ConfigError> errors = new List<ConfigError>();

        internal ErrorList(string file)
        {
            this.file = file;
        }

        internal int Count => errors.Count;

        /// <summary>True once the cap is reached; callers may stop looking.</summary>
        internal bool Full { get; private set; }

        internal void Add(int line, string field, string message)
        {
            if (Full)
                return;
            if (errors.Count == Max)
            {
                Full = true;
                errors.Add(new ConfigError(file, line, "file", "too many errors; only the first " + Max.ToString() + " are shown"));
                return;
            }
            errors.Add(new ConfigError(file, line, field, message));
        }

        /// <summary>
        /// The errors by line. Section checks report when the section ends, after lines that
        /// follow it; a stable insertion sort (at most 20 entries) puts them back in place. The
        /// "too many errors" note stays last.
        /// </summary>
        internal ConfigError[] ToArray()
        {
            ConfigError[] sorted = errors.ToArray();
            int count = Full ? sorted.Length - 1 : sorted.Length;
            for (int i = 1; i < count; i++)
            {
                ConfigError item = sorted[i];
                int j = i - 1;
                while (j >= 0 && sorted[j].Line > item.Line)
                {
                    sorted[j + 1] = sorted[j];
                    j--;
                }
                sorted[j + 1] = item;
            }
            return sorted;
        }
    }
}
