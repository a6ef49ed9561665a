using Hv.Config;
using Xunit;

namespace Hv.Tests.Config
{
    public class ConfigGoodTests
    {
        const string Full =
            "# two guests\n" +                                                   // 1
            "[hypervisor]\n" +                                                   // 2
            "log_level = trace\n" +                                              // 3
            "serial = com2\n" +                                                  // 4
            "baud = 38400\n" +                                                   // 5
            "on_exit = debug-exit\n" +                                           // 6
            "selftest = yes\n" +                                                 // 7
            "\n" +                                                               // 8
            "[vm web]\n" +                                                       // 9
            "memory = 512M\n" +                                                  // 10
            "vcpus = 4\n" +                                                      // 11
            "kernel = guests/linux/bzImage\n" +                                  // 12
            "initrd = guests/linux/initrd.img\n" +                               // 13
            "cmdline = console=ttyS0 root=/dev/vda rw  init=/bin/sh # verbatim\n" + // 14
            "loader = linux\n" +                                                 // 15
            "devices = uart, debug-exit ,virtio-blk:disks/web.img,virtio-net, virtio-blk : disks/data.img\n" + // 16
            "\n" +                                                               // 17
            "[vm tiny-2_x]\n" +                                                  // 18
            "memory = 4096K\n" +                                                 // 19
            "kernel = guests/test.bin\n" +                                       // 20
            "loader = raw\n";                                                    // 21

        [Fact]
        public void FullFileGivesEveryValue()
        {
            HvConfig c = Cfg.Ok(Full);
            Assert.Equal("hv.cfg", c.FileName);
            Assert.Equal(LogLevel.Trace, c.LogLevel);
            Assert.Equal(SerialPort.Com2, c.Serial);
            Assert.Equal(38400, c.Baud);
            Assert.Equal(3, c.BaudDivisor);
            Assert.Equal(OnExit.DebugExit, c.OnExit);
            Assert.True(c.SelfTest);
            Assert.Equal(2, c.Vms.Length);
            Assert.Equal(516UL << 20, c.TotalMemoryBytes);

            VmConfig web = c.Vms[0];
            Assert.Equal("web", web.Name);
            Assert.Equal(9, web.Line);
            Assert.Equal(512UL << 20, web.MemoryBytes);
            Assert.Equal(10, web.MemoryLine);
            Assert.Equal(4, web.Vcpus);
            Assert.Equal("guests/linux/bzImage", web.Kernel);
            Assert.Equal("guests/linux/initrd.img", web.Initrd);
            Assert.Equal("console=ttyS0 root=/dev/vda rw  init=/bin/sh # verbatim", web.Cmdline);
            Assert.Equal(LoaderKind.Linux, web.Loader);
            Assert.Equal(5, web.Devices.Length);
            Assert.Equal(DeviceKind.Uart, web.Devices[0].Kind);
            Assert.Null(web.Devices[0].Path);
            Assert.Equal(DeviceKind.DebugExit, web.Devices[1].Kind);
            Assert.Equal("virtio-blk:disks/web.img", ConfigNames.Describe(web.Devices[2]));
            Assert.Equal(DeviceKind.VirtioNet, web.Devices[3].Kind);
            Assert.Equal("disks/data.img", web.Devices[4].Path);
            Assert.True(web.Has(DeviceKind.VirtioNet));
            Assert.False(web.Has(DeviceKind.VirtioRng));

            VmConfig tiny = c.Vms[1];
            Assert.Equal("tiny-2_x", tiny.Name);
            Assert.Equal(4UL << 20, tiny.MemoryBytes);
            Assert.Equal(1, tiny.Vcpus);
            Assert.Null(tiny.Initrd);
            Assert.Equal("", tiny.Cmdline);
            Assert.Equal(LoaderKind.Raw, tiny.Loader);
            Assert.Empty(tiny.Devices);
        }

        [Fact]
        public void NamedFilesListEveryPathWithItsLineAndField()
        {
            NamedFile[] files = Cfg.Ok(Full).Files;
            Assert.Equal(5, files.Length);
            Check(files[0], "guests/linux/bzImage", FileRole.Kernel, 0, 12, "kernel");
            Check(files[1], "guests/linux/initrd.img", FileRole.Initrd, 0, 13, "initrd");
            Check(files[2], "disks/web.img", FileRole.Disk, 0, 16, "devices");
            Check(files[3], "disks/data.img", FileRole.Disk, 0, 16, "devices");
            Check(files[4], "guests/test.bin", FileRole.Kernel, 1, 20, "kernel");
        }

        static void Check(NamedFile f, string path, FileRole role, int vm, int line, string field)
        {
            Assert.Equal(path, f.Path);
            Assert.Equal(role, f.Role);
            Assert.Equal(vm, f.VmIndex);
            Assert.Equal("hv.cfg", f.ConfigFile);
            Assert.Equal(line, f.Line);
            Assert.Equal(field, f.Field);
        }

        [Fact]
        public void DefaultsApplyWhenKeysAreAbsent()
        {
            HvConfig c = Cfg.Ok("[vm a]\nmemory = 1M\nkernel = k\n");
            Assert.Equal(LogLevel.Info, c.LogLevel);
            Assert.Equal(SerialPort.Com1, c.Serial);
            Assert.Equal(115200, c.Baud);
            Assert.Equal(1, c.BaudDivisor);
            Assert.Equal(OnExit.Halt, c.OnExit);
            Assert.False(c.SelfTest);
            Assert.False(c.AcpiDump);
            Assert.Equal(1, c.Vms[0].Vcpus);
            Assert.Equal(LoaderKind.Linux, c.Vms[0].Loader);
            Assert.Empty(c.Vms[0].Devices);
        }

