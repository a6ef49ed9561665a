namespace Hv.Config
{
    /// <summary>
    /// A validated hv.cfg: hypervisor options and the VMs to start. Built only by ConfigParser
    /// and only when the whole file is valid; the object is read-only after that.
    /// </summary>
    public sealed class HvConfig
    {
        /// <summary>The file name given to the parser, used in every message.</summary>
        public string FileName { get; }
        public LogLevel LogLevel { get; }
        public SerialPort Serial { get; }
        public int Baud { get; }
        public OnExit OnExit { get; }
        public bool SelfTest { get; }
        /// <summary>Hex-dump every ACPI table to the log at boot (for test fixtures; kernel/Acpi/AcpiDump.cs).</summary>
        public bool AcpiDump { get; }
        /// <summary>A deliberate fault after the self-tests (testing the crash dump); None normally.</summary>
        public FaultTest FaultTest { get; }
        /// <summary>The VM whose UART is connected to the host serial console (raw output and keyboard input), or null.</summary>
        public string Console { get; }

        /// <summary>In file order. Empty is valid: the hypervisor then reports and idles.</summary>
        public VmConfig[] Vms { get; }

        /// <summary>Every file the VMs name, in file order, for boot code to load.</summary>
        public NamedFile[] Files { get; }

        public ulong TotalMemoryBytes { get; }

        /// <summary>The 16550 divisor latch value for Baud (its input clock is 115200 * 16).</summary>
        public int BaudDivisor => ConfigLimits.UartClock / Baud;

        internal HvConfig(string fileName, LogLevel logLevel, SerialPort serial, int baud, OnExit onExit,
            bool selfTest, bool acpiDump, FaultTest faultTest, VmConfig[] vms, NamedFile[] files, ulong totalMemoryBytes, string console = null)
        {
            FileName = fileName;
            LogLevel = logLevel;
            Serial = serial;
            Baud = baud;
            OnExit = onExit;
            SelfTest = selfTest;
            AcpiDump = acpiDump;
            FaultTest = faultTest;
            Vms = vms;
            Files = files;
            TotalMemoryBytes = totalMemoryBytes;
            Console = console;
        }

        /// <summary>
        /// Checks every named file through the probe: it must exist, be non-empty, a kernel or
        /// initrd must fit in its VM's memory and a disk image must be whole 512-byte sectors.
        /// Returns no errors when all is well.
        /// </summary>
        public ConfigError[] CheckFiles(IFileProbe probe) => FileCheck.Run(this, probe);

        /// <summary>
        /// Checks that the VMs fit in the RAM the hypervisor can give them (known only at boot).
        /// Returns one error naming the last VM's memory line, or none.
        /// </summary>
        public ConfigError[] CheckHostMemory(ulong freeBytes) => FileCheck.HostMemory(this, freeBytes);
    }

    /// <summary>One [vm NAME] section.</summary>
    public sealed class VmConfig
    {
        public string Name { get; }
        /// <summary>Line of the [vm NAME] header.</summary>
        public int Line { get; }
        public ulong MemoryBytes { get; }
        /// <summary>Line of the memory key, for messages about memory found at boot.</summary>
        public int MemoryLine { get; }
        public int Vcpus { get; }
        public LoaderKind Loader { get; }
        /// <summary>Path on the boot volume, '/'-separated, relative to its root.</summary>
        public string Kernel { get; }
        /// <summary>Path of the initial ramdisk, or null.</summary>
        public string Initrd { get; }
        /// <summary>The kernel command line as written, without surrounding blanks; "" if none.</summary>
        public string Cmdline { get; }
        public DeviceConfig[] Devices { get; }

        internal VmConfig(string name, int line, ulong memoryBytes, int memoryLine, int vcpus, LoaderKind loader,
            string kernel, string initrd, string cmdline, DeviceConfig[] devices)
        {
            Name = name;
            Line = line;
            MemoryBytes = memoryBytes;
            MemoryLine = memoryLine;
            Vcpus = vcpus;
            Loader = loader;
            Kernel = kernel;
            Initrd = initrd;
            Cmdline = cmdline;
            Devices = devices;
        }

        public bool Has(DeviceKind kind)
        {
            foreach (DeviceConfig device in Devices)
            {
                if (device.Kind == kind)
                    return true;
            }
            return false;
        }
    }

    /// <summary>One entry of a devices list.</summary>
    public sealed class DeviceConfig
    {
        public DeviceKind Kind { get; }
        /// <summary>The disk image of a virtio-blk device; null for every other kind.</summary>
        public string Path { get; }

        internal DeviceConfig(DeviceKind kind, string path)
        {
            Kind = kind;
            Path = path;
        }
    }

    /// <summary>A file on the boot volume that the configuration names, and where it does.</summary>
    public sealed class NamedFile
    {
        public string Path { get; }
        public FileRole Role { get; }
        /// <summary>Index into HvConfig.Vms of the VM that uses the file.</summary>
        public int VmIndex { get; }
        /// <summary>The configuration file, its line and the key that names the file.</summary>
        public string ConfigFile { get; }
        public int Line { get; }
        public string Field { get; }

        internal NamedFile(string path, FileRole role, int vmIndex, string configFile, int line, string field)
        {
            Path = path;
            Role = role;
            VmIndex = vmIndex;
            ConfigFile = configFile;
            Line = line;
            Field = field;
        }
    }
}
