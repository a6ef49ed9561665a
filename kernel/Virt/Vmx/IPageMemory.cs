namespace Hv.Virt.Vmx
{
    /// <summary>
    /// Host-physical 4 KiB pages as the backend's builders see them (EPT tables, I/O and MSR
    /// bitmaps, VMCS, register areas). The image backs it with the frame allocator and the identity
    /// map (kernel/Arch/Vmx); host tests with arrays. Entries are 64-bit words, index 0..511.
    /// </summary>
    public interface IPageMemory
    {
        /// <summary>A zeroed, 4 KiB-aligned host-physical page; 0 when memory is exhausted.</summary>
        ulong AllocateZeroedPage();
        ulong ReadWord(ulong page, int index);
        void WriteWord(ulong page, int index, ulong value);
    }
}
