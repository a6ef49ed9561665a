// The hardware side of a VM's PC platform (issue 5): the device clock (host TSC -> ns), the kicker
// that makes a vCPU notice an interrupt posted by another thread, and the host serial console that
// one VM's UART may own (hv.cfg `console = NAME`).
using Hv.Arch;
using Hv.Arch.Apic;
using Hv.Arch.Smp;
using Hv.Arch.Time;
using Hv.Devices.Platform;
using Hv.Sched;
using Hv.Virt;
using Hv.Virt.Platform;

namespace Hv
{
    public static unsafe partial class Kernel
    {
        /// <summary>Nanoseconds since the VM was built, from the invariant host TSC (calibrated at boot).</summary>
        private sealed class TscDeviceClock : IDeviceClock
        {
            private readonly ulong _start = Cpu.hv_rdtsc();

            public ulong NowNs()
            {
                ulong t = Cpu.hv_rdtsc() - _start;
                ulong hz = Tsc.Hz;
                // Whole seconds, then the rest: no overflow for any uptime or clock rate.
                return t / hz * 1_000_000_000UL + t % hz * 1_000_000_000UL / hz;
            }
        }

        /// <summary>
        /// Wakes a halted vCPU's thread, and forces an exit of one in the guest on another CPU with the
        /// reschedule IPI (any host interrupt exits the guest: external-interrupt exiting / INTR intercept).
        /// The vCPU marks itself in the guest before it looks at its LAPIC, and the poster set the IRR
        /// before calling this: one of the two sees the other (both sides use locked instructions).
        /// </summary>
        private sealed class VcpuKicker : IVcpuKicker
        {
            private readonly Vm _vm;
            public readonly KThread[] Threads;

            public VcpuKicker(Vm vm)
            {
                _vm = vm;
                Threads = new KThread[vm.VcpuCount];
            }

            public void Kick(int vcpuIndex)
            {
                if ((uint)vcpuIndex >= (uint)Threads.Length) return;
                KThread t = Threads[vcpuIndex];
                if (t != null) SchedPlatform.Scheduler.Wake(t);
                int cpu = _vm.VcpuAt(vcpuIndex).InGuestOnCpu;
                if (cpu >= 0 && cpu != PerCpu.CurrentIndex)
                    LocalApic.SendIpi(PerCpu.Cpus[cpu].ApicId, IpiDelivery.Fixed, Interrupts.RescheduleVector);
            }
        }
    }
}
