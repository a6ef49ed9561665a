using System;
using System.Text;
using Hv.Config;
using Xunit;

namespace Hv.Tests.Config
{
    /// <summary>Input an attacker or a broken disk could produce: errors, never exceptions.</summary>
    [Collection(Hv.Tests.Unit.AllocationMeasuringCollection.Name)]
    public class ConfigHostileTests
    {
        [Fact]
        public void RandomBytesNeverThrowAndGiveErrors()
        {
            Random random = new Random(20240611);
            for (int round = 0; round < 3000; round++)
            {
                byte[] bytes = new byte[random.Next(1, 600)];
                random.NextBytes(bytes);
                // Printable noise is too easily a comment or blank line; a NUL makes it surely bad.
                bytes[random.Next(bytes.Length)] = 0;
                ConfigResult result = ConfigParser.Parse("hv.cfg", bytes);
                Assert.False(result.Ok);
                Assert.InRange(result.Errors.Length, 1, ConfigLimits.MaxErrors + 1);
                foreach (ConfigError e in result.Errors)
                    AssertPrintable(e.Text);
            }
        }

        [Fact]
        public void MutatedValidFilesNeverThrow()
        {
            byte[] good = Cfg.Bytes("[hypervisor]\nlog_level = debug\nbaud = 9600\n[vm a]\nmemory = 512M\n" +
                "vcpus = 2\nkernel = k/bz\ninitrd = i\ncmdline = a=b c\ndevices = uart, virtio-blk:d.img\n");
            byte[] pool = Cfg.Bytes("[]=#,:/\\ \t\r\n.09KMGazvm-_");
            Random random = new Random(7);
            for (int round = 0; round < 20000; round++)
            {
                byte[] bytes = (byte[])good.Clone();
                int edits = random.Next(1, 6);
                for (int i = 0; i < edits; i++)
                    bytes[random.Next(bytes.Length)] = random.Next(4) == 0 ? (byte)random.Next(256) : pool[random.Next(pool.Length)];
                ConfigResult result = ConfigParser.Parse("hv.cfg", bytes);
                Assert.True(result.Ok == (result.Errors.Length == 0));
                Assert.True(result.Ok == (result.Config != null));
                foreach (ConfigError e in result.Errors)
                    AssertPrintable(e.Text);
            }
        }

        [Fact]
        public void HundredThousandCharacterLines()
        {
            string huge = new string('x', 100_000);
            // Over the file cap as a whole.
            Assert.Equal("hv.cfg:0: file: file is 100008 bytes, too large (the limit is 65536 bytes)",
                Cfg.Error("[vm a]\n" + huge + "\n"));
            string big = new string('9', 60_000);
            Assert.Equal("hv.cfg:2: memory: line is 60009 characters long; the limit is 4096",
                Cfg.Error(Cfg.VmWith("memory = " + big)));
            Assert.Equal("hv.cfg:2: " + new string('x', 40) + "...: line is 60000 characters long; the limit is 4096",
                Cfg.Error(Cfg.VmWith(new string('x', 60_000))));
            Assert.Equal("hv.cfg:2: comment: line is 5001 characters long; the limit is 4096",
                Cfg.Error(Cfg.VmWith("#" + new string('#', 5000))));
        }

        [Theory]
        [InlineData("vcpus = 1180591620717411303424", "vcpus: '1180591620717411303424' is out of range (1 to 64)")]
        [InlineData("memory = 1180591620717411303424K", "memory: '1180591620717411303424K' is too large (the maximum is 64G)")]
        [InlineData("memory = 17179869184G", "memory: '17179869184G' is too large (the maximum is 64G)")]
        [InlineData("memory = 4294967296M", "memory: '4294967296M' is too large (the maximum is 64G)")]
        public void NumbersOfTwoToTheSeventyAndOtherWrapValues(string line, string expected)
        {
            // 2^70, and values whose shifted form wraps a 64-bit integer to a small number.
            Assert.Equal("hv.cfg:2: " + expected, Cfg.Error(Cfg.VmWith(line)));
        }

