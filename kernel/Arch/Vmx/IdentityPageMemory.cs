using System;
using Hv.Virt;
using Hv.Virt.Vmx;

namespace Hv.Arch.Vmx
{
    /// <summary>
    /// Host-physical pages through the kernel's identity map (physical address == virtual address,
    /// docs/kernel.md), from the page allocator the VM was given (VcpuSetup.AllocZeroedPage). Only
    /// addresses the backend allocated or the VM's regions name ever reach it.
    /// </summary>
    public sealed unsafe class IdentityPageMemory : IPageMemory, IHostPhysicalMemory
    {
        private readonly delegate*<ulong> _alloc;

        public IdentityPageMemory(delegate*<ulong> allocZeroedPage) { _alloc = allocZeroedPage; }

        public ulong AllocateZeroedPage() => _alloc == null ? 0 : _alloc();

        // SAFETY: page is a frame this backend allocated (identity mapped, 4 KiB) and index is 0..511.
        public ulong ReadWord(ulong page, int index) => ((ulong*)page)[index];

        public void WriteWord(ulong page, int index, ulong value) => ((ulong*)page)[index] = value;

        public bool Read(ulong hostPhysical, Span<byte> destination)
        {
            // SAFETY: callers pass addresses inside the VM's RAM regions (checked against them first),
            // which are frames the kernel owns and maps 1:1.
            byte* p = (byte*)hostPhysical;
            for (int i = 0; i < destination.Length; i++) destination[i] = p[i];
            return true;
        }

        public bool Write(ulong hostPhysical, ReadOnlySpan<byte> source)
        {
            // SAFETY: as in Read.
            byte* p = (byte*)hostPhysical;
            for (int i = 0; i < source.Length; i++) p[i] = source[i];
            return true;
        }
    }
}
