namespace Hv.Virt.Vmx
{
    /// <summary>Per-VM (or per-vCPU) structures the control fields point at.</summary>
    public struct VmcsResources
    {
        public ulong IoBitmapA, IoBitmapB, MsrBitmap;
        public ulong EptPointer;
        /// <summary>VPID of the VM (nonzero; used only when the CPU supports VPIDs).</summary>
        public ushort Vpid;
    }

    /// <summary>Writes the VM-execution, VM-exit and VM-entry control fields (SDM Vol. 3C §25.6-25.8).</summary>
    public static class VmcsControls
    {
        /// <summary>The preemption timer's start value when no deadline is set: the longest it can count.</summary>
        public const uint PreemptionTimerIdle = 0xFFFF_FFFF;

        public static void Write(IVmcs v, in VmxControlSet set, in VmcsResources r)
        {
            v.Write(VmcsField.PinBasedControls, (uint)set.Pin);
            v.Write(VmcsField.PrimaryProcBasedControls, (uint)set.Primary);
            v.Write(VmcsField.SecondaryProcBasedControls, (uint)set.Secondary);
            v.Write(VmcsField.ExitControls, (uint)set.Exit);
            v.Write(VmcsField.EntryControls, (uint)set.Entry);
            v.Write(VmcsField.ExceptionBitmap, set.ExceptionBitmap);
            v.Write(VmcsField.PageFaultErrorCodeMask, 0);
            v.Write(VmcsField.PageFaultErrorCodeMatch, 0);
            v.Write(VmcsField.Cr3TargetCount, 0);
            v.Write(VmcsField.ExitMsrStoreCount, 0);
            v.Write(VmcsField.ExitMsrLoadCount, 0);
            v.Write(VmcsField.EntryMsrLoadCount, 0);
            v.Write(VmcsField.EntryInterruptionInfo, 0);
            v.Write(VmcsField.EntryExceptionErrorCode, 0);
            v.Write(VmcsField.EntryInstructionLength, 0);
            v.Write(VmcsField.TscOffset, 0);
            v.Write(VmcsField.IoBitmapA, r.IoBitmapA);
            v.Write(VmcsField.IoBitmapB, r.IoBitmapB);
            v.Write(VmcsField.MsrBitmap, r.MsrBitmap);
            v.Write(VmcsField.EptPointer, r.EptPointer);
            if (set.Vpid) v.Write(VmcsField.VirtualProcessorId, r.Vpid);
            if ((set.Secondary & Caps.SecondaryProcBasedControls.EnableXsavesXrstors) != 0)
                v.Write(VmcsField.XssExitingBitmap, 0); // XSAVES/XRSTORS never exit; IA32_XSS itself exits (MSR bitmap)
            if (set.PreemptionTimer) v.Write(VmcsField.PreemptionTimerValue, PreemptionTimerIdle);
            v.Write(VmcsField.Cr0GuestHostMask, set.Cr0Mask);
            v.Write(VmcsField.Cr4GuestHostMask, set.Cr4Mask);
        }
    }
}
