using Hv.Config;
using Xunit;

namespace Hv.Tests.Config
{
    /// <summary>The checks boot code runs against the boot volume, through IFileProbe.</summary>
    public class ConfigFileCheckTests
    {
        const string Text = "[vm a]\nmemory = 16M\nkernel = guests/bzImage\ninitrd = guests/initrd.img\n" +
            "devices = virtio-blk:disks/a.img, virtio-blk:disks/b.img\n";

        static FakeVolume AllPresent() => new FakeVolume()
            .With("guests/bzImage", 4_000_000).With("guests/initrd.img", 1_000_000)
            .With("disks/a.img", 1 << 20).With("disks/b.img", 1 << 20);

        [Fact]
        public void AllFilesPresent()
        {
            FakeVolume volume = AllPresent();
            Assert.Empty(Cfg.Ok(Text).CheckFiles(volume));
            Assert.Equal(new[] { "guests/bzImage", "guests/initrd.img", "disks/a.img", "disks/b.img" }, volume.Asked);
        }

        [Fact]
        public void MissingFileMessage()
        {
            HvConfig c = Cfg.Ok(Text);
            ConfigError[] errors = c.CheckFiles(new FakeVolume().With("guests/bzImage", 100).With("disks/a.img", 512));
            Assert.Equal(new[]
            {
                "hv.cfg:4: initrd: file 'guests/initrd.img' not found on the boot volume",
                "hv.cfg:5: devices: file 'disks/b.img' not found on the boot volume",
            }, Cfg.Texts(errors));
            Assert.Equal("hv.cfg:3: kernel: file 'guests/bzImage' not found on the boot volume",
                ConfigMessages.FileNotFound(c.Files[0]));
            Assert.Equal("hv.cfg:3: kernel: file 'guests/bzImage' could not be read: device error",
                ConfigMessages.FileUnreadable(c.Files[0], "device error"));
        }

        [Fact]
        public void SizesAreChecked()
        {
            FakeVolume volume = new FakeVolume().With("guests/bzImage", 0).With("guests/initrd.img", (16 << 20) + 1)
                .With("disks/a.img", 1000).With("disks/b.img", -1);
            Assert.Equal(new[]
            {
                "hv.cfg:3: kernel: file 'guests/bzImage' is empty",
                "hv.cfg:4: initrd: file 'guests/initrd.img' is 16777217 bytes; it does not fit in the VM's 16M of memory",
                "hv.cfg:5: devices: file 'disks/a.img' is 1000 bytes; a disk image must be a multiple of 512 bytes",
            }, Cfg.Texts(Cfg.Ok(Text).CheckFiles(volume)));
        }

        [Fact]
        public void HostMemory()
        {
            HvConfig c = Cfg.Ok("[vm a]\nmemory = 1G\nkernel = k\n[vm b]\nmemory = 2G\nkernel = k\n");
            Assert.Empty(c.CheckHostMemory(3UL << 30));
            Assert.Equal(new[] { "hv.cfg:5: memory: the VMs need 3G in total, but only 2G of RAM is free" },
                Cfg.Texts(c.CheckHostMemory(2UL << 30)));
            Assert.Empty(Cfg.Ok("").CheckHostMemory(0));
        }

        [Fact]
        public void FormatIsFileLineFieldMessage()
        {
            Assert.Equal("boot.cfg:7: memory: bad", ConfigMessages.Format("boot.cfg", 7, "memory", "bad"));
            ConfigError e = new ConfigError("x.cfg", 0, "file", "m");
            Assert.Equal("x.cfg:0: file: m", e.Text);
            Assert.Equal("x.cfg", e.File);
            Assert.Equal(0, e.Line);
            Assert.Equal("file", e.Field);
            Assert.Equal("m", e.Message);
        }

        [Fact]
        public void FileNameGoesIntoEveryMessage()
        {
            ConfigResult r = ConfigParser.Parse("EFI/hv/hv.cfg", Cfg.Bytes("[vm a]\nmemory = 1M\n"));
            Assert.Equal("EFI/hv/hv.cfg:1: kernel: required key is missing from [vm a]", r.Errors[0].Text);
        }
    }
}
