using Hv.Virt.Caps;

namespace Hv.Virt.Vmx
{
    /// <summary>
    /// The VM-execution, exit and entry controls and the CR0/CR4 ownership this backend uses,
    /// computed once from the capability MSRs (SDM Vol. 3D App. A.3-A.5, A.7-A.8) by
    /// <see cref="VmxControlPolicy"/>. Shared by every vCPU of every VM on this machine.
    /// </summary>
    public struct VmxControlSet
    {
        public PinBasedControls Pin;
        public PrimaryProcBasedControls Primary;
        public SecondaryProcBasedControls Secondary;
        public ExitControls Exit;
        public EntryControls Entry;
        /// <summary>Exceptions that exit instead of reaching the guest IDT (bit n = vector n).</summary>
        public uint ExceptionBitmap;

        /// <summary>CR0 bits that must be 1 / may be 1 while the guest runs (FIXED0/FIXED1 with unrestricted guest relaxing PE and PG).</summary>
        public ulong Cr0MustBe1, Cr0MayBe1;
        public ulong Cr4MustBe1, Cr4MayBe1;
        /// <summary>
        /// Guest/host masks: the host owns the bits the guest may not set freely; the guest reads
        /// them from the read shadow (its own view), and a MOV that changes one exits (SDM Vol. 3C
        /// "Guest/Host Masks and Read Shadows for CR0 and CR4").
        /// </summary>
        public ulong Cr0Mask, Cr4Mask;
        /// <summary>IA32_VMX_MISC[5]: VM exits store EFER.LMA into "IA-32e mode guest"; else the backend syncs it after each exit.</summary>
        public bool StoresLmaOnExit;

        public readonly bool Vpid => (Secondary & SecondaryProcBasedControls.EnableVpid) != 0;
        public readonly bool PreemptionTimer => (Pin & PinBasedControls.ActivateVmxPreemptionTimer) != 0;
        public readonly bool VirtualNmis => (Pin & PinBasedControls.VirtualNmis) != 0;
        public readonly bool PatSwitching => (Entry & EntryControls.LoadIa32Pat) != 0;
        public readonly bool LoadDebugControls => (Entry & EntryControls.LoadDebugControls) != 0;
        public readonly bool Cr3Exiting => (Primary & (PrimaryProcBasedControls.Cr3LoadExiting | PrimaryProcBasedControls.Cr3StoreExiting)) != 0;
    }

    /// <summary>
    /// What the backend asks of the CPU, and why:
    /// <list type="bullet">
    /// <item>pin: external-interrupt and NMI exiting (the host keeps its interrupts and the panic
    /// NMI), virtual NMIs and the preemption timer when offered;</item>
    /// <item>primary: HLT, MWAIT/MONITOR and RDPMC exiting (no guest may idle or read the
    /// physical CPU's counters behind the hypervisor), CR8 load/store exiting (CR8 is the physical
    /// LAPIC's TPR), I/O bitmaps (every port exits), MSR bitmaps (see VmxBitmaps), TSC offsetting
    /// (the guest's TSC can be set without RDTSC exits), secondary controls;</item>
    /// <item>secondary: EPT and unrestricted guest (both required: the start modes run with
    /// CR0.PG = 0), VPID, and RDTSCP / INVPCID / XSAVES enables so those instructions do not #UD
    /// where the CPU has them (the CPUID policy decides what the guest is told);</item>
    /// <item>exit: 64-bit host, save/load EFER (the host needs NXE and LME back), save/load PAT when
    /// offered. "Acknowledge interrupt on exit" stays 0: the interrupt stays pending in the LAPIC and
    /// is taken through the host IDT when the caller re-enables interrupts after Run;</item>
    /// <item>entry: load EFER (and PAT); "IA-32e mode guest" is set per vCPU from guest EFER.LMA.</item>
    /// </list>
    /// Default1 controls the TRUE MSRs let us clear (CR3 load/store exiting, debug controls) are
    /// left 0; on CPUs without TRUE MSRs they stay 1 and the CR-access handler serves CR3.
    /// </summary>
    public static class VmxControlPolicy
    {
        public const uint MachineCheckIntercept = 1u << ExceptionVector.MachineCheck;

