namespace Hv.Config
{
    /// <summary>
    /// What the file checks need to know about the boot volume. Boot code implements it over the
    /// UEFI file protocol, the host tool over a directory, tests over a table. Paths are exactly
    /// as written in hv.cfg: relative to the volume root with '/' separators.
    /// </summary>
    public interface IFileProbe
    {
        bool Exists(string path);

        /// <summary>The file's size in bytes, or -1 when it cannot be told.</summary>
        long Size(string path);
    }

    /// <summary>Checks of the named files and of memory that need the boot volume or the host.</summary>
    internal static class FileCheck
    {
        internal static ConfigError[] Run(HvConfig config, IFileProbe probe)
        {
            ErrorList errors = new ErrorList(config.FileName);
            foreach (NamedFile file in config.Files)
            {
                if (!probe.Exists(file.Path))
                {
                    ConfigError missing = ConfigMessages.NotFound(file);
                    errors.Add(missing.Line, missing.Field, missing.Message);
                    continue;
                }
                long size = probe.Size(file.Path);
                if (size < 0)
                    continue;
                string problem = SizeProblem(file, (ulong)size, config.Vms[file.VmIndex]);
                if (problem != null)
                    errors.Add(file.Line, file.Field, "file '" + file.Path + "' " + problem);
            }
            return errors.ToArray();
        }

        static string SizeProblem(NamedFile file, ulong size, VmConfig vm)
        {
            if (size == 0)
                return "is empty";
            string bytes = size.ToString() + " bytes";
            if (file.Role == FileRole.Disk)
            {
                if (size % ConfigLimits.SectorSize != 0)
                    return "is " + bytes + "; a disk image must be a multiple of 512 bytes";
                return null;
            }
            // A kernel or initrd is copied into guest RAM whole, so it must at least fit there.
            if (size > vm.MemoryBytes)
            {
                string memory = ConfigNames.FormatSize(vm.MemoryBytes) + " of memory";
                return "is " + bytes + "; it does not fit in the VM's " + memory;
            }
            return null;
        }

        internal static ConfigError[] HostMemory(HvConfig config, ulong freeBytes)
        {
            if (config.TotalMemoryBytes <= freeBytes || config.Vms.Length == 0)
                return new ConfigError[0];
            VmConfig last = config.Vms[config.Vms.Length - 1];
            string need = "the VMs need " + ConfigNames.FormatSize(config.TotalMemoryBytes) + " in total, but only ";
            string message = need + ConfigNames.FormatSize(freeBytes) + " of RAM is free";
            ConfigError[] result = new ConfigError[1];
            result[0] = new ConfigError(config.FileName, last.MemoryLine, "memory", message);
            return result;
        }
    }
}
