using System;
using System.Diagnostics;
using System.IO;
using Hv.Virt.Platform.Acpi;
using Xunit;

namespace Hv.Tests.Platform
{
    /// <summary>
    /// A second, independent reader: ACPICA's disassembler (iasl -d, the tool the build already
    /// needs for the DSDT) decodes each table the builder wrote. It reports a wrong checksum,
    /// a length that ends inside a structure, or an unknown subtable as a warning or error.
    /// </summary>
    public class IaslCrossCheckTests
    {
        static string Disassemble(string name, byte[] table)
        {
            string dir = Path.Combine(Path.GetTempPath(), "hv-iasl-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                File.WriteAllBytes(Path.Combine(dir, name + ".dat"), table);
                var psi = new ProcessStartInfo("iasl") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
                psi.ArgumentList.Add("-vs");
                psi.ArgumentList.Add("-d");
                psi.ArgumentList.Add(name + ".dat");
                using Process p = Process.Start(psi);
                string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
                p.WaitForExit();
                Assert.True(p.ExitCode == 0, name + ": iasl exited " + p.ExitCode + ":\n" + output);
                Assert.DoesNotContain("Warning", output);
                Assert.DoesNotContain("Error", output);
                string dsl = File.ReadAllText(Path.Combine(dir, name + ".dsl"));
                Assert.DoesNotContain("Incorrect", dsl);
                return dsl;
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [Theory]
        [InlineData(1)]
        [InlineData(64)]
        public void AcpicaDecodesEveryTableWithoutComplaint(int vcpus)
        {
            byte[] area = GuestAcpi.Build(vcpus, out GuestAcpiLayout l);
            string fadt = Disassemble("facp", GuestAcpi.Table(area, l.Address(l.Fadt)));
            Assert.Contains("Use APIC Physical Destination Mode (V4) : 1", fadt);
            Assert.Contains("8042 Present on ports 60/64 (V2) : 0", fadt);
            string madt = Disassemble("apic", GuestAcpi.Table(area, l.Address(l.Madt)));
            Assert.Equal(vcpus, CountOf(madt, "[Processor Local APIC]"));
            Assert.Equal(2, CountOf(madt, "[Interrupt Source Override]"));
            Disassemble("mcfg", GuestAcpi.Table(area, l.Address(l.Mcfg)));
            Disassemble("xsdt", GuestAcpi.Table(area, l.Address(l.Xsdt)));
            Disassemble("facs", area.AsSpan(l.Facs, 64).ToArray());
        }

        [Fact]
        public void TheDsdtDisassemblesToTheNamespaceWeWrote()
        {
            string dsl = Disassemble("dsdt", DsdtAml.Table.ToArray());
            foreach (string name in new[] { "Device (PCI0)", "Device (MRES)", "Device (COM1)", "Device (RTC)", "Device (TIMR)", "Device (PIC)",
                "Method (_PRT", "Method (_OSC", "Name (_S5," })
                Assert.Contains(name, dsl);
        }

        static int CountOf(string text, string what)
        {
            int n = 0;
            for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal))
                n++;
            return n;
        }
    }
}