        public static bool TryCompute(VmxCapabilities caps, out VmxControlSet set, out string error)
        {
            set = default;
            error = null;
            if (caps == null || !caps.BasicReadable) { error = "VMX capability MSRs unreadable"; return false; }

            var pinOptional = PinBasedControls.VirtualNmis | PinBasedControls.ActivateVmxPreemptionTimer;
            if (!caps.PinBased.TryCompute(PinBasedControls.ExternalInterruptExiting | PinBasedControls.NmiExiting,
                    pinOptional, out set.Pin, out PinBasedControls badPin))
                return Fail("pin-based", (uint)badPin, out error);

            var primary = PrimaryProcBasedControls.HltExiting | PrimaryProcBasedControls.MwaitExiting
                | PrimaryProcBasedControls.MonitorExiting | PrimaryProcBasedControls.RdpmcExiting
                | PrimaryProcBasedControls.Cr8LoadExiting | PrimaryProcBasedControls.Cr8StoreExiting
                | PrimaryProcBasedControls.UseIoBitmaps | PrimaryProcBasedControls.UseMsrBitmaps | PrimaryProcBasedControls.UseTscOffsetting
                | PrimaryProcBasedControls.ActivateSecondaryControls;
            if (!caps.ProcBased.TryCompute(primary, 0, out set.Primary, out PrimaryProcBasedControls badPrimary))
                return Fail("primary processor-based", (uint)badPrimary, out error);

            var secondaryOptional = SecondaryProcBasedControls.EnableVpid | SecondaryProcBasedControls.EnableRdtscp
                | SecondaryProcBasedControls.EnableInvpcid | SecondaryProcBasedControls.EnableXsavesXrstors;
            if (!caps.ProcBased2.TryCompute(SecondaryProcBasedControls.EnableEpt | SecondaryProcBasedControls.UnrestrictedGuest,
                    secondaryOptional, out set.Secondary, out SecondaryProcBasedControls badSecondary))
                return Fail("secondary processor-based", (uint)badSecondary, out error);

            bool pat = caps.PatSwitching;
            var exitRequired = ExitControls.HostAddressSpaceSize | ExitControls.SaveIa32Efer | ExitControls.LoadIa32Efer
                | (pat ? ExitControls.SaveIa32Pat | ExitControls.LoadIa32Pat : 0);
            if (!caps.Exit.TryCompute(exitRequired, 0, out set.Exit, out ExitControls badExit))
                return Fail("VM-exit", (uint)badExit, out error);
            // Never ask for the ack: the interrupt protocol above depends on it staying 0.
            if ((set.Exit & ExitControls.AcknowledgeInterruptOnExit) != 0)
                return Fail("VM-exit (acknowledge interrupt on exit is fixed to 1)", (uint)ExitControls.AcknowledgeInterruptOnExit, out error);

            var entryRequired = EntryControls.LoadIa32Efer | (pat ? EntryControls.LoadIa32Pat : 0);
            if (!caps.Entry.TryCompute(entryRequired, 0, out set.Entry, out EntryControls badEntry))
                return Fail("VM-entry", (uint)badEntry, out error);
            set.Entry &= ~EntryControls.Ia32eModeGuest;

            if (!caps.EptPageWalk4 || !(caps.EptWriteBack || caps.EptUncacheable))
            { error = "EPT lacks a 4-level walk or a usable paging-structure memory type"; return false; }
            if (!caps.Misc.ActivityWaitForSipi) { error = "the wait-for-SIPI activity state is not supported"; return false; }

            set.ExceptionBitmap = MachineCheckIntercept;
            set.StoresLmaOnExit = caps.Misc.StoresLmaOnExit;
            ComputeCrOwnership(caps, ref set);
            return true;
        }

        /// <summary>
        /// FIXED0/FIXED1 (App. A.7, A.8) with PE and PG relaxed by unrestricted guest. The host owns
        /// every bit the guest may not choose: forced-1 bits (CR0.NE, CR4.VMXE) and forbidden bits.
        /// </summary>
        private static void ComputeCrOwnership(VmxCapabilities caps, ref VmxControlSet set)
        {
            const ulong low32 = 0xFFFF_FFFF;
            set.Cr0MustBe1 = caps.Cr0Fixed0 & ~(ulong)(Cr0.PE | Cr0.PG) & low32;
            set.Cr0MayBe1 = caps.Cr0Fixed1 & low32;
            set.Cr0Mask = set.Cr0MustBe1 | (~set.Cr0MayBe1 & low32);
            set.Cr4MustBe1 = caps.Cr4Fixed0 & low32;
            set.Cr4MayBe1 = caps.Cr4Fixed1 & low32;
            set.Cr4Mask = set.Cr4MustBe1 | (~set.Cr4MayBe1 & low32);
        }

        private static bool Fail(string field, uint bits, out string error)
        {
            error = "VMX " + field + " controls not supported: " + Hex.Format(bits, 8);
            return false;
        }
    }
}
