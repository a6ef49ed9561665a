using Hv.Diagnostics;

namespace Hv
{
    /// <summary>One line about the final UEFI memory map: what the kernel may use from now on.</summary>
    public static unsafe class MemoryReport
    {
        private const uint Conventional = 7, BootCode = 3, BootData = 4, LoaderCode = 1, LoaderData = 2;

        public static void Print(HandOff h)
        {
            ulong free = 0, loader = 0, total = 0;
            int count = 0;
            for (ulong off = 0; h.DescriptorSize != 0 && off + h.DescriptorSize <= h.MemoryMapSize; off += h.DescriptorSize)
            {
                uint type = *(uint*)(h.MemoryMap + off);
                ulong bytes = *(ulong*)(h.MemoryMap + off + 24) * 4096;
                count++;
                total += bytes;
                if (type == Conventional || type == BootCode || type == BootData) free += bytes;
                if (type == LoaderCode || type == LoaderData) loader += bytes;
            }
            Log.Info("memory: " + count.ToString() + " map entries, " + (free >> 20).ToString() + " MiB free, "
                + (loader >> 20).ToString() + " MiB in use by the hypervisor image, heap and guest files");
        }
    }
}
