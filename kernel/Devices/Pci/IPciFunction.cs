namespace Hv.Devices.Pci
{
    /// <summary>
    /// One PCI function's configuration space, as the host bridge reaches it (mechanism #1 or ECAM).
    /// Callers pass width 1, 2 or 4 with offset naturally aligned (offset % width == 0) and below
    /// 4096; an unaligned guest access arrives as single bytes. Called on the exit path under the
    /// platform lock: no allocation.
    /// </summary>
    public interface IPciFunction
    {
        uint ReadConfig(int offset, int width);

        void WriteConfig(int offset, int width, uint value);
    }
}
