// The first MMIO instruction a VM's guest got refused (an injected #UD/#GP/#SS, or a stop), kept
// for the stop report (ExitReport): the exit path never logs, and a guest hammering the same
// unsupported instruction must not flood anything, so only the first one per VM is kept.
using System.Threading;

namespace Hv.Virt.Mmio
{
    public sealed class MmioRefusal
    {
        private int _claimed;
        private readonly byte[] _bytes = new byte[InstructionFetcher.MaxInstructionLength];

        /// <summary>True once the first refusal is recorded.</summary>
        public bool Recorded => Volatile.Read(ref _claimed) == 2;
        public MmioResult Result { get; private set; }
        public ulong Rip { get; private set; }
        public ulong GuestPhysical { get; private set; }
        public int VcpuIndex { get; private set; }
        public int ByteCount { get; private set; }
        public byte ByteAt(int i) => _bytes[i];

        /// <summary>
        /// Records a refusal if it is the VM's first. True the first time (the caller may tell someone);
        /// false afterwards. Safe from any vCPU; allocates nothing.
        /// </summary>
        public bool TryRecord(int vcpu, MmioResult result, ulong rip, ulong gpa, System.ReadOnlySpan<byte> bytes)
        {
            if (Interlocked.CompareExchange(ref _claimed, 1, 0) != 0)
                return false;
            Result = result;
            Rip = rip;
            GuestPhysical = gpa;
            VcpuIndex = vcpu;
            int n = bytes.Length < _bytes.Length ? bytes.Length : _bytes.Length;
            for (int i = 0; i < n; i++)
                _bytes[i] = bytes[i];
            ByteCount = n;
            Volatile.Write(ref _claimed, 2);
            return true;
        }
    }
}
