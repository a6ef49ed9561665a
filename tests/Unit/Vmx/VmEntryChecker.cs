using System.Collections.Generic;
using Hv.Virt.Caps;
using Hv.Virt.Vmx;

namespace Hv.Tests.Unit.Vmx
{
    /// <summary>
    /// The checks a VM entry performs before it loads guest state, as a test helper: SDM Vol. 3C
    /// chapter "VM Entries", §27.2 "Checks on VMX Controls and Host-State Area" (this file and
    /// .Host.cs) and §27.3.1 "Checks on the Guest State Area" (.Guest.cs, .Segments.cs). (§26.x in
    /// editions before 2022.) Each failed check is reported by its section and name; the CPU would
    /// fail VMLAUNCH with VM-instruction error 7 (controls), 8 (host state) or exit reason 33 (guest).
    /// Checks on structures outside the VMCS (virtual-APIC page contents, MSR lists, the link
    /// VMCS) and SMM/dual-monitor/SGX/CET/PT features this backend never enables are left out.
    /// </summary>
    internal sealed partial class VmEntryChecker
    {
        private readonly FakeVmcs _v;
        private readonly VmxCapabilities _caps;
        private readonly int _physBits;
        private readonly int _linearBits;
        private readonly bool _hostLongMode;
        public readonly List<string> Failures = new List<string>();

        private PinBasedControls _pin;
        private PrimaryProcBasedControls _primary;
        private SecondaryProcBasedControls _secondary;
        private ExitControls _exit;
        private EntryControls _entry;

        private VmEntryChecker(FakeVmcs vmcs, VmxCapabilities caps, int physBits, int linearBits, bool hostLongMode)
        {
            _v = vmcs; _caps = caps; _physBits = physBits; _linearBits = linearBits; _hostLongMode = hostLongMode;
        }

        /// <summary>Runs every check; returns the names of those that failed (empty: VM entry would proceed).</summary>
        public static List<string> Check(FakeVmcs vmcs, VmxCapabilities caps, int physicalAddressBits = 46, int linearAddressBits = 48, bool hostLongMode = true)
        {
            var c = new VmEntryChecker(vmcs, caps, physicalAddressBits, linearAddressBits, hostLongMode);
            c.CheckExecutionControls();
            c.CheckExitControls();
            c.CheckEntryControls();
            c.CheckHostControlRegistersAndMsrs();
            c.CheckHostSegments();
            c.CheckAddressSpaceSize();
            c.CheckGuestControlRegistersAndMsrs();
            c.CheckGuestSegments();
            c.CheckGuestDescriptorTables();
            c.CheckGuestRipRflags();
            c.CheckGuestNonRegisterState();
            c.CheckGuestPdptes();
            return c.Failures;
        }

        private ulong R(VmcsField f) => _v.Read(f);
        private void Expect(bool ok, string name) { if (!ok) Failures.Add(name); }
        private bool Ug => (_secondary & SecondaryProcBasedControls.UnrestrictedGuest) != 0;
        private bool Ia32eGuest => (_entry & EntryControls.Ia32eModeGuest) != 0;
        private bool HostAs64 => (_exit & ExitControls.HostAddressSpaceSize) != 0;
        private bool BeyondPhys(ulong a) => _physBits < 64 && (a >> _physBits) != 0;
        private bool Canonical(ulong a)
        {
            ulong top = a >> (_linearBits - 1);
            return top == 0 || top == (ulong.MaxValue >> (_linearBits - 1));
        }

        private static bool Reserved(AllowedControls a, uint value) => (value & ~a.Allowed1) != 0 || (a.Allowed0 & ~value) != 0;

