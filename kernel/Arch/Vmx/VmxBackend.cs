using Hv.Arch.Smp;
using Hv.Virt;
using Hv.Virt.Caps;
using Hv.Virt.Vmx;

namespace Hv.Arch.Vmx
{
    /// <summary>
    /// Intel VMX + EPT behind <see cref="IVirtBackend"/>. Controls are computed once from the
    /// capability MSRs (VmxControlPolicy). One I/O/MSR bitmap set serves all VMs; each VM (each
    /// distinct VcpuSetup.Memory array) gets one EPT, shared by its vCPUs; each vCPU a VMCS and a
    /// save area. Contract with the caller:
    /// <list type="bullet">
    /// <item>EnableOnThisCpu on every CPU that will run vCPUs; CreateVcpu on one of them.</item>
    /// <item>A vCPU runs on the CPU of its first Run from then on (its VMCS is active there): pin its
    /// thread. Run on another CPU returns Invalid.</item>
    /// <item>Run with interrupts disabled. "Acknowledge interrupt on exit" is off: a host interrupt
    /// that ends guest execution (ExternalInterrupt) stays pending in the LAPIC and is taken when the
    /// caller enables interrupts. A host NMI exit is handed to the host NMI handler before Run returns.</item>
    /// </list>
    /// </summary>
    public sealed unsafe class VmxBackend : IVirtBackend
    {
        private const int MaxVms = 64;
        private readonly VmxCapabilities _caps;
        private readonly VmxControlSet _set;
        private VmcsResources _bitmaps;
        private bool _bitmapsBuilt;
        private readonly GuestRegion[][] _vmRegions = new GuestRegion[MaxVms][];
        private readonly GuestMemory[] _vmMemory = new GuestMemory[MaxVms];
        private readonly ulong[] _vmEptp = new ulong[MaxVms];
        private int _vmCount;
        private readonly VmxPlatform _platform = new VmxPlatform();
        private readonly int _physicalAddressBits;

        private VmxBackend(VmxCapabilities caps, in VmxControlSet set)
        {
            _caps = caps;
            _set = set;
            _physicalAddressBits = VmxPlatform.PhysicalAddressBits();
        }

        /// <summary>Null (with the reason) when this CPU lacks what the backend needs (EPT, unrestricted guest, ...).</summary>
        public static VmxBackend TryCreate(VmxCapabilities caps, out string error)
        {
            if (!VmxControlPolicy.TryCompute(caps, out VmxControlSet set, out error)) return null;
            return new VmxBackend(caps, set);
        }

        public string Name => "vmx";
        public VmxCapabilities Capabilities => _caps;
        public VmxControlSet Controls => _set;

        public bool EnableOnThisCpu(out string error)
        {
            bool wasOn = SchedPlatform.InterruptsOff();
            bool ok = VmxCpu.Enable(_caps, out error);
            if (wasOn) Cpu.hv_sti();
            return ok;
        }

        public IBackendVcpu CreateVcpu(ref VcpuSetup setup, out string error)
        {
            error = null;
            if (setup.Asid <= 0 || setup.Asid > 0xFFFF) { error = "VMX: VPID (Asid) must be 1..65535"; return null; }
            var mem = new IdentityPageMemory(setup.AllocZeroedPage);
            if (!_bitmapsBuilt)
            {
                if (!VmxStructures.TryBuildBitmaps(mem, out _bitmaps, out error)) return null;
                _bitmapsBuilt = true;
            }
            VmcsResources res = _bitmaps;
            res.Vpid = (ushort)setup.Asid;
            if (!TryVmFor(setup.Memory, mem, out res.EptPointer, out GuestMemory guestMemory, out error)) return null;

            ulong vmcs = VmxCpu.AllocateRegion(_caps.Basic.RevisionId);
            var regs = (VmxGuestRegisters*)mem.AllocateZeroedPage();
            if (regs == null) { error = "VMX: out of memory for the vCPU save area"; return null; }
            VmcsSetup.InitializeRegisters(regs, setup.Rax, setup.Rbx, setup.Rsi);

            var hw = new HardwareVmcs(vmcs);
            bool wasOn = SchedPlatform.InterruptsOff();
            error = WriteVmcs(vmcs, hw, res, ref setup);
            if (wasOn) Cpu.hv_sti();
            if (error != null) return null;
            var state = new VmxVcpuState(hw, regs, _set, _platform);
            var decoder = new VmxExitDecoder(state, _caps.Basic.InsOutsInfo, guestMemory, _physicalAddressBits);
            return new VmxVcpu(this, vmcs, regs, hw, res.EptPointer, setup.Mode, decoder);
        }

        /// <summary>Makes the new VMCS current, writes every field, and VMCLEARs it so any CPU can load it (interrupts off).</summary>
        private string WriteVmcs(ulong vmcs, HardwareVmcs hw, in VmcsResources res, ref VcpuSetup setup)
        {
            int cpu = PerCpu.CurrentIndex;
            if (!VmxCpu.IsEnabled(cpu)) return "VMX: not enabled on CPU " + cpu.ToString() + " (EnableOnThisCpu first)";
            if (VmxNative.hv_vmcs_clear(vmcs) != VmxResult.Success || VmxNative.hv_vmcs_make_current(vmcs) != VmxResult.Success)
                return "VMX: VMCLEAR/VMPTRLD of a new VMCS failed";
            VmcsSetup.WriteAll(hw, _set, res, HostStateReader.Read(), setup.Mode, setup.Rip, setup.Long);
            string failure = hw.TakeFailure();
            VmxNative.hv_vmcs_clear(vmcs);
            return failure;
        }

        /// <summary>The VM's EPT and checked guest memory (built for the first vCPU of a VM, shared by the others).</summary>
        private bool TryVmFor(GuestRegion[] regions, IdentityPageMemory mem, out ulong eptp, out GuestMemory memory, out string error)
        {
            error = null;
            for (int i = 0; i < _vmCount; i++)
                if (_vmRegions[i] == regions) { eptp = _vmEptp[i]; memory = _vmMemory[i]; return true; }
            eptp = 0;
            memory = null;
            if (_vmCount == MaxVms) { error = "VMX: too many VMs"; return false; }
            if (regions == null || !GuestMemory.TryCreate(regions, mem, out memory, out error)) { error = "VMX: guest memory: " + (error ?? "none"); return false; }
            if (!VmxStructures.TryBuildEpt(mem, _caps, regions, out eptp, out error)) return false;
            _vmRegions[_vmCount] = regions;
            _vmMemory[_vmCount] = memory;
            _vmEptp[_vmCount++] = eptp;
            return true;
        }
    }
}
