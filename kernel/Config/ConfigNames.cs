namespace Hv.Config
{
    /// <summary>
    /// The keywords of hv.cfg and the text form of its values. The kernel corelib has no
    /// Enum.ToString, so every enum gets its name from a table here; the parser reads the same
    /// tables, so a value always prints the way it is written.
    /// </summary>
    public static class ConfigNames
    {
        internal static readonly string[] LogLevels;
        internal static readonly string[] SerialPorts;
        internal static readonly string[] OnExits;
        internal static readonly string[] FaultTests;
        internal static readonly string[] Loaders;
        internal static readonly string[] Devices;
        internal static readonly string[] YesNo;

        static ConfigNames()
        {
            LogLevels = new string[] { "error", "warn", "info", "debug", "trace" };
            SerialPorts = new string[] { "com1", "com2", "none" };
            OnExits = new string[] { "halt", "debug-exit" };
            FaultTests = new string[] { "none", "page-fault", "write-code", "stack-overflow" };
            Loaders = new string[] { "linux", "multiboot", "raw" };
            Devices = new string[] { "uart", "debug-exit", "virtio-blk", "virtio-net", "virtio-console", "virtio-rng" };
            YesNo = new string[] { "no", "yes" };
        }

        public static string Name(LogLevel value) => Pick(LogLevels, (int)value);
        public static string Name(SerialPort value) => Pick(SerialPorts, (int)value);
        public static string Name(OnExit value) => Pick(OnExits, (int)value);
        public static string Name(FaultTest value) => Pick(FaultTests, (int)value);
        public static string Name(LoaderKind value) => Pick(Loaders, (int)value);
        public static string Name(DeviceKind value) => Pick(Devices, (int)value);
        public static string Name(bool value) => value ? "yes" : "no";

        /// <summary>A device as written in a devices list, e.g. "virtio-blk:disks/root.img".</summary>
        public static string Describe(DeviceConfig device)
        {
            string name = Name(device.Kind);
            return device.Path == null ? name : name + ":" + device.Path;
        }

        /// <summary>A byte count in the largest unit that divides it exactly: "512M", "4K", "100".</summary>
        public static string FormatSize(ulong bytes)
        {
            if (bytes != 0 && bytes % SizeG == 0)
                return (bytes / SizeG).ToString() + "G";
            if (bytes != 0 && bytes % SizeM == 0)
                return (bytes / SizeM).ToString() + "M";
            if (bytes != 0 && bytes % SizeK == 0)
                return (bytes / SizeK).ToString() + "K";
            return bytes.ToString();
        }

        internal const ulong SizeK = 1024;
        internal const ulong SizeM = 1024 * 1024;
        internal const ulong SizeG = 1024 * 1024 * 1024;

        /// <summary>"a, b or c" for messages that list the accepted words.</summary>
        internal static string Choices(string[] words)
        {
            string text = "";
            for (int i = 0; i < words.Length; i++)
            {
                string sep = i == 0 ? "" : (i == words.Length - 1 ? " or " : ", ");
                text = text + sep + words[i];
            }
            return text;
        }

        // An out-of-range value can only come from a cast in caller code; "?" keeps logs printable.
        static string Pick(string[] names, int index) => index >= 0 && index < names.Length ? names[index] : "?";
    }
}
