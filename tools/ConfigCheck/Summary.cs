using System.IO;
using Hv.Config;

namespace Hv.Tools.ConfigCheck
{
    /// <summary>Prints a valid configuration back in hv.cfg's own words, so a user sees the defaults filled in.</summary>
    static class Summary
    {
        internal static void Print(TextWriter o, HvConfig config)
        {
            int count = config.Vms.Length;
            o.WriteLine($"{config.FileName}: valid, {count} VM{(count == 1 ? "" : "s")}, " +
                $"{ConfigNames.FormatSize(config.TotalMemoryBytes)} of guest memory in total");
            o.WriteLine($"[hypervisor] log_level = {ConfigNames.Name(config.LogLevel)}, serial = {ConfigNames.Name(config.Serial)}, " +
                $"baud = {config.Baud}, on_exit = {ConfigNames.Name(config.OnExit)}, selftest = {ConfigNames.Name(config.SelfTest)}, " +
                $"acpi_dump = {ConfigNames.Name(config.AcpiDump)}, fault_test = {ConfigNames.Name(config.FaultTest)}, console = {config.Console ?? "none"}");
            if (count == 0)
                o.WriteLine("no [vm NAME] sections: the hypervisor will report and idle");
            foreach (VmConfig vm in config.Vms)
            {
                o.WriteLine($"[vm {vm.Name}] memory = {ConfigNames.FormatSize(vm.MemoryBytes)}, vcpus = {vm.Vcpus}, " +
                    $"loader = {ConfigNames.Name(vm.Loader)}");
                o.WriteLine($"  kernel  = {vm.Kernel}");
                if (vm.Initrd != null)
                    o.WriteLine($"  initrd  = {vm.Initrd}");
                if (vm.Cmdline.Length > 0)
                    o.WriteLine($"  cmdline = {vm.Cmdline}");
                string[] devices = new string[vm.Devices.Length];
                for (int i = 0; i < devices.Length; i++)
                    devices[i] = ConfigNames.Describe(vm.Devices[i]);
                o.WriteLine($"  devices = {(devices.Length == 0 ? "(none)" : string.Join(", ", devices))}");
            }
        }
    }
}