        /// <summary>§27.2.1.1 "VM-Execution Control Fields".</summary>
        private void CheckExecutionControls()
        {
            _pin = (PinBasedControls)R(VmcsField.PinBasedControls);
            _primary = (PrimaryProcBasedControls)R(VmcsField.PrimaryProcBasedControls);
            bool secondaryActive = (_primary & PrimaryProcBasedControls.ActivateSecondaryControls) != 0;
            _secondary = secondaryActive ? (SecondaryProcBasedControls)R(VmcsField.SecondaryProcBasedControls) : 0;
            Expect(!Reserved(_caps.PinBased, (uint)_pin), "27.2.1.1 pin-based controls: reserved bits");
            Expect(!Reserved(_caps.ProcBased, (uint)_primary), "27.2.1.1 primary processor-based controls: reserved bits");
            if (secondaryActive)
                Expect(!Reserved(_caps.ProcBased2, (uint)_secondary), "27.2.1.1 secondary processor-based controls: reserved bits");
            Expect(R(VmcsField.Cr3TargetCount) <= _caps.Misc.Cr3TargetCount, "27.2.1.1 CR3-target count");
            if ((_primary & PrimaryProcBasedControls.UseIoBitmaps) != 0)
            {
                ulong a = R(VmcsField.IoBitmapA), b = R(VmcsField.IoBitmapB);
                Expect(((a | b) & 0xFFF) == 0 && !BeyondPhys(a) && !BeyondPhys(b), "27.2.1.1 I/O-bitmap addresses");
            }
            if ((_primary & PrimaryProcBasedControls.UseMsrBitmaps) != 0)
            {
                ulong m = R(VmcsField.MsrBitmap);
                Expect((m & 0xFFF) == 0 && !BeyondPhys(m), "27.2.1.1 MSR-bitmap address");
            }
            bool tpr = (_primary & PrimaryProcBasedControls.UseTprShadow) != 0;
            if (tpr)
            {
                ulong va = R(VmcsField.VirtualApicAddress);
                Expect((va & 0xFFF) == 0 && !BeyondPhys(va), "27.2.1.1 virtual-APIC address");
                if ((_secondary & SecondaryProcBasedControls.VirtualInterruptDelivery) == 0)
                    Expect((R(VmcsField.TprThreshold) >> 4) == 0, "27.2.1.1 TPR threshold: bits 31:4");
            }
            Expect((_pin & PinBasedControls.NmiExiting) != 0 || (_pin & PinBasedControls.VirtualNmis) == 0,
                "27.2.1.1 virtual NMIs require NMI exiting");
            Expect((_pin & PinBasedControls.VirtualNmis) != 0 || (_primary & PrimaryProcBasedControls.NmiWindowExiting) == 0,
                "27.2.1.1 NMI-window exiting requires virtual NMIs");
            if ((_secondary & SecondaryProcBasedControls.VirtualizeApicAccesses) != 0)
            {
                ulong aa = R(VmcsField.ApicAccessAddress);
                Expect((aa & 0xFFF) == 0 && !BeyondPhys(aa), "27.2.1.1 APIC-access address");
            }
            if ((_secondary & SecondaryProcBasedControls.VirtualizeX2ApicMode) != 0)
                Expect(tpr && (_secondary & SecondaryProcBasedControls.VirtualizeApicAccesses) == 0, "27.2.1.1 virtualize x2APIC mode");
            if ((_secondary & (SecondaryProcBasedControls.VirtualInterruptDelivery | SecondaryProcBasedControls.ApicRegisterVirtualization)) != 0)
                Expect(tpr, "27.2.1.1 APIC-register virtualization / virtual-interrupt delivery require the TPR shadow");
            if ((_secondary & SecondaryProcBasedControls.VirtualInterruptDelivery) != 0)
                Expect((_pin & PinBasedControls.ExternalInterruptExiting) != 0, "27.2.1.1 virtual-interrupt delivery requires external-interrupt exiting");
            if ((_pin & PinBasedControls.ProcessPostedInterrupts) != 0)
            {
                ulong d = R(VmcsField.PostedInterruptDescriptor);
                Expect((_secondary & SecondaryProcBasedControls.VirtualInterruptDelivery) != 0
                    && (ExitControlsRaw() & (uint)ExitControls.AcknowledgeInterruptOnExit) != 0
                    && (R(VmcsField.PostedInterruptNotificationVector) >> 8) == 0 && (d & 0x3F) == 0 && !BeyondPhys(d),
                    "27.2.1.1 posted interrupts");
            }
            if ((_secondary & SecondaryProcBasedControls.EnableVpid) != 0)
                Expect(R(VmcsField.VirtualProcessorId) != 0, "27.2.1.1 VPID must not be 0");
            bool ept = (_secondary & SecondaryProcBasedControls.EnableEpt) != 0;
            if (ept) CheckEptPointer(R(VmcsField.EptPointer));
            if ((_secondary & SecondaryProcBasedControls.EnablePml) != 0)
                Expect(ept && (R(VmcsField.PmlAddress) & 0xFFF) == 0, "27.2.1.1 PML requires EPT and an aligned PML address");
            Expect(ept || !Ug, "27.2.1.1 unrestricted guest requires EPT");
            Expect(ept || (_secondary & (SecondaryProcBasedControls.ModeBasedExecuteControlForEpt | SecondaryProcBasedControls.SubPageWritePermissionsForEpt)) == 0,
                "27.2.1.1 mode-based execute / sub-page permissions require EPT");
            if ((_secondary & SecondaryProcBasedControls.EnableVmFunctions) != 0)
                Expect((R(VmcsField.VmFunctionControls) & ~(ulong)_caps.VmFunctions) == 0, "27.2.1.1 VM-function controls: reserved bits");
            if ((_secondary & SecondaryProcBasedControls.VmcsShadowing) != 0)
                Expect(((R(VmcsField.VmreadBitmap) | R(VmcsField.VmwriteBitmap)) & 0xFFF) == 0, "27.2.1.1 VMREAD/VMWRITE bitmap addresses");
        }

