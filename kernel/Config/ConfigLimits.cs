namespace Hv.Config
{
    /// <summary>Every bound hv.cfg is checked against, in one place so docs/config.md can cite it.</summary>
    public static class ConfigLimits
    {
        /// <summary>A real configuration is a few hundred bytes; the cap bounds parse time and memory.</summary>
        public const int MaxFileBytes = 64 * 1024;

        /// <summary>Longer than any valid line (cmdline is the longest value).</summary>
        public const int MaxLineLength = 4096;

        /// <summary>Errors collected before the parser gives up (plus one "too many errors" line).</summary>
        public const int MaxErrors = ErrorList.Max;

        public const int MaxVms = 16;
        public const int MaxNameLength = 32;
        public const int MaxVcpus = 64;

        public const ulong MinVmMemory = 1024 * 1024;
        public const ulong MaxVmMemory = 64UL * 1024 * 1024 * 1024;

        /// <summary>
        /// A sanity bound on the sum over all VMs that catches a copied "64G" in every section
        /// before boot; the RAM actually free is checked at boot by HvConfig.CheckHostMemory.
        /// </summary>
        public const ulong MaxTotalMemory = 256UL * 1024 * 1024 * 1024;

        /// <summary>Guest RAM is mapped with 4 KiB pages, so sizes must be whole pages.</summary>
        public const ulong MemoryAlign = 4096;

        /// <summary>FAT's limit for a long file name, applied to the whole path to stay simple.</summary>
        public const int MaxPathLength = 255;

        /// <summary>Linux x86 COMMAND_LINE_SIZE is 2048 including the terminating NUL.</summary>
        public const int MaxCmdlineLength = 2047;

        public const int MaxDevices = 16;

        /// <summary>The 16550's divisor latch divides this rate; a baud rate must divide it exactly.</summary>
        public const int UartClock = 115200;

        /// <summary>virtio-blk addresses a disk in 512-byte sectors.</summary>
        public const int SectorSize = 512;
    }
}
