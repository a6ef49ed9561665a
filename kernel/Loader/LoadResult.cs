namespace Hv.Loader
{
    /// <summary>
    /// What a loader did: on success the first vCPU's entry state and where things went in guest
    /// RAM; on failure Error says what is wrong with the image (one line, no file name: the
    /// caller prefixes the VM and the path) and guest RAM has not been written.
    /// </summary>
    public struct LoadResult
    {
        public bool Ok;
        public string Error;
        public EntryState Entry;
        /// <summary>
        /// Lowest guest-physical address and end (exclusive) of the loaded kernel (Linux: the
        /// init_size range from the load address, which the kernel uses before it reads the E820 map).
        /// </summary>
        public ulong KernelStart, KernelEnd;
        /// <summary>The module (initrd) in guest RAM; equal when there is none.</summary>
        public ulong ModuleStart, ModuleEnd;
        /// <summary>Guest-physical address of the Multiboot information structure (EBX at entry) or of Linux's boot_params (RSI).</summary>
        public ulong InfoAddress;

        public static LoadResult Failed(string error)
        {
            LoadResult r = default;
            r.Error = error;
            return r;
        }
    }
}