        private uint ExitControlsRaw() => (uint)R(VmcsField.ExitControls);

        private void CheckEptPointer(ulong eptp)
        {
            uint type = (uint)(eptp & 7);
            Expect((type == 6 && _caps.EptWriteBack) || (type == 0 && _caps.EptUncacheable), "27.2.1.1 EPTP: memory type");
            uint walk = (uint)((eptp >> 3) & 7);
            Expect(walk == 3 || (walk == 4 && _caps.EptPageWalk5), "27.2.1.1 EPTP: page-walk length");
            Expect((eptp & (1ul << 6)) == 0 || _caps.EptAccessedDirty, "27.2.1.1 EPTP: accessed/dirty flags");
            Expect((eptp & 0xF80) == 0 && !BeyondPhys(eptp), "27.2.1.1 EPTP: reserved bits");
        }

        /// <summary>§27.2.1.2 "VM-Exit Control Fields".</summary>
        private void CheckExitControls()
        {
            _exit = (ExitControls)R(VmcsField.ExitControls);
            Expect(!Reserved(_caps.Exit, (uint)_exit), "27.2.1.2 VM-exit controls: reserved bits");
            Expect((_pin & PinBasedControls.ActivateVmxPreemptionTimer) != 0 || (_exit & ExitControls.SaveVmxPreemptionTimerValue) == 0,
                "27.2.1.2 save preemption timer requires the preemption timer");
            CheckMsrList(VmcsField.ExitMsrStoreCount, VmcsField.ExitMsrStoreAddress, "27.2.1.2 VM-exit MSR-store address");
            CheckMsrList(VmcsField.ExitMsrLoadCount, VmcsField.ExitMsrLoadAddress, "27.2.1.2 VM-exit MSR-load address");
        }

        private void CheckMsrList(VmcsField count, VmcsField address, string name)
        {
            ulong n = R(count);
            if (n == 0) return;
            ulong a = R(address);
            Expect((a & 0xF) == 0 && !BeyondPhys(a) && !BeyondPhys(a + n * 16 - 1), name);
        }
    }
}
