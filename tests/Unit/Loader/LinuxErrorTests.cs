using System;
using Hv.Loader;
using Hv.Virt;
using Xunit;

namespace Hv.Tests.Loader
{
    /// <summary>Every way a bzImage or a VM can be unfit: refused with a message naming the problem, and nothing written.</summary>
    public class LinuxErrorTests
    {
        const ulong Ram64M = 64 << 20;

        static string Refused(byte[] image, ulong ramSize = Ram64M, string cmdline = "", byte[] initrd = null, GuestRange[] ranges = null, ulong rsdp = 0xE0000)
        {
            var ram = new FakeGuestRam(ramSize, store: false);
            LoadResult r = LinuxLoader.Load(image, ram, ranges ?? BzImageBuilder.Ram(ramSize), cmdline, initrd ?? new byte[0], rsdp);
            Assert.False(r.Ok);
            Assert.False(string.IsNullOrEmpty(r.Error));
            Assert.Equal(0, ram.Calls);
            return r.Error;
        }

        static string Refused(BzImageBuilder b) => Refused(b.Build());

        [Fact]
        public void TooShortForTheHeader() => Assert.Contains("too short", Refused(new byte[0x263]));

        [Fact]
        public void EmptyFile() => Assert.Contains("0 bytes", Refused(new byte[0]));

        [Fact]
        public void NoHdrSMagic() => Assert.Contains("HdrS", Refused(new BzImageBuilder { Magic = 0x53726449 }));

        [Fact]
        public void BadBootFlag() => Assert.Contains("boot_flag", Refused(new BzImageBuilder { BootFlag = 0x55AA }));

        [Fact]
        public void OldProtocol()
        {
            string e = Refused(new BzImageBuilder { Version = 0x020B });
            Assert.Contains("2.11", e);
            Assert.Contains("2.12", e);
        }

        [Fact]
        public void ZImageIsNotLoadedHigh() => Assert.Contains("LOADED_HIGH", Refused(new BzImageBuilder { LoadFlags = 0 }));

        [Fact]
        public void NoSixtyFourBitEntry() => Assert.Contains("XLF_KERNEL_64", Refused(new BzImageBuilder { XLoadFlags = 0x0002 }));

        [Fact]
        public void AbsurdSetupSects() => Assert.Contains("at most 32 KiB", Refused(new BzImageBuilder { SetupSects = 64 }));

        [Fact]
        public void SetupSectsPastTheEndOfTheFile()
        {
            byte[] image = new BzImageBuilder().Build().AsSpan(0, 5 * 512).ToArray();   // no protected-mode kernel at all
            Assert.Contains("no protected-mode kernel", Refused(image));
        }

        [Fact]
        public void NoShortJumpAt0x200() => Assert.Contains("jump", Refused(new BzImageBuilder { JumpOpcode = 0xE9 }));

        [Theory]
        [InlineData(0x61)]   // ends at 0x263: before init_size's end
        [InlineData(0x8F)]   // ends at 0x291: past setup_header's room in boot_params
        public void HeaderEndOutOfRange(byte jump) => Assert.Contains("end of the setup header", Refused(new BzImageBuilder { JumpOffset = jump }));

        [Fact]
        public void TruncatedKernel()
        {
            var b = new BzImageBuilder();
            b.SysSizeOverride = (uint)(b.KernelBytes / 16 + 1);
            Assert.Contains("truncated", Refused(b));
        }

        [Theory]
        [InlineData(0u)]
        [InlineData(0x300000u)]
        [InlineData(0x800u)]
        [InlineData(0x80000000u)]
        public void BadKernelAlignment(uint alignment) => Assert.Contains("kernel_alignment", Refused(new BzImageBuilder { KernelAlignment = alignment }));

        [Fact]
        public void InitSizeSmallerThanTheKernel() => Assert.Contains("init_size", Refused(new BzImageBuilder { InitSize = 0x1000 }));

