// ISvmHost on real hardware: the current CPU from the per-CPU block, VMRUN through svm.asm with
// this CPU's host VMSAVE page, RDTSC.
using Hv.Arch.Smp;
using Hv.Virt.Svm;
using Internal.Runtime.Kernel;

namespace Hv.Arch.Svm
{
    internal sealed unsafe class SvmHost : ISvmHost
    {
        private readonly ulong[] _hostVmcbByCpu;

        public SvmHost(ulong[] hostVmcbByCpu) { _hostVmcbByCpu = hostVmcbByCpu; }

        public int CurrentCpu => PerCpu.CurrentIndex;

        public void Run(int cpu, ulong vmcb, ulong* gprs, byte* fxState)
        {
            ulong hostVmcb = _hostVmcbByCpu[cpu];
            if (hostVmcb == 0) Panic.Fail("svm: a vCPU ran on a CPU without EnableOnThisCpu", (ulong)cpu, "(CPU index)");
            SvmCpu.hv_svm_run(vmcb, gprs, hostVmcb, fxState);
        }

        public ulong ReadTsc() => Cpu.hv_rdtsc();
    }
}
