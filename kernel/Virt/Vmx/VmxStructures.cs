using Hv.Virt.Caps;

namespace Hv.Virt.Vmx
{
    /// <summary>The pages a VM needs besides its VMCS: the shared I/O and MSR bitmaps and the VM's EPT.</summary>
    public static class VmxStructures
    {
        /// <summary>I/O bitmaps A and B (all ones) and the MSR bitmap; one set serves every VM.</summary>
        public static bool TryBuildBitmaps(IPageMemory mem, out VmcsResources r, out string error)
        {
            r = default;
            r.IoBitmapA = mem.AllocateZeroedPage();
            r.IoBitmapB = mem.AllocateZeroedPage();
            r.MsrBitmap = mem.AllocateZeroedPage();
            if (r.IoBitmapA == 0 || r.IoBitmapB == 0 || r.MsrBitmap == 0) { error = "VMX: out of memory for bitmaps"; return false; }
            VmxBitmaps.FillAllOnes(mem, r.IoBitmapA);
            VmxBitmaps.FillAllOnes(mem, r.IoBitmapB);
            VmxBitmaps.BuildMsrBitmap(mem, r.MsrBitmap);
            error = null;
            return true;
        }

        /// <summary>Builds the EPT for <paramref name="ram"/> and returns its EPTP (WB walk if supported, else UC; A/D off).</summary>
        public static bool TryBuildEpt(IPageMemory mem, VmxCapabilities caps, GuestRegion[] ram, out ulong eptp, out string error)
        {
            eptp = 0;
            var b = new EptBuilder(mem, caps.Ept2MbPages);
            if (!b.TryMapAll(ram, out error)) return false;
            uint type = caps.EptWriteBack ? Ept.MemoryTypeWriteBack : Ept.MemoryTypeUncacheable;
            eptp = Ept.Pointer(b.Pml4, type, false);
            return true;
        }
    }
}
