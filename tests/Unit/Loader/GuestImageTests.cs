using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using Hv.Config;
using Hv.Loader;
using Xunit;

namespace Hv.Tests.Loader
{
    /// <summary>
    /// The real test guests (tests/Guests/*.asm) through the loader: the files `make image` puts
    /// in build/esp/guests, or, when that folder is missing or stale, the same guests assembled
    /// here with the build's own nasm and ld.lld arguments (tools/Build/Builder.Guests.cs).
    /// Also checks that tools/defaults/guests.cfg is a valid configuration naming them.
    /// </summary>
    public class GuestImageTests
    {
        static readonly string[] Expected = { "cpuid", "cpuid_bench", "hlt", "io", "mmio", "modes", "probe", "triple" };

        static string Root([CallerFilePath] string source = "")
        {
            for (DirectoryInfo d = new DirectoryInfo(Path.GetDirectoryName(source)); d != null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "Makefile")) && Directory.Exists(Path.Combine(d.FullName, "tests", "Guests")))
                    return d.FullName;
            throw new DirectoryNotFoundException("repository root not found above " + source);
        }

        static string GuestSources => Path.Combine(Root(), "tests", "Guests");

        static readonly Lazy<string> Built = new Lazy<string>(BuildOrFind);

        /// <summary>build/esp/guests when every guest there is newer than its sources, else a fresh build beside the test binary.</summary>
        static string BuildOrFind()
        {
            string esp = Path.Combine(Root(), "build", "esp", "guests");
            if (UpToDate(esp))
                return esp;
            string dir = Path.Combine(AppContext.BaseDirectory, "guests");
            Directory.CreateDirectory(dir);
            foreach (string asm in Directory.GetFiles(GuestSources, "*.asm"))
            {
                string name = Path.GetFileNameWithoutExtension(asm);
                string obj = Path.Combine(dir, name + ".o");
                Tool("nasm", "-f", "elf32", "-w+error", "-o", obj, name + ".asm");
                Tool("ld.lld", "-m", "elf_i386", "-T", "guest.ld", "--build-id=none", "-o", Path.Combine(dir, name + ".elf"), obj);
            }
            return dir;
        }

        static bool UpToDate(string dir)
        {
            DateTime newestSource = DateTime.MinValue;
            foreach (string f in Directory.GetFiles(GuestSources))
                if (File.GetLastWriteTimeUtc(f) > newestSource)
                    newestSource = File.GetLastWriteTimeUtc(f);
            foreach (string name in Expected)
            {
                string elf = Path.Combine(dir, name + ".elf");
                if (!File.Exists(elf) || File.GetLastWriteTimeUtc(elf) < newestSource)
                    return false;
            }
            return true;
        }

        static void Tool(string exe, params string[] args)
        {
            var psi = new ProcessStartInfo(exe) { WorkingDirectory = GuestSources, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in args)
                psi.ArgumentList.Add(a);
            using Process p = Process.Start(psi);
            string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, exe + " " + string.Join(" ", args) + " failed (" + p.ExitCode + "):\n" + output);
        }

        public static IEnumerable<object[]> Names()
        {
            foreach (string n in Expected)
                yield return new object[] { n };
        }

        [Fact]
        public void EverySourceIsAKnownGuest()
        {
            var names = new List<string>();
            foreach (string asm in Directory.GetFiles(GuestSources, "*.asm"))
                names.Add(Path.GetFileNameWithoutExtension(asm));
            names.Sort(StringComparer.Ordinal);
            Assert.Equal(Expected, names.ToArray());
        }

        [Theory]
        [MemberData(nameof(Names))]
        public void GuestLoadsAsAMultibootKernel(string name)
        {
            byte[] image = File.ReadAllBytes(Path.Combine(Built.Value, name + ".elf"));

            Assert.Null(MultibootHeader.Find(image, out MultibootHeader header));
            Assert.Equal(0x1000, header.Offset);                          // first in .text (guest.ld)
            Assert.Equal(MultibootHeaderFlags.PageAlignModules | MultibootHeaderFlags.MemoryInfo, header.Flags);

            var ram = new FakeGuestRam(16 << 20);
            LoadResult r = MultibootLoader.Load(image, ram, "vm-a");
            Assert.True(r.Ok, r.Error);
            Assert.Equal(0x100000UL, r.KernelStart);
            Assert.True(r.KernelEnd < 0x200000, "guest larger than 1 MiB: end " + r.KernelEnd.ToString("x"));
            Assert.Equal(ElfBuilder.Get32(image, 24), r.Entry.Eip);         // linked 1:1: e_entry is physical
            Assert.Equal(image.AsSpan(0x1000, 12).ToArray(), ram.Read(0x100000, 12));
            Assert.Equal("vm-a", ram.CString(ram.U32(0x9000 + 16)));
        }

        [Fact]
        public void ExampleConfigurationNamesTheGuests()
        {
            string path = Path.Combine(Root(), "tools", "defaults", "guests.cfg");
            ConfigResult result = ConfigParser.Parse("guests.cfg", File.ReadAllBytes(path));
            var errors = new StringBuilder();
            foreach (ConfigError e in result.Errors)
                errors.AppendLine(e.Text);
            Assert.True(result.Ok, errors.ToString());
            Assert.Equal(2, result.Config.Vms.Length);
            foreach (VmConfig vm in result.Config.Vms)
            {
                Assert.Equal(LoaderKind.Multiboot, vm.Loader);
                Assert.StartsWith("guests/", vm.Kernel);
                Assert.EndsWith(".elf", vm.Kernel);
                string name = vm.Kernel.Substring(7, vm.Kernel.Length - 11);
                Assert.Contains(name, Expected);
            }
        }
    }
}
