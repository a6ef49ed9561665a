using Xunit;

namespace Hv.Tests.Config
{
    /// <summary>One bad value per test file, always on line 2, with the exact message.</summary>
    public class ConfigValueErrorTests
    {
        [Theory]
        [InlineData("memory = 12Q", "memory: '12Q' is not a size (use a number with K, M or G)")]
        [InlineData("memory = M", "memory: 'M' is not a size (use a number with K, M or G)")]
        [InlineData("memory = 1 M", "memory: '1 M' is not a size (use a number with K, M or G)")]
        [InlineData("memory = 1MB", "memory: '1MB' is not a size (use a number with K, M or G)")]
        [InlineData("memory = -1M", "memory: '-1M' is not a size (use a number with K, M or G)")]
        [InlineData("memory = 0x100000", "memory: '0x100000' is not a size (use a number with K, M or G)")]
        [InlineData("memory = 65G", "memory: '65G' is too large (the maximum is 64G)")]
        [InlineData("memory = 65537M", "memory: '65537M' is too large (the maximum is 64G)")]
        [InlineData("memory = 1180591620717411303424G", "memory: '1180591620717411303424G' is too large (the maximum is 64G)")]
        [InlineData("memory = 18446744073709551616", "memory: '18446744073709551616' is too large (the maximum is 64G)")]
        [InlineData("memory = 1023K", "memory: '1023K' is too small (the minimum is 1M)")]
        [InlineData("memory = 0", "memory: '0' is too small (the minimum is 1M)")]
        [InlineData("memory = 1048577", "memory: '1048577' is not a multiple of 4K")]
        [InlineData("memory = 1025K", "memory: '1025K' is not a multiple of 4K")]
        [InlineData("vcpus = 0", "vcpus: '0' is out of range (1 to 64)")]
        [InlineData("vcpus = 65", "vcpus: '65' is out of range (1 to 64)")]
        [InlineData("vcpus = 1180591620717411303424", "vcpus: '1180591620717411303424' is out of range (1 to 64)")]
        [InlineData("vcpus = two", "vcpus: 'two' is not a number")]
        [InlineData("vcpus = +2", "vcpus: '+2' is not a number")]
        [InlineData("vcpus = 2 # two", "vcpus: '2 # two' is not a number")]
        [InlineData("loader = elf", "loader: 'elf' is not linux, multiboot or raw")]
        [InlineData("loader = Linux", "loader: 'Linux' is not linux, multiboot or raw")]
        [InlineData("kernel = /boot/vmlinuz", "kernel: path '/boot/vmlinuz' must be relative to the volume root (no leading '/')")]
        [InlineData("kernel = boot\\vmlinuz", "kernel: path 'boot\\vmlinuz' uses '\\'; separate directories with '/'")]
        [InlineData("kernel = a//b", "kernel: path 'a//b' has an empty component")]
        [InlineData("kernel = a/", "kernel: path 'a/' has an empty component")]
        [InlineData("kernel = ../x", "kernel: path '../x' must not contain '.' or '..' components")]
        [InlineData("kernel = a/./x", "kernel: path 'a/./x' must not contain '.' or '..' components")]
        [InlineData("kernel = my kernel", "kernel: path 'my kernel' contains ' ' (use letters, digits, '.', '_', '-', '+' and '/')")]
        [InlineData("initrd = a:b", "initrd: path 'a:b' contains ':' (use letters, digits, '.', '_', '-', '+' and '/')")]
        [InlineData("initrd = a\tb", "initrd: path 'a?b' contains byte 0x09 (use letters, digits, '.', '_', '-', '+' and '/')")]
        public void VmValues(string line, string expected)
        {
            Assert.Equal("hv.cfg:2: " + expected, Cfg.Error(Cfg.VmWith(line)));
        }

