using System;

namespace Hv.Config
{
    /// <summary>The keys of each section and how their values are read.</summary>
    internal sealed partial class Parser
    {
        // Key tables; a key's index is its HvKey / VmKey value and its slot in the key-line arrays.
        static readonly string[] HvKeys;
        static readonly string[] VmKeys;

        enum HvKey { LogLevel, Serial, Baud, OnExit, SelfTest, AcpiDump, FaultTest, Console }
        enum VmKey { Memory, Vcpus, Kernel, Initrd, Cmdline, Loader, Devices }

        static Parser()
        {
            HvKeys = new string[] { "log_level", "serial", "baud", "on_exit", "selftest", "acpi_dump", "fault_test", "console" };
            VmKeys = new string[] { "memory", "vcpus", "kernel", "initrd", "cmdline", "loader", "devices" };
        }

        // [hypervisor] values, preset to the documented defaults. hvKeyLines[k] is the line that
        // set key k, 0 while unset: it finds duplicates and places later messages.
        readonly int[] hvKeyLines;
        int hypervisorLine;
        LogLevel logLevel = LogLevel.Info;
        SerialPort serial = SerialPort.Com1;
        int baud = ConfigLimits.UartClock;
        OnExit onExit = OnExit.Halt;
        bool selfTest;
        bool acpiDump;
        FaultTest faultTest;
        /// <summary>The VM whose UART owns the host serial console (raw output, keyboard input); null: none.</summary>
        string console;

        void ParseKey(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, int number)
        {
            if (section == Section.None)
            {
                string field = key.IsEmpty ? "file" : Ascii.Shown(key);
                errors.Add(number, field, "key outside any section (put it under [hypervisor] or [vm NAME])");
                return;
            }
            if (section == Section.Ignored)
                return;
            if (key.IsEmpty)
            {
                errors.Add(number, SectionField, "missing key before '='");
                return;
            }
            bool hv = section == Section.Hypervisor;
            string[] table = hv ? HvKeys : VmKeys;
            int[] keyLines = hv ? hvKeyLines : vm.KeyLines;
            int index = Ascii.Find(key, table);
            if (index < 0)
            {
                string known = "(use " + ConfigNames.Choices(table) + ")";
                errors.Add(number, Ascii.Shown(key), "unknown key in " + sectionText + " " + known);
                return;
            }
            string name = table[index];
            if (keyLines[index] != 0)
            {
                errors.Add(number, name, "duplicate key (first set at line " + keyLines[index].ToString() + ")");
                return;
            }
            keyLines[index] = number;
            // An empty command line is a real choice; any other empty value is a slip.
            if (value.IsEmpty && !(!hv && index == (int)VmKey.Cmdline))
            {
                errors.Add(number, name, "missing value");
                return;
            }
            string problem = hv ? SetHypervisor((HvKey)index, value) : SetVm((VmKey)index, value);
            if (problem != null)
                errors.Add(number, name, problem);
        }

        /// <summary>
        /// A key whose line was rejected before its value was read still counts as present, so
        /// the user is not also told that it is missing.
        /// </summary>
        void MarkSeen(ReadOnlySpan<byte> key, int number)
        {
            if (section != Section.Hypervisor && section != Section.Vm)
                return;
            int[] keyLines = section == Section.Hypervisor ? hvKeyLines : vm.KeyLines;
            int index = Ascii.Find(key, section == Section.Hypervisor ? HvKeys : VmKeys);
            if (index >= 0 && keyLines[index] == 0)
                keyLines[index] = number;
        }

        string SetHypervisor(HvKey key, ReadOnlySpan<byte> value)
        {
            string problem;
            int word;
            switch (key)
            {
                case HvKey.LogLevel:
                    problem = Values.Keyword(value, ConfigNames.LogLevels, out word);
                    logLevel = (LogLevel)word;
                    return problem;
                case HvKey.Serial:
                    problem = Values.Keyword(value, ConfigNames.SerialPorts, out word);
                    serial = (SerialPort)word;
                    return problem;
                case HvKey.Baud:
                    return Values.Baud(value, out baud);
                case HvKey.OnExit:
                    problem = Values.Keyword(value, ConfigNames.OnExits, out word);
                    onExit = (OnExit)word;
                    return problem;
                case HvKey.SelfTest:
                    problem = Values.Keyword(value, ConfigNames.YesNo, out word);
                    selfTest = word == 1;
                    return problem;
                case HvKey.AcpiDump:
                    problem = Values.Keyword(value, ConfigNames.YesNo, out word);
                    acpiDump = word == 1;
                    return problem;
                case HvKey.Console:
                    // Checked against the VMs at the end of the file (Finish): they may come later.
                    console = Ascii.Shown(value);
                    if (console == "none") console = null;
                    return null;
                default:
                    problem = Values.Keyword(value, ConfigNames.FaultTests, out word);
                    faultTest = (FaultTest)word;
                    return problem;
            }
        }

        // A value stored after a failed parse is never used: any error discards the whole result.
        string SetVm(VmKey key, ReadOnlySpan<byte> value)
        {
            switch (key)
            {
                case VmKey.Memory:
                    return Values.Size(value, out vm.MemoryBytes);
                case VmKey.Vcpus:
                    return Values.Integer(value, 1, ConfigLimits.MaxVcpus, out vm.Vcpus);
                case VmKey.Kernel:
                    return Values.Path(value, out vm.Kernel);
                case VmKey.Initrd:
                    return Values.Path(value, out vm.Initrd);
                case VmKey.Cmdline:
                    return Values.Cmdline(value, out vm.Cmdline);
                case VmKey.Loader:
                    string problem = Values.Keyword(value, ConfigNames.Loaders, out int word);
                    vm.Loader = (LoaderKind)word;
                    return problem;
                default:
                    return DeviceList.Parse(value, vm.Devices);
            }
        }
    }
}