        [Fact]
        public void FileCapIsExact()
        {
            string comment = "#" + new string('c', 4000) + "\n";
            StringBuilder text = new StringBuilder();
            while (text.Length + comment.Length <= ConfigLimits.MaxFileBytes)
                text.Append(comment);
            text.Append('#', ConfigLimits.MaxFileBytes - text.Length);
            Assert.True(Cfg.Parse(text.ToString()).Ok);
            text.Append('#');
            Assert.Equal("hv.cfg:0: file: file is 65537 bytes, too large (the limit is 65536 bytes)", Cfg.Error(text.ToString()));
        }

        [Theory]
        [InlineData("kernel = k\0", "hv.cfg:2: kernel: NUL byte at column 11 is not allowed")]
        [InlineData("kernel = k\u0007", "hv.cfg:2: kernel: control character 0x07 at column 11 is not allowed")]
        [InlineData("kernel = k\u007F", "hv.cfg:2: kernel: control character 0x7F at column 11 is not allowed")]
        [InlineData("kernel = k\rx", "hv.cfg:2: kernel: control character 0x0D at column 11 is not allowed")]
        [InlineData("kernel = k\u00C3\u00A9", "hv.cfg:2: kernel: non-ASCII byte 0xC3 at column 11 (only comments may hold UTF-8)")]
        [InlineData("# bell\u0007", "hv.cfg:2: comment: control character 0x07 at column 7 is not allowed")]
        [InlineData("\u00FF\u00FE", "hv.cfg:2: ??: non-ASCII byte 0xFF at column 1 (only comments may hold UTF-8)")]
        public void ControlAndNonAsciiBytes(string line, string expected)
        {
            Assert.Equal(expected, Cfg.Error(Cfg.VmWith(line)));
        }

        [Fact]
        public void BadByteInAHeaderSkipsTheSection()
        {
            Assert.Equal("hv.cfg:1: [vm a?]: control character 0x01 at column 6 is not allowed",
                Cfg.Error("[vm a\u0001]\nmemory = 1M\nmemory = 2M\nkernel = k\n"));
        }

        [Fact]
        public void ErrorsStopAtTheCapWithANote()
        {
            StringBuilder text = new StringBuilder("[vm a]\nmemory = 1M\nkernel = k\n");
            for (int i = 0; i < 5000; i++)
                text.Append("nonsense\n");
            string[] errors = Cfg.Errors(text.ToString());
            Assert.Equal(ConfigLimits.MaxErrors + 1, errors.Length);
            Assert.Equal("hv.cfg:4: nonsense: expected 'key = value', a [section] header or a # comment", errors[0]);
            Assert.Equal("hv.cfg:24: file: too many errors; only the first 20 are shown", errors[20]);
        }

        [Fact]
        public void ManyUnknownSectionsAreCappedToo()
        {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 10000; i++)
                text.Append("[x]\n");
            Assert.Equal(ConfigLimits.MaxErrors + 1, Cfg.Errors(text.ToString()).Length);
        }

        [Theory]
        [InlineData("[vm a]\nmemory = 1M\nkernel = k\n", "# a comment line of some length\n")]
        [InlineData("[vm a]\nmemory = 1M\nkernel = k\n[x]\n", "anything = goes here\n")]
        [InlineData("", "[vm a]\nmemory = 1M\nkernel = k\n")]
        [InlineData("[vm a]\nmemory = 1M\nkernel = k\n", "memory = 2M\n")]
        [InlineData("", "\n \t \n")]
        public void HeapUseIsBoundedWhateverTheFileHolds(string head, string repeated)
        {
            // The kernel heap never frees: a 64 KiB file must not cost more than a few dozen strings.
            StringBuilder text = new StringBuilder(head);
            while (text.Length + repeated.Length <= ConfigLimits.MaxFileBytes)
                text.Append(repeated);
            byte[] bytes = Cfg.Bytes(text.ToString());
            ConfigParser.Parse("hv.cfg", bytes);
            long before = GC.GetAllocatedBytesForCurrentThread();
            ConfigParser.Parse("hv.cfg", bytes);
            long used = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.InRange(used, 0, 32 * 1024);
        }

        static void AssertPrintable(string text)
        {
            foreach (char c in text)
                Assert.True(c >= ' ' && c < 0x7F, "unprintable char in: " + text);
        }
    }
}