        [Fact]
        public void InitSizeLargerThanRam()
        {
            string e = Refused(new BzImageBuilder { InitSize = 0x4000000 });   // 16 MiB + 64 MiB > 64 MiB of RAM
            Assert.Contains("no RAM for the kernel", e);
            Assert.Contains("init_size", e);
        }

        [Fact]
        public void RamBelowPrefAddress() => Assert.Contains("no RAM for the kernel", Refused(new BzImageBuilder().Build(), 16 << 20));

        [Fact]
        public void PrefAddressAbove4GiB() => Assert.Contains("no RAM for the kernel", Refused(new BzImageBuilder { PrefAddress = 0x100000000 }));

        [Fact]
        public void NonRelocatableKernelWhosePrefAddressIsNotRam()
        {
            Assert.Contains("not relocatable", Refused(new BzImageBuilder { Relocatable = 0, PrefAddress = 0x3C00000 }));
            Assert.Contains("not relocatable", Refused(new BzImageBuilder { Relocatable = 0, PrefAddress = 0x8000 }));
        }

        [Fact]
        public void InitrdDoesNotFit() => Assert.Contains("initrd", Refused(new BzImageBuilder().Build(), 32 << 20, initrd: new byte[16 << 20]));

        [Fact]
        public void InitrdAddrMaxTooLow() => Assert.Contains("initrd_addr_max", Refused(new BzImageBuilder { InitrdAddrMax = 0xFFFFF }.Build(), initrd: new byte[0x1000]));

        [Fact]
        public void CommandLineLongerThanCmdlineSize()
        {
            string e = Refused(new BzImageBuilder { CmdlineSize = 10 }.Build(), cmdline: "console=ttyS0");
            Assert.Contains("13 characters", e);
            Assert.Contains("at most 10", e);
        }

        [Fact]
        public void CommandLineLongerThanTheBootArea() =>
            Assert.Contains("at most 4095", Refused(new BzImageBuilder { CmdlineSize = 100000 }.Build(), cmdline: new string('x', 4096)));

        [Fact]
        public void RsdpOutsideRam() => Assert.Contains("RSDP", Refused(new BzImageBuilder().Build(), rsdp: Ram64M));

        [Fact]
        public void NoGuestRam()
        {
            LoadResult r = LinuxLoader.Load(new BzImageBuilder().Build(), null, BzImageBuilder.Ram(Ram64M), "", default, 0);
            Assert.False(r.Ok);
            Assert.Contains("no guest RAM", r.Error);
        }

        [Fact]
        public void RamRangesThatDoNotDescribeAPlatformVm()
        {
            byte[] image = new BzImageBuilder().Build();
            Assert.Contains("1-16", Refused(image, ranges: new GuestRange[0]));
            Assert.Contains("0..1 MiB", Refused(image, ranges: new[] { new GuestRange(0x100000, Ram64M - 0x100000) }));
            Assert.Contains("0..1 MiB", Refused(image, ranges: new[] { new GuestRange(0, 0x80000), new GuestRange(0x100000, Ram64M - 0x100000) }));
            Assert.Contains("4 KiB", Refused(image, ranges: new[] { new GuestRange(0, Ram64M - 1) }));
            Assert.Contains("ends past guest RAM", Refused(image, ranges: new[] { new GuestRange(0, Ram64M + 0x1000) }));
            Assert.Contains("sorted", Refused(image, 0x200000000, ranges: new[] { new GuestRange(0, Ram64M), new GuestRange(0x1000000, 0x1000) }));
            Assert.Contains("MMIO hole", Refused(image, 0x200000000, ranges: new[] { new GuestRange(0, 0xC0000000) }));
            Assert.Contains("wraps", Refused(image, ranges: new[] { new GuestRange(0, Ram64M), new GuestRange(0xFFFFFFFFFFFFF000, 0x2000) }));
        }
    }
}
