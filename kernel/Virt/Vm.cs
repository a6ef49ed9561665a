// One virtual machine: its memory, vCPUs, buses and life cycle. No hardware here: a backend (Vmx/,
// Svm/) gives each Vcpu its IVcpuState and runs it (VcpuRunLoop); everything a guest does arrives
// as a VmExit and is handled by Vcpu.HandleExit.
using System.Threading;
using Hv.Devices;
using Hv.Virt.Caps;
using Hv.Virt.Mmio;

namespace Hv.Virt
{
    /// <summary>Told once, by whoever stopped the VM, right after it stopped (the kernel kicks the other vCPUs and prints the report).</summary>
    public interface IVmStopListener
    {
        void VmStopped(Vm vm);
    }

    public sealed class Vm : IGuestExitSink
    {
        /// <summary>At most 64 vCPUs: the scheduler's affinity masks and the leaf 4 core-count field (6 bits) both end there.</summary>
        public const int MaxVcpus = 64;

        private readonly Vcpu[] _vcpus;
        private int _state;             // VmState
        private int _stopClaimed;       // 0 until the first Stop wins
        private int _haltedForever;     // vCPUs in HLT with IF = 0

        private Vm(string name, int id, GuestMemory memory, int vcpuCount, ICpuInfoSource hostCpu)
        {
            Name = name;
            Id = id;
            Memory = memory;
            HostCpu = hostCpu;
            Cpuid = CpuidProfile.FromHost(hostCpu);
            CpuidTable = CpuidTable.Build(hostCpu, Cpuid, vcpuCount);
            IoBus = new DeviceBus("io", 0xFFFF);
            MmioBus = new DeviceBus("mmio", ulong.MaxValue);
            MmioRefusal = new MmioRefusal();
            _vcpus = new Vcpu[vcpuCount];
            for (int i = 0; i < vcpuCount; i++)
                _vcpus[i] = new Vcpu(this, i);
        }

        /// <summary>Creates a VM in state Created. False with a reason for a bad name or vCPU count, or missing memory.</summary>
        public static bool TryCreate(string name, int id, GuestMemory memory, int vcpuCount, ICpuInfoSource hostCpu, out Vm vm, out string error)
        {
            vm = null;
            error = null;
            if (string.IsNullOrEmpty(name)) error = "a VM needs a name";
            else if (memory == null || memory.RegionCount == 0) error = "vm " + name + ": no RAM";
            else if (vcpuCount < 1 || vcpuCount > MaxVcpus) error = "vm " + name + ": vCPU count must be 1-64";
            else if (hostCpu == null) error = "vm " + name + ": no host CPUID source";
            if (error != null)
                return false;
            vm = new Vm(name, id, memory, vcpuCount, hostCpu);
            return true;
        }

        public string Name { get; }
        public int Id { get; }
        public GuestMemory Memory { get; }
        public DeviceBus IoBus { get; }
        public DeviceBus MmioBus { get; }
        /// <summary>The first MMIO instruction the guest got refused (#UD/#GP/#SS or a stop), for the stop report.</summary>
        public MmioRefusal MmioRefusal { get; }
        /// <summary>Host CPUID (for the leaves CpuidTable does not hold, the CPUID handler asks it, then applies CpuidPolicy).</summary>
        public ICpuInfoSource HostCpu { get; }
        /// <summary>What the CPUID and MSR policies need to know about the host, read once at creation.</summary>
        public CpuidProfile Cpuid { get; }
        /// <summary>The guest's answers for the leaves that are the same on every vCPU, computed at creation.</summary>
        public CpuidTable CpuidTable { get; }
        public int VcpuCount => _vcpus.Length;
        public Vcpu VcpuAt(int index) => _vcpus[index];
        public IVmStopListener StopListener { get; set; }

        public VmState State => (VmState)Volatile.Read(ref _state);
        public bool IsStopped => State == VmState.Stopped;
        public VmStopReason StopReason { get; private set; }
        public ulong StopCode { get; private set; }
        /// <summary>Extra words for the report (entry-failure reason, unhandled exit); may be null.</summary>
        public string StopDetail { get; private set; }

        /// <summary>Claims a port range for a device; only while the VM is being built.</summary>
        public bool TryRegisterIo(ushort port, ushort count, IIoDevice device, out string reason)
        {
            if (State != VmState.Created) { reason = "vm " + Name + ": devices register before the VM starts"; return false; }
            return IoBus.TryRegister(port, count, device, out reason);
        }

        /// <summary>Claims a guest-physical MMIO range; refused over RAM (RAM is mapped in EPT/NPT and never exits).</summary>
        public bool TryRegisterMmio(ulong gpa, ulong length, IIoDevice device, out string reason)
        {
            if (State != VmState.Created) { reason = "vm " + Name + ": devices register before the VM starts"; return false; }
            if (Memory.Overlaps(gpa, length)) { reason = "mmio: range at " + Hex.Format(gpa, 1) + " overlaps guest RAM"; return false; }
            return MmioBus.TryRegister(gpa, length, device, out reason);
        }

        /// <summary>Created -> Running. False if it already ran or was stopped during set-up.</summary>
        public bool Start() => Interlocked.CompareExchange(ref _state, (int)VmState.Running, (int)VmState.Created) == (int)VmState.Created;

        /// <summary>
        /// Stops the VM; the first caller wins and its reason is kept (safe from any vCPU or the host).
        /// vCPUs see IsStopped before their next entry; the listener should kick those in the guest.
        /// Does not allocate (detail is a string the caller already has).
        /// </summary>
        public bool Stop(VmStopReason reason, ulong code, string detail)
        {
            if (Interlocked.CompareExchange(ref _stopClaimed, 1, 0) != 0)
                return false;
            StopReason = reason;
            StopCode = code;
            StopDetail = detail;
            Interlocked.Exchange(ref _state, (int)VmState.Stopped);
            StopListener?.VmStopped(this);
            return true;
        }

        /// <summary>The debug-exit device: the guest asked to end with <paramref name="status"/>.</summary>
        public void GuestExit(ulong status) => Stop(VmStopReason.DebugExit, status, null);

        /// <summary>A vCPU halted with interrupts off; true when it was the last one still able to run.</summary>
        internal bool NoteHaltedForever() => Interlocked.Increment(ref _haltedForever) == _vcpus.Length;

        /// <summary>All vCPUs' exit counters added up (stop time: allocates one ExitCounters).</summary>
        public ExitCounters SumCounters()
        {
            var sum = new ExitCounters();
            for (int i = 0; i < _vcpus.Length; i++)
                _vcpus[i].Counters.AddTo(sum);
            return sum;
        }
    }
}
