using Xunit;

namespace Hv.Tests.Config
{
    /// <summary>Errors about lines, sections and keys, each with its exact text.</summary>
    public class ConfigSectionErrorTests
    {
        [Fact]
        public void KeyBeforeAnySection()
        {
            Assert.Equal("hv.cfg:1: log_level: key outside any section (put it under [hypervisor] or [vm NAME])",
                Cfg.Error("log_level = info\n"));
        }

        [Fact]
        public void LineThatIsNotKeyValue()
        {
            Assert.Equal("hv.cfg:2: serial: expected 'key = value', a [section] header or a # comment",
                Cfg.Error("[hypervisor]\nserial com1\n"));
        }

        [Fact]
        public void UnknownSectionSkipsItsKeys()
        {
            Assert.Equal("hv.cfg:1: [network]: unknown section (use [hypervisor] or [vm NAME])",
                Cfg.Error("[network]\nbridge = br0\nanything = goes\n"));
        }

        [Theory]
        [InlineData("[vm a", "hv.cfg:1: [vm a: section header is missing ']'")]
        [InlineData("[vm a] x", "hv.cfg:1: [vm a] x: unexpected text after ']'")]
        [InlineData("[]", "hv.cfg:1: []: unknown section (use [hypervisor] or [vm NAME])")]
        [InlineData("[vm]", "hv.cfg:1: [vm]: missing VM name (write [vm NAME])")]
        [InlineData("[VM a]", "hv.cfg:1: [VM a]: unknown section (use [hypervisor] or [vm NAME])")]
        public void BadHeaders(string header, string expected)
        {
            Assert.Equal(expected, Cfg.Errors(header + "\nmemory = 1M\nkernel = k\n")[0]);
        }

        [Fact]
        public void HypervisorTakesNoName()
        {
            Assert.Equal("hv.cfg:1: [hypervisor main]: [hypervisor] takes no name", Cfg.Error("[hypervisor main]\n"));
        }

        [Fact]
        public void DuplicateHypervisorSection()
        {
            Assert.Equal("hv.cfg:3: [hypervisor]: duplicate section (first at line 1)",
                Cfg.Error("[hypervisor]\nbaud = 9600\n[hypervisor]\nbaud = 300\n"));
        }

        [Fact]
        public void UnknownKeyListsTheKnownOnes()
        {
            Assert.Equal("hv.cfg:2: vcpu: unknown key in [vm a] (use memory, vcpus, kernel, initrd, cmdline, loader or devices)",
                Cfg.Error(Cfg.VmWith("vcpu = 2")));
            Assert.Equal("hv.cfg:2: memory: unknown key in [hypervisor] (use log_level, serial, baud, on_exit, selftest, acpi_dump, fault_test or console)",
                Cfg.Error(Cfg.HvWith("memory = 1G")));
            Assert.Equal("hv.cfg:2: Memory: unknown key in [vm a] (use memory, vcpus, kernel, initrd, cmdline, loader or devices)",
                Cfg.Errors("[vm a]\nMemory = 1M\nkernel = k\nmemory = 1M\n")[0]);
        }

        [Fact]
        public void DuplicateKey()
        {
            Assert.Equal("hv.cfg:4: memory: duplicate key (first set at line 2)",
                Cfg.Error("[vm a]\nmemory = 1M\nkernel = k\nmemory = 2M\n"));
            Assert.Equal("hv.cfg:3: selftest: duplicate key (first set at line 2)",
                Cfg.Error("[hypervisor]\nselftest = no\nselftest = no\n"));
        }

        [Fact]
        public void EmptyKeyAndEmptyValue()
        {
            Assert.Equal("hv.cfg:2: [vm a]: missing key before '='", Cfg.Error(Cfg.VmWith("= 5")));
            Assert.Equal("hv.cfg:2: vcpus: missing value", Cfg.Error(Cfg.VmWith("vcpus =")));
            Assert.Equal("hv.cfg:2: kernel: missing value", Cfg.Error(Cfg.VmWith("kernel = ")));
        }

