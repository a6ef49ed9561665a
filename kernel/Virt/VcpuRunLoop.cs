// The abstract vCPU loop, run by the vCPU's scheduler thread (kernel/Sched README, "vCPUs"): wait
// while halted, switch out at the preemption point when one is due, prepare the entry (timer,
// interrupt injection), let the backend (IBackendVcpu, IVirtBackend.cs) run the guest until an exit
// and decode it, handle the exit once (Vcpu.HandleExit). The scheduler is reached through
// IVcpuHost, so host tests drive the loop with a scripted backend.
//
// The VmExit value lives for the whole loop: when Run is called, it still holds the previous exit as
// the handler left it; the backend clears and refills it. Every exit is finished by its handler (MMIO
// included: the core emulates the instruction), so the backend has nothing left to complete.
namespace Hv.Virt
{
    /// <summary>The scheduler's part of the loop.</summary>
    public interface IVcpuHost
    {
        /// <summary>The scheduler clock (ticks): the unit of timer deadlines.</summary>
        ulong Now();

        /// <summary>
        /// Blocks the calling vCPU thread until <paramref name="deadline"/> (Vcpu.NoDeadline: no timeout)
        /// or an earlier kick (an interrupt posted for it, its VM stopping). Spurious returns are fine.
        /// </summary>
        void Wait(Vcpu vcpu, ulong deadline);

        /// <summary>The switch-out point, called when BeginEntry refused an entry (Scheduler.PreemptPoint when a preemption is due).</summary>
        void PreemptPoint();

        /// <summary>
        /// Disables host interrupts for the entry. False (interrupts restored) when a preemption is due:
        /// the loop then calls PreemptPoint and starts over. Checking with interrupts off is what makes
        /// the check final (a request arriving later forces an exit through its IPI), so this is the only
        /// check on the path of an entry.
        /// </summary>
        bool BeginEntry();

        /// <summary>Re-enables host interrupts after the exit was handled (pending host interrupts are taken now).</summary>
        void EndEntry();

        /// <summary>
        /// Just before the backend enters the guest: make sure the guest exits by <paramref name="deadline"/>
        /// (ticks; Vcpu.NoDeadline: none), when a virtual timer (LAPIC, PIT, RTC...) is due. A guest that
        /// spins without exiting would otherwise see its timer interrupts only at the next host tick.
        /// </summary>
        void ArmGuestDeadline(ulong deadline);
    }

    public static class VcpuRunLoop
    {
        /// <summary>Runs <paramref name="vcpu"/> on <paramref name="backend"/> until its VM stops. Allocates nothing per exit.</summary>
        public static void Run(Vcpu vcpu, IBackendVcpu backend, IVcpuHost host)
        {
            Vm vm = vcpu.Vm;
            VmExit exit = default;
            for (;;)
            {
                if (vcpu.IsHalted)
                {
                    if (vm.IsStopped)
                        break;
                    if (!vcpu.TryWake(host.Now()))
                    {
                        host.Wait(vcpu, vcpu.WakeDeadline);
                        continue;
                    }
                }
                if (!host.BeginEntry())
                {
                    host.PreemptPoint();
                    continue;
                }
                // The one stop check per entry, made with interrupts off: a stop from now on kicks the
                // vCPU out of the guest, and HandleExit then reports it.
                if (vm.IsStopped)
                {
                    host.EndEntry();
                    break;
                }
                // The clock only matters to an armed timer: without one, no clock read on this entry.
                bool platform = vcpu.Apic != null;
                if (platform) vcpu.TakeStartupSignals(backend);   // INIT/SIPI from the LAPIC
                vcpu.PrepareEntry(vcpu.TimerDeadline == Vcpu.NoDeadline ? 0 : host.Now());
                if (platform) host.ArmGuestDeadline(vcpu.EntryDeadline);
                backend.Run(ref exit);
                ExitAction action = vcpu.HandleExit(ref exit);
                host.EndEntry();
                if (action == ExitAction.Stop)
                    break;
            }
        }
    }
}