        [Theory]
        [InlineData("devices = floppy", "devices: 'floppy' is not a device (use uart, debug-exit, virtio-blk:PATH, virtio-net, virtio-console or virtio-rng)")]
        [InlineData("devices = uart,,virtio-net", "devices: empty entry in the device list")]
        [InlineData("devices = uart,", "devices: empty entry in the device list")]
        [InlineData("devices = uart, uart", "devices: 'uart' is listed twice")]
        [InlineData("devices = uart:com2", "devices: 'uart:com2' takes no argument")]
        [InlineData("devices = virtio-blk", "devices: 'virtio-blk' needs a disk image (virtio-blk:PATH)")]
        [InlineData("devices = virtio-blk:", "devices: virtio-blk path is empty")]
        [InlineData("devices = virtio-blk:/d.img", "devices: virtio-blk path '/d.img' must be relative to the volume root (no leading '/')")]
        [InlineData("devices = virtio-blk:d.img, virtio-blk:d.img", "devices: disk image 'd.img' is listed twice")]
        [InlineData("devices = Uart", "devices: 'Uart' is not a device (use uart, debug-exit, virtio-blk:PATH, virtio-net, virtio-console or virtio-rng)")]
        public void DeviceLists(string line, string expected)
        {
            Assert.Equal("hv.cfg:2: " + expected, Cfg.Error(Cfg.VmWith(line)));
        }

        [Fact]
        public void SeventeenDevices()
        {
            string list = "virtio-blk:d0";
            for (int i = 1; i < 17; i++)
                list += ",virtio-blk:d" + i;
            Assert.Equal("hv.cfg:2: devices: more than 16 devices", Cfg.Error(Cfg.VmWith("devices = " + list)));
        }

        [Fact]
        public void TooLongPathNameAndCommandLine()
        {
            Assert.Equal("hv.cfg:2: kernel: path is 256 characters long; the limit is 255",
                Cfg.Error(Cfg.VmWith("kernel = " + new string('k', 256))));
            Assert.Equal("hv.cfg:2: cmdline: command line is 2048 characters long; the limit is 2047",
                Cfg.Error(Cfg.VmWith("cmdline = " + new string('c', 2048))));
        }

        [Theory]
        [InlineData("log_level = verbose", "log_level: 'verbose' is not error, warn, info, debug or trace")]
        [InlineData("serial = com3", "serial: 'com3' is not com1, com2 or none")]
        [InlineData("on_exit = reboot", "on_exit: 'reboot' is not halt or debug-exit")]
        [InlineData("selftest = true", "selftest: 'true' is not no or yes")]
        [InlineData("acpi_dump = 1", "acpi_dump: '1' is not no or yes")]
        [InlineData("fault_test = segfault", "fault_test: 'segfault' is not none, page-fault, write-code or stack-overflow")]
        [InlineData("acpi_dump = YES", "acpi_dump: 'YES' is not no or yes")]
        [InlineData("baud = 1000", "baud: '1000' is not a rate the UART can make (115200 divided by a whole number, e.g. 9600, 38400, 57600, 115200)")]
        [InlineData("baud = 230400", "baud: '230400' is not a rate the UART can make (115200 divided by a whole number, e.g. 9600, 38400, 57600, 115200)")]
        [InlineData("baud = 0", "baud: '0' is not a rate the UART can make (115200 divided by a whole number, e.g. 9600, 38400, 57600, 115200)")]
        [InlineData("baud = 99999999999999999999999", "baud: '99999999999999999999999' is not a rate the UART can make (115200 divided by a whole number, e.g. 9600, 38400, 57600, 115200)")]
        [InlineData("baud = fast", "baud: 'fast' is not a number")]
        public void HypervisorValues(string line, string expected)
        {
            Assert.Equal("hv.cfg:2: " + expected, Cfg.Error(Cfg.HvWith(line)));
        }

        [Fact]
        public void LongValuesAreCutInMessages()
        {
            string value = new string('9', 50) + "Q";
            Assert.Equal("hv.cfg:2: memory: '" + new string('9', 40) + "...' is not a size (use a number with K, M or G)",
                Cfg.Error(Cfg.VmWith("memory = " + value)));
        }

        [Fact]
        public void EveryBadLineIsReportedNotJustTheFirst()
        {
            string text = "[hypervisor]\nlog_level = x\nserial = y\nbaud = z\non_exit = w\nselftest = v\n" +
                "[vm a]\nmemory = 1\nvcpus = 0\nkernel = /k\ninitrd = ../i\nloader = q\ndevices = gpu\n";
            string[] errors = Cfg.Errors(text);
            Assert.Equal(11, errors.Length);
            for (int i = 0; i < 5; i++)
                Assert.StartsWith("hv.cfg:" + (i + 2) + ": ", errors[i]);
            for (int i = 5; i < 11; i++)
                Assert.StartsWith("hv.cfg:" + (i + 3) + ": ", errors[i]);
        }
    }
}
