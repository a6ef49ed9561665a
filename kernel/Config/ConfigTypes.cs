namespace Hv.Config
{
    // The typed values of hv.cfg. Each enum's order matches its keyword table in ConfigNames, so a
    // keyword's index is its value. docs/config.md describes what each value means.

    /// <summary>How much the hypervisor logs; a message is printed when its level is at most this.</summary>
    public enum LogLevel
    {
        Error = 0,
        Warn = 1,
        Info = 2,
        Debug = 3,
        Trace = 4,
    }

    /// <summary>The host UART the hypervisor logs to.</summary>
    public enum SerialPort
    {
        Com1 = 0,
        Com2 = 1,
        None = 2,
    }

    /// <summary>What the hypervisor does once every VM has stopped (or when there is none).</summary>
    public enum OnExit
    {
        Halt = 0,
        /// <summary>Tell the emulator to quit: QEMU's isa-debug-exit and Bochs' port 0x8900.</summary>
        DebugExit = 1,
    }

    /// <summary>
    /// A deliberate fault in a kernel thread after the self-tests, to show (and test) the dump:
    /// CPU, thread, registers, and every other CPU stopped by NMI.
    /// </summary>
    public enum FaultTest
    {
        None = 0,
        /// <summary>Write to page 0, which is not mapped.</summary>
        PageFault = 1,
        /// <summary>Write to the hypervisor's own code (W^X: code is read-only).</summary>
        WriteCode = 2,
        /// <summary>Unbounded recursion into the stack's guard page (a double fault on its own stack).</summary>
        StackOverflow = 3,
    }

    /// <summary>How a VM's kernel image is put into guest memory.</summary>
    public enum LoaderKind
    {
        Linux = 0,
        Multiboot = 1,
        Raw = 2,
    }

    /// <summary>Optional devices a VM can be given; the platform devices are always present.</summary>
    public enum DeviceKind
    {
        Uart = 0,
        DebugExit = 1,
        VirtioBlk = 2,
        VirtioNet = 3,
        VirtioConsole = 4,
        VirtioRng = 5,
    }

    /// <summary>Why the configuration names a file, so boot code knows what to do with it.</summary>
    public enum FileRole
    {
        Kernel = 0,
        Initrd = 1,
        Disk = 2,
    }
}