        [Theory]
        [InlineData("yes", true)]
        [InlineData("no", false)]
        public void AcpiDumpIsAYesNoOption(string value, bool expected)
        {
            HvConfig c = Cfg.Ok("[hypervisor]\nacpi_dump = " + value + "\non_exit = debug-exit\n");
            Assert.Equal(expected, c.AcpiDump);
            Assert.False(c.SelfTest);
        }

        [Theory]
        [InlineData("none", FaultTest.None)]
        [InlineData("page-fault", FaultTest.PageFault)]
        [InlineData("write-code", FaultTest.WriteCode)]
        [InlineData("stack-overflow", FaultTest.StackOverflow)]
        public void FaultTestNamesTheFault(string value, FaultTest expected)
        {
            Assert.Equal(FaultTest.None, Cfg.Ok("[hypervisor]\n").FaultTest);
            Assert.Equal(expected, Cfg.Ok("[hypervisor]\nfault_test = " + value + "\n").FaultTest);
        }

        [Theory]
        [InlineData("")]
        [InlineData("# nothing but a comment\n\n")]
        [InlineData("[hypervisor]\nselftest = yes\n")]
        public void ZeroVmsIsValid(string text)
        {
            HvConfig c = Cfg.Ok(text);
            Assert.Empty(c.Vms);
            Assert.Empty(c.Files);
            Assert.Equal(0UL, c.TotalMemoryBytes);
        }

        [Fact]
        public void BlanksCrLfBomAndUtf8CommentsAreAccepted()
        {
            string text = "\u00EF\u00BB\u00BF# caf\u00C3\u00A9 \u00E2\u0080\u0094 UTF-8 in a comment\r\n" +
                "  [ vm   a ]  \r\n\tmemory\t=\t2G \r\n  # indented comment\r\nkernel=k\r\ncmdline =\r\nvcpus = 064";
            HvConfig c = Cfg.Ok(text);
            Assert.Equal("a", c.Vms[0].Name);
            Assert.Equal(2UL << 30, c.Vms[0].MemoryBytes);
            Assert.Equal("", c.Vms[0].Cmdline);
            Assert.Equal(64, c.Vms[0].Vcpus);
        }

        [Theory]
        [InlineData("1M", 1UL << 20)]
        [InlineData("1m", 1UL << 20)]
        [InlineData("1024K", 1UL << 20)]
        [InlineData("1048576", 1UL << 20)]
        [InlineData("64G", 64UL << 30)]
        [InlineData("65536M", 64UL << 30)]
        [InlineData("3g", 3UL << 30)]
        [InlineData("1028k", 1028UL << 10)]
        public void SizesInEveryUnit(string value, ulong bytes)
        {
            Assert.Equal(bytes, Cfg.Ok(Cfg.VmWith("memory = " + value)).Vms[0].MemoryBytes);
        }

        [Theory]
        [InlineData(1UL << 30, "1G")]
        [InlineData(3UL << 20, "3M")]
        [InlineData(1028UL << 10, "1028K")]
        [InlineData(1000UL, "1000")]
        [InlineData(0UL, "0")]
        public void FormatSizeUsesTheLargestExactUnit(ulong bytes, string text)
        {
            Assert.Equal(text, ConfigNames.FormatSize(bytes));
        }

        [Theory]
        [InlineData("300")]
        [InlineData("9600")]
        [InlineData("57600")]
        [InlineData("115200")]
        public void StandardBaudRates(string baud)
        {
            Assert.Equal(int.Parse(baud), Cfg.Ok(Cfg.HvWith("baud = " + baud)).Baud);
        }

        [Fact]
        public void EnumNamesRoundTrip()
        {
            Assert.Equal("debug-exit", ConfigNames.Name(OnExit.DebugExit));
            Assert.Equal("multiboot", ConfigNames.Name(LoaderKind.Multiboot));
            Assert.Equal("virtio-console", ConfigNames.Name(DeviceKind.VirtioConsole));
            Assert.Equal("none", ConfigNames.Name(SerialPort.None));
            Assert.Equal("warn", ConfigNames.Name(LogLevel.Warn));
            Assert.Equal("?", ConfigNames.Name((LogLevel)9));
            foreach (string level in new[] { "error", "warn", "info", "debug", "trace" })
                Assert.Equal(level, ConfigNames.Name(Cfg.Ok(Cfg.HvWith("log_level = " + level)).LogLevel));
        }

        [Fact]
        public void SixteenVmsAndEveryDeviceOnce()
        {
            string text = "";
            for (int i = 0; i < 16; i++)
                text += "[vm vm" + i + "]\nmemory = 16G\nkernel = k\n";
            text += "devices = uart,debug-exit,virtio-net,virtio-console,virtio-rng,virtio-blk:d\n";
            HvConfig c = Cfg.Ok(text);
            Assert.Equal(16, c.Vms.Length);
            Assert.Equal(256UL << 30, c.TotalMemoryBytes);
            Assert.Equal(6, c.Vms[15].Devices.Length);
        }

        [Fact]
        public void LongestValuesAreAccepted()
        {
            string path = new string('p', 127) + "/" + new string('q', 127);
            string cmdline = new string('c', 2047);
            string name = new string('n', 32);
            HvConfig c = Cfg.Ok("[vm " + name + "]\nmemory = 1M\nkernel = " + path + "\ncmdline = " + cmdline + "\n");
            Assert.Equal(255, c.Vms[0].Kernel.Length);
            Assert.Equal(cmdline, c.Vms[0].Cmdline);
            Assert.Equal(name, c.Vms[0].Name);
        }
    }
}
