namespace Hv.Virt.Caps
{
    // Decoded VMX features. A secondary control counts only if the primary "activate secondary
    // controls" may be 1 (ProcBased2 is all-zero otherwise); EPT and VPID sub-features count only
    // when EPT / VPID themselves may be enabled (A.10 reports them only for such CPUs).
    public sealed partial class VmxCapabilities
    {
        public bool TrueControls => Basic.TrueControls;
        public bool SecondaryControls => ProcBased.CanSet(PrimaryProcBasedControls.ActivateSecondaryControls);

        // Extended page tables: App. A.10.
        public bool Ept => ProcBased2.CanSet(SecondaryProcBasedControls.EnableEpt);
        public bool EptPageWalk4 => Ept && HasEptCap(EptVpidCapabilities.PageWalkLength4);
        public bool EptPageWalk5 => Ept && HasEptCap(EptVpidCapabilities.PageWalkLength5);
        public bool EptWriteBack => Ept && HasEptCap(EptVpidCapabilities.MemoryTypeWriteBack);
        public bool EptUncacheable => Ept && HasEptCap(EptVpidCapabilities.MemoryTypeUncacheable);
        public bool Ept2MbPages => Ept && HasEptCap(EptVpidCapabilities.Pages2Mb);
        public bool Ept1GbPages => Ept && HasEptCap(EptVpidCapabilities.Pages1Gb);
        public bool EptAccessedDirty => Ept && HasEptCap(EptVpidCapabilities.AccessedDirtyFlags);
        public bool EptExecuteOnly => Ept && HasEptCap(EptVpidCapabilities.ExecuteOnlyTranslations);
        public bool Invept => Ept && HasEptCap(EptVpidCapabilities.Invept);
        public bool InveptSingleContext => Invept && HasEptCap(EptVpidCapabilities.InveptSingleContext);
        public bool InveptAllContext => Invept && HasEptCap(EptVpidCapabilities.InveptAllContext);

        // Virtual-processor identifiers: App. A.10.
        public bool Vpid => ProcBased2.CanSet(SecondaryProcBasedControls.EnableVpid);
        public bool Invvpid => Vpid && HasEptCap(EptVpidCapabilities.Invvpid);
        public bool InvvpidIndividualAddress => Invvpid && HasEptCap(EptVpidCapabilities.InvvpidIndividualAddress);
        public bool InvvpidSingleContext => Invvpid && HasEptCap(EptVpidCapabilities.InvvpidSingleContext);
        public bool InvvpidAllContext => Invvpid && HasEptCap(EptVpidCapabilities.InvvpidAllContext);
        public bool InvvpidSingleContextRetainingGlobals
            => Invvpid && HasEptCap(EptVpidCapabilities.InvvpidSingleContextRetainingGlobals);

        public bool UnrestrictedGuest => ProcBased2.CanSet(SecondaryProcBasedControls.UnrestrictedGuest);

        // Timers and TSC.
        public bool PreemptionTimer => PinBased.CanSet(PinBasedControls.ActivateVmxPreemptionTimer);
        public uint PreemptionTimerRate => Misc.PreemptionTimerRate;
        public bool SavePreemptionTimer => Exit.CanSet(ExitControls.SaveVmxPreemptionTimerValue);
        public bool TscOffsetting => ProcBased.CanSet(PrimaryProcBasedControls.UseTscOffsetting);
        public bool TscScaling => ProcBased2.CanSet(SecondaryProcBasedControls.UseTscScaling);

        // Interrupt and APIC virtualization.
        public bool VirtualNmis => PinBased.CanSet(PinBasedControls.VirtualNmis);
        public bool PostedInterrupts => PinBased.CanSet(PinBasedControls.ProcessPostedInterrupts);
        public bool TprShadow => ProcBased.CanSet(PrimaryProcBasedControls.UseTprShadow);
        public bool VirtualizeApicAccesses => ProcBased2.CanSet(SecondaryProcBasedControls.VirtualizeApicAccesses);
        public bool ApicRegisterVirtualization => ProcBased2.CanSet(SecondaryProcBasedControls.ApicRegisterVirtualization);
        public bool VirtualInterruptDelivery => ProcBased2.CanSet(SecondaryProcBasedControls.VirtualInterruptDelivery);
        public bool VirtualizeX2ApicMode => ProcBased2.CanSet(SecondaryProcBasedControls.VirtualizeX2ApicMode);
        /// <summary>
        /// The full xAPIC virtualization set ("apic-virt" in the report): TPR shadow, virtualize APIC
        /// accesses, APIC-register virtualization and virtual-interrupt delivery (the latter two
        /// require the TPR shadow; SDM Vol. 3C "APIC Virtualization and Virtual Interrupts").
        /// </summary>
        public bool ApicVirtualization => TprShadow && VirtualizeApicAccesses
            && ApicRegisterVirtualization && VirtualInterruptDelivery;
        public bool AcknowledgeInterruptOnExit => Exit.CanSet(ExitControls.AcknowledgeInterruptOnExit);

        // Exiting control and miscellany.
        public bool MsrBitmaps => ProcBased.CanSet(PrimaryProcBasedControls.UseMsrBitmaps);
        public bool IoBitmaps => ProcBased.CanSet(PrimaryProcBasedControls.UseIoBitmaps);
        public bool MonitorTrapFlag => ProcBased.CanSet(PrimaryProcBasedControls.MonitorTrapFlag);
        public bool PauseLoopExiting => ProcBased2.CanSet(SecondaryProcBasedControls.PauseLoopExiting);
        public bool VmcsShadowing => ProcBased2.CanSet(SecondaryProcBasedControls.VmcsShadowing);
        public bool Xsaves => ProcBased2.CanSet(SecondaryProcBasedControls.EnableXsavesXrstors);
        public bool Rdtscp => ProcBased2.CanSet(SecondaryProcBasedControls.EnableRdtscp);
        public bool Invpcid => ProcBased2.CanSet(SecondaryProcBasedControls.EnableInvpcid);
        public bool PageModificationLogging => ProcBased2.CanSet(SecondaryProcBasedControls.EnablePml);
        public bool EptpSwitching => (VmFunctions & VmFunctionControls.EptpSwitching) != 0;

        /// <summary>64-bit host after exit and IA-32e guests on entry: needed for a 64-bit hypervisor.</summary>
        public bool LongModeControls => Exit.CanSet(ExitControls.HostAddressSpaceSize)
            && Entry.CanSet(EntryControls.Ia32eModeGuest);
        /// <summary>Guest/host IA32_EFER switching through the VMCS.</summary>
        public bool EferSwitching => Exit.CanSet(ExitControls.SaveIa32Efer | ExitControls.LoadIa32Efer)
            && Entry.CanSet(EntryControls.LoadIa32Efer);
        /// <summary>Guest/host IA32_PAT switching through the VMCS.</summary>
        public bool PatSwitching => Exit.CanSet(ExitControls.SaveIa32Pat | ExitControls.LoadIa32Pat)
            && Entry.CanSet(EntryControls.LoadIa32Pat);

        private bool HasEptCap(EptVpidCapabilities cap) => (EptVpid & cap) == cap;
    }
}
