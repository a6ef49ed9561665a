using System;
using System.IO;
using Hv.Loader;
using Hv.Virt.Platform;
using Hv.Virt.Platform.Acpi;
using Xunit;

namespace Hv.Tests.Loader
{
    /// <summary>A [Fact] that is skipped when the guest kernel built by the payload work is not on this machine.</summary>
    sealed class FactWithVmlinuzAttribute : FactAttribute
    {
        public FactWithVmlinuzAttribute()
        {
            if (LinuxRealKernelTests.KernelPath() == null)
                Skip = "no vmlinuz: set HV_TEST_VMLINUZ or build build/payload/vmlinuz";
        }
    }

    /// <summary>
    /// The loader on a real Linux bzImage (HV_TEST_VMLINUZ, else build/payload/vmlinuz in this
    /// repository), with the VM's ACPI tables beside it, in one guest RAM.
    /// </summary>
    public class LinuxRealKernelTests
    {
        public static string KernelPath()
        {
            string env = Environment.GetEnvironmentVariable("HV_TEST_VMLINUZ");
            if (!string.IsNullOrEmpty(env))
                return File.Exists(env) ? env : null;
            for (string d = AppContext.BaseDirectory; d != null; d = Path.GetDirectoryName(d))
            {
                if (!File.Exists(Path.Combine(d, "Makefile")) || !Directory.Exists(Path.Combine(d, "kernel")))
                    continue;
                string f = Path.Combine(d, "build", "payload", "vmlinuz");
                return File.Exists(f) ? f : null;
            }
            return null;
        }

        [FactWithVmlinuz]
        public void RealKernelLoadsAtItsPreferredAddressNextToTheAcpiTables()
        {
            byte[] image = File.ReadAllBytes(KernelPath());
            Assert.Null(LinuxSetupHeader.Read(image, out LinuxSetupHeader h));
            Assert.True(h.Version >= 0x020C);
            const ulong ram256M = 256 << 20;
            var ram = new FakeGuestRam(ram256M);
            Assert.Null(GuestAcpiTables.Install(GuestAcpiConfig.Default(2), ram, out GuestAcpiLayout acpi));
            byte[] initrd = TestImages.Pattern(0x10000, 3);
            LoadResult r = LinuxLoader.Load(image, ram, BzImageBuilder.Ram(ram256M), "console=ttyS0", initrd, acpi.RsdpAddress);
            Assert.True(r.Ok, r.Error);
            Assert.Equal(h.PrefAddress, r.KernelStart);
            Assert.Equal(h.PrefAddress + h.InitSize, r.KernelEnd);
            Assert.Equal(image.AsSpan(h.SetupBytes, 4096).ToArray(), ram.Read(r.KernelStart, 4096));
            Assert.Equal(image.AsSpan(0x1F1, 0x10).ToArray(), ram.Read(0x9000 + 0x1F1, 0x10));
            Assert.Equal(acpi.RsdpAddress, ram.U64(0x9000 + 0x70));
            Assert.Equal("RSD PTR ", System.Text.Encoding.ASCII.GetString(ram.Read(GuestPlatformLayout.RsdpAddress, 8)));
        }
    }

    /// <summary>The ACPI tables and the Linux boot structures share low memory without overlapping.</summary>
    public class LinuxWithAcpiTests
    {
        [Fact]
        public void AcpiTablesAndBootStructuresDoNotOverlapAndTheMapReservesTheTables()
        {
            const ulong ram64M = 64 << 20;
            var ram = new FakeGuestRam(ram64M);
            Assert.Null(GuestAcpiTables.Install(GuestAcpiConfig.Default(64), ram, out GuestAcpiLayout acpi));
            byte[] tables = ram.Read(acpi.Base, acpi.Size);
            LoadResult r = LinuxLoader.Load(new BzImageBuilder().Build(), ram, BzImageBuilder.Ram(ram64M), "", new byte[0x2000], acpi.RsdpAddress);
            Assert.True(r.Ok, r.Error);
            Assert.Equal(tables, ram.Read(acpi.Base, acpi.Size));     // the loader did not touch them
            bool reserved = false;
            foreach (var (address, length, type) in LinuxLoadTests.ReadE820(ram))
            {
                bool covers = address <= acpi.Base && acpi.Base + (ulong)acpi.Size <= address + length;
                if (covers)
                    reserved = type == 2;
                if (type == 1)
                    Assert.True(acpi.Base + (ulong)acpi.Size <= address || address + length <= acpi.Base, "the tables are in usable RAM");
            }
            Assert.True(reserved, "no reserved E820 entry covers the ACPI tables");
            Assert.True(GuestPlatformLayout.BootAreaEnd <= GuestPlatformLayout.LowReservedStart);
            Assert.True(GuestPlatformLayout.BootAreaEnd <= 0x9C000, "the boot structures must stay clear of Linux's trampoline pages");
        }
    }
}
