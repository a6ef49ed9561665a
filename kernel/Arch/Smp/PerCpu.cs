// Per-CPU state. Each CPU's GS base points at its PerCpuBlock (unmanaged, never moves), so the
// current CPU is one GS-relative load; the managed CpuInfo objects hold the rest.
using System.Runtime.InteropServices;

namespace Hv.Arch.Smp
{
    [StructLayout(LayoutKind.Sequential)]
    public struct PerCpuBlock
    {
        public ulong Self;      // +0: the block's own address
        public int Index;       // +8
        public uint ApicId;     // +12
        /// <summary>
        /// +16: the VMCS that VMPTRLD last made current on this CPU (0: none). Kept by the VMX
        /// instruction wrappers in Asm/vmx.asm (which hard-code this offset), read by them before
        /// every VMREAD/VMWRITE; SVM leaves it 0.
        /// </summary>
        public ulong CurrentVmcs;
    }

    public sealed unsafe class CpuInfo
    {
        public int Index;
        public uint ApicId;
        public volatile bool Online;
        public PerCpuBlock* Block;
        public ulong StackTop;
        public ulong TscAtOnline;
    }

    public static unsafe class PerCpu
    {
        public const int MaxCpus = 64;
        private const uint GsBaseMsr = 0xC0000101;

        public static readonly CpuInfo[] Cpus = new CpuInfo[MaxCpus];
        public static int Count;           // CPUs known (started or to be started)
        public static int OnlineCount;

        [DllImport("hvasm"), SuppressGCTransition] private static extern ulong hv_read_gs_qword(ulong offset);

        public static CpuInfo Add(uint apicId)
        {
            var c = new CpuInfo { Index = Count, ApicId = apicId };
            c.Block = (PerCpuBlock*)Internal.Runtime.Kernel.KernelHeap.Alloc((nuint)sizeof(PerCpuBlock));
            c.Block->Self = (ulong)c.Block;
            c.Block->Index = c.Index;
            c.Block->ApicId = apicId;
            c.Block->CurrentVmcs = 0;
            Cpus[Count++] = c;
            return c;
        }

        /// <summary>On the CPU itself: point GS at its block.</summary>
        public static void Activate(CpuInfo c) => Cpu.hv_wrmsr(GsBaseMsr, (ulong)c.Block);

        public static int CurrentIndex => (int)(uint)hv_read_gs_qword(8);
        public static CpuInfo Current => Cpus[CurrentIndex];
    }
}
