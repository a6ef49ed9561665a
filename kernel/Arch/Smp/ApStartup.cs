// Starting the other CPUs: INIT-SIPI-SIPI per application processor, one at a time
// (SDM Vol. 3 §8.4.4.1: INIT, 10 ms, SIPI, 200 us, SIPI), each on its own stack with a guard
// gap below it, then the AP runs HvApMain.
using System.Runtime.InteropServices;
using Hv.Arch.Apic;
using Hv.Arch.Time;
using Hv.Diagnostics;

namespace Hv.Arch.Smp
{
    public static unsafe class ApStartup
    {
        public const ulong StackBytes = 64 * 1024;
        private const ulong OnlineTimeoutUs = 200000;

        /// <summary>Set by the kernel: what an AP runs once it has its tables, GS and LAPIC (does not return).</summary>
        public static delegate*<CpuInfo, void> ApWork;

        /// <summary>Starts the CPUs with these APIC IDs (the boot CPU's own is skipped). Returns how many came online.</summary>
        public static int StartAll(uint[] apicIds, int count, delegate*<ulong, ulong> allocStack, bool warnMissing)
        {
            uint self = LocalApic.Id;
            int started = 0;
            for (int i = 0; i < count; i++)
            {
                if (apicIds[i] == self) continue;
                if (PerCpu.Count >= PerCpu.MaxCpus) { Log.Warn("smp: more CPUs than " + PerCpu.MaxCpus.ToString() + "; the rest stay off"); break; }
                CpuInfo c = PerCpu.Add(apicIds[i]);
                c.StackTop = allocStack(StackBytes);   // returns the top (guard page below the stack)
                if (StartOne(c)) started++;
                else if (warnMissing) Log.Warn("smp: CPU with APIC ID " + apicIds[i].ToString() + " did not come online");
            }
            return started;
        }

        private static bool StartOne(CpuInfo c)
        {
            Trampoline.Prepare(c.Index, c.StackTop);
            LocalApic.SendIpi(c.ApicId, IpiDelivery.Init, 0);
            Tsc.WaitMicroseconds(10000);
            for (int attempt = 0; attempt < 2 && !c.Online; attempt++)
            {
                LocalApic.SendIpi(c.ApicId, IpiDelivery.Startup, Trampoline.SipiVector);
                ulong deadline = Tsc.Now() + Tsc.MicrosecondsToTicks(attempt == 0 ? 200 : OnlineTimeoutUs);
                while (!c.Online && Tsc.Now() < deadline) Cpu.hv_pause();
            }
            if (!c.Online)
            {
                // The previous SIPI may still be on its way: give it the full timeout before reusing the block.
                ulong deadline = Tsc.Now() + Tsc.MicrosecondsToTicks(OnlineTimeoutUs);
                while (!c.Online && Tsc.Now() < deadline) Cpu.hv_pause();
            }
            return c.Online;
        }

        [UnmanagedCallersOnly(EntryPoint = "HvApMain")]
        internal static void ApMain(uint index)
        {
            CpuInfo c = PerCpu.Cpus[index];
            DescriptorTables.LoadForCpu();
            PerCpu.Activate(c);
            LocalApic.Enable();
            c.TscAtOnline = Tsc.Now();
            System.Threading.Interlocked.Increment(ref PerCpu.OnlineCount);
            c.Online = true;
            if (ApWork != null) ApWork(c);
            Cpu.hv_halt_forever();
        }
    }
}