        [Fact]
        public void MissingRequiredKeysAreReportedAtTheHeader()
        {
            Assert.Equal(new[]
            {
                "hv.cfg:1: memory: required key is missing from [vm a]",
                "hv.cfg:1: kernel: required key is missing from [vm a]",
                "hv.cfg:3: kernel: required key is missing from [vm b]",
            }, Cfg.Errors("[vm a]\nvcpus = 2\n[vm b]\nmemory = 1M\n"));
        }

        [Fact]
        public void DuplicateVmName()
        {
            Assert.Equal("hv.cfg:4: [vm a]: duplicate VM name 'a' (first at line 1)",
                Cfg.Error("[vm a]\nmemory = 1M\nkernel = k\n[vm a]\nmemory = 1M\nkernel = k\n"));
        }

        [Theory]
        [InlineData("[vm Web]", "hv.cfg:1: [vm Web]: VM name 'Web' contains 'W' (use a-z, 0-9, '_' and '-')")]
        [InlineData("[vm a.b]", "hv.cfg:1: [vm a.b]: VM name 'a.b' contains '.' (use a-z, 0-9, '_' and '-')")]
        [InlineData("[vm a b]", "hv.cfg:1: [vm a b]: VM name 'a b' contains ' ' (use a-z, 0-9, '_' and '-')")]
        [InlineData("[vm aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]",
            "hv.cfg:1: [vm aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]: VM name is 33 characters long; the limit is 32")]
        public void BadVmNamesStillCheckTheirKeys(string header, string expected)
        {
            Assert.Equal(new[] { expected, "hv.cfg:2: vcpus: '0' is out of range (1 to 64)" },
                Cfg.Errors(header + "\nvcpus = 0\nmemory = 1M\nkernel = k\n"));
        }

        [Fact]
        public void EveryVmPastSixteenIsReported()
        {
            string text = "";
            for (int i = 0; i < 18; i++)
                text += "[vm v" + i + "]\nmemory = 1M\nkernel = k\n";
            Assert.Equal(new[]
            {
                "hv.cfg:49: [vm v16]: too many VMs (the limit is 16)",
                "hv.cfg:52: [vm v17]: too many VMs (the limit is 16)",
            }, Cfg.Errors(text));
        }

        [Fact]
        public void TotalMemoryNamesTheVmThatCrossesTheLimit()
        {
            string text = "";
            for (int i = 0; i < 5; i++)
                text += "[vm v" + i + "]\nmemory = 60G\nkernel = k\n";
            Assert.Equal("hv.cfg:14: memory: all VMs together need 300G; the limit is 256G", Cfg.Error(text));
        }

        [Fact]
        public void RawLoaderTakesNoInitrdOrCommandLine()
        {
            Assert.Equal(new[]
            {
                "hv.cfg:3: initrd: loader raw does not take an initrd",
                "hv.cfg:4: cmdline: loader raw does not take a command line",
            }, Cfg.Errors("[vm a]\nloader = raw\ninitrd = i\ncmdline = x\nmemory = 1M\nkernel = k\n"));
            Assert.True(Cfg.Parse("[vm a]\nloader = raw\ncmdline =\nmemory = 1M\nkernel = k\n").Ok);
        }

        [Fact]
        public void DiskImageSharedBetweenVms()
        {
            string text = "[vm a]\nmemory = 1M\nkernel = k\ndevices = virtio-blk:d.img\n" +
                "[vm b]\nmemory = 1M\nkernel = k\ndevices = uart, virtio-blk:d.img\n";
            Assert.Equal("hv.cfg:8: devices: disk image 'd.img' is also used by [vm a]", Cfg.Error(text));
        }

        [Fact]
        public void ErrorsComeInLineOrderAcrossSections()
        {
            Assert.Equal(new[]
            {
                "hv.cfg:1: kernel: required key is missing from [vm a]",
                "hv.cfg:3: vcpus: 'x' is not a number",
                "hv.cfg:5: log_level: 'loud' is not error, warn, info, debug or trace",
            }, Cfg.Errors("[vm a]\nmemory = 1M\nvcpus = x\n[hypervisor]\nlog_level = loud\n"));
        }
    }
}
