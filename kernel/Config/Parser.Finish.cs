using System.Collections.Generic;

namespace Hv.Config
{
    /// <summary>Checks that span a whole section or file, and building the result.</summary>
    internal sealed partial class Parser
    {
        /// <summary>Called before each header and at the end: checks the VM section just read.</summary>
        void CloseSection()
        {
            if (section == Section.Vm && vm != null)
            {
                RequireKey(VmKey.Memory);
                RequireKey(VmKey.Kernel);
                // A raw image is jumped to as is: nothing would hand it a ramdisk or a command line.
                if (vm.Loader == LoaderKind.Raw && vm.KeyLines[(int)VmKey.Loader] != 0)
                {
                    int initrd = vm.KeyLines[(int)VmKey.Initrd];
                    if (initrd != 0)
                        errors.Add(initrd, "initrd", "loader raw does not take an initrd");
                    int cmdline = vm.KeyLines[(int)VmKey.Cmdline];
                    if (cmdline != 0 && !string.IsNullOrEmpty(vm.Cmdline))
                        errors.Add(cmdline, "cmdline", "loader raw does not take a command line");
                }
            }
            vm = null;
            section = Section.None;
            sectionText = null;
        }

        void RequireKey(VmKey key)
        {
            if (vm.KeyLines[(int)key] == 0)
                errors.Add(vm.Line, VmKeys[(int)key], "required key is missing from " + vm.Text);
        }

        internal ConfigResult Finish()
        {
            CloseSection();
            CheckTotalMemory();
            CheckSharedDisks();
            CheckConsole();
            if (errors.Count > 0)
                return new ConfigResult(null, errors.ToArray());

            VmConfig[] configs = new VmConfig[vms.Count];
            List<NamedFile> files = new List<NamedFile>();
            ulong total = 0;
            for (int i = 0; i < vms.Count; i++)
            {
                VmDraft d = vms[i];
                int[] lines = d.KeyLines;
                total += d.MemoryBytes;
                configs[i] = new VmConfig(d.Name, d.Line, d.MemoryBytes, lines[(int)VmKey.Memory], d.Vcpus,
                    d.Loader, d.Kernel, d.Initrd, d.Cmdline, d.Devices.ToArray());
                files.Add(new NamedFile(d.Kernel, FileRole.Kernel, i, file, lines[(int)VmKey.Kernel], "kernel"));
                if (d.Initrd != null)
                    files.Add(new NamedFile(d.Initrd, FileRole.Initrd, i, file, lines[(int)VmKey.Initrd], "initrd"));
                for (int j = 0; j < d.Devices.Count; j++)
                {
                    string path = d.Devices[j].Path;
                    if (path != null)
                        files.Add(new NamedFile(path, FileRole.Disk, i, file, lines[(int)VmKey.Devices], "devices"));
                }
            }
            HvConfig config = new HvConfig(file, logLevel, serial, baud, onExit, selfTest, acpiDump, faultTest, configs, files.ToArray(), total, console);
            return new ConfigResult(config, new ConfigError[0]);
        }

        /// <summary>
        /// Each VM is at most 64G and there are at most 16, so the sum cannot overflow. The error
        /// names the VM whose memory line crosses the limit.
        /// </summary>
        void CheckTotalMemory()
        {
            ulong total = 0;
            int crossing = 0;
            for (int i = 0; i < vms.Count; i++)
            {
                total += vms[i].MemoryBytes;
                if (crossing == 0 && total > ConfigLimits.MaxTotalMemory)
                    crossing = vms[i].KeyLines[(int)VmKey.Memory];
            }
            if (crossing == 0)
                return;
            string need = "all VMs together need " + ConfigNames.FormatSize(total) + "; the limit is ";
            errors.Add(crossing, "memory", need + ConfigNames.FormatSize(ConfigLimits.MaxTotalMemory));
        }

        /// <summary>console = NAME must name a VM of this file that has a UART (its serial port is what the console connects).</summary>
        void CheckConsole()
        {
            if (console == null)
                return;
            int line = hvKeyLines[(int)HvKey.Console];
            for (int i = 0; i < vms.Count; i++)
            {
                if (vms[i].Name != console)
                    continue;
                for (int j = 0; j < vms[i].Devices.Count; j++)
                    if (vms[i].Devices[j].Kind == DeviceKind.Uart)
                        return;
                errors.Add(line, "console", vms[i].Text + " has no uart in its devices list");
                return;
            }
            errors.Add(line, "console", "no [vm " + console + "] in this file (use a VM name or none)");
        }

        /// <summary>Two VMs writing one disk image would corrupt it; within a VM DeviceList checks.</summary>
        void CheckSharedDisks()
        {
            for (int i = 0; i < vms.Count; i++)
            {
                for (int j = 0; j < i; j++)
                {
                    string shared = SharedDisk(vms[i], vms[j]);
                    if (shared == null)
                        continue;
                    string message = "disk image '" + shared + "' is also used by " + vms[j].Text;
                    errors.Add(vms[i].KeyLines[(int)VmKey.Devices], "devices", message);
                }
            }
        }

        static string SharedDisk(VmDraft a, VmDraft b)
        {
            for (int i = 0; i < a.Devices.Count; i++)
            {
                for (int j = 0; j < b.Devices.Count; j++)
                {
                    string path = a.Devices[i].Path;
                    if (path != null && path == b.Devices[j].Path)
                        return path;
                }
            }
            return null;
        }

        /// <summary>A [vm NAME] section while it is read; becomes a VmConfig if the file is valid.</summary>
        sealed class VmDraft
        {
            internal readonly string Name;
            internal readonly int Line;
            /// <summary>The header as written, e.g. "[vm web]", for messages.</summary>
            internal readonly string Text;
            /// <summary>Line that set each VmKey, 0 while unset.</summary>
            internal readonly int[] KeyLines;
            internal readonly List<DeviceConfig> Devices = new List<DeviceConfig>();
            internal ulong MemoryBytes;
            internal int Vcpus = 1;
            internal LoaderKind Loader = LoaderKind.Linux;
            internal string Kernel;
            internal string Initrd;
            internal string Cmdline = "";

            internal VmDraft(string name, int line, string text, int keyCount)
            {
                Name = name;
                Line = line;
                Text = text;
                KeyLines = new int[keyCount];
            }
        }
    }
}
