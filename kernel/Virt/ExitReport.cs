// The line printed when a VM stops (issue 4 item 9), e.g.
//   vm test1 stopped (debug-exit 0): exits 359: cpuid 12, hlt 3, io-out 340, ...; unclaimed: io-in 1, mmio-read 2
// Kinds appear in VmExitKind order, only those that happened. Rare path: it allocates.
using Hv.Memory;
using Hv.Virt.Caps;
using Hv.Virt.Mmio;

namespace Hv.Virt
{
    public static class ExitReport
    {
        /// <summary>The stop line of <paramref name="vm"/> with its vCPUs' counters summed.</summary>
        public static string Format(Vm vm) => Format(vm.Name, StopText(vm), vm.SumCounters()) + Refusal(vm.MmioRefusal);

        /// <summary>"; mmio refused: #UD at rip 0x401000 (gpa 0xfec00000, bytes 0f 0b)", or "" when none was.</summary>
        public static string Refusal(MmioRefusal r)
        {
            if (r == null || !r.Recorded)
                return "";
            var line = new TextLine("; mmio refused: ").Append(RefusalName(r.Result)).Append(" at rip ").Hex(r.Rip)
                .Append(" (vcpu ").Decimal((ulong)r.VcpuIndex).Append(", gpa ").Hex(r.GuestPhysical).Append(", bytes");
            for (int i = 0; i < r.ByteCount; i++)
                line.Append(" ").Append(Hex.Format(r.ByteAt(i), 2).Substring(2));
            return line.Append(")").ToString();
        }

        private static string RefusalName(MmioResult r)
        {
            switch (r)
            {
                case MmioResult.InjectUd: return "#UD";
                case MmioResult.InjectGp: return "#GP";
                case MmioResult.InjectSs: return "#SS";
                default: return "not emulated";
            }
        }

        /// <summary>"debug-exit 3", "triple fault", "VM entry failed: invalid guest state" ...</summary>
        public static string StopText(Vm vm)
        {
            string text = VmStopReasons.Text(vm.StopReason);
            if (vm.StopReason == VmStopReason.DebugExit)
                text = text + " " + vm.StopCode.ToString();
            else if (vm.StopReason == VmStopReason.UnhandledExit || vm.StopReason == VmStopReason.HypervisorError)
                text = text + " " + Hex.Format(vm.StopCode, 1);
            if (!string.IsNullOrEmpty(vm.StopDetail))
                text = text + ": " + vm.StopDetail;
            return text;
        }

        public static string Format(string vmName, string reason, ExitCounters c)
        {
            var line = new TextLine("vm ").Append(vmName).Append(" stopped (").Append(reason).Append("): exits ").Decimal(c.Total);
            string sep = ": ";
            for (int k = 0; k < ExitCounters.KindCount; k++)
            {
                ulong n = c[(VmExitKind)k];
                if (n == 0)
                    continue;
                line.Append(sep).Append(ExitCounters.KindName((VmExitKind)k)).Append(" ").Decimal(n);
                sep = ", ";
            }
            for (int i = 0; i < c.RawReasonCount; i++)
                line.Append(i == 0 ? "; unknown raw reasons: " : ", ").Hex(c.RawReason(i)).Append(" x").Decimal(c.RawReasonExits(i));
            if (c.UnknownOverflow != 0)
                line.Append(", others x").Decimal(c.UnknownOverflow);
            sep = "; unclaimed: ";
            sep = Item(line, sep, "io-in", c.UnclaimedIoReads);
            sep = Item(line, sep, "io-out", c.UnclaimedIoWrites);
            sep = Item(line, sep, "mmio-read", c.UnclaimedMmioReads);
            Item(line, sep, "mmio-write", c.UnclaimedMmioWrites);
            sep = "; injected: ";
            sep = Item(line, sep, "interrupts", c.InjectedInterrupts);
            sep = Item(line, sep, "exceptions", c.InjectedExceptions);
            sep = Item(line, sep, "nmis", c.InjectedNmis);
            sep = Item(line, sep, "coalesced", c.CoalescedInterrupts);
            sep = Item(line, sep, "init", c.InitSignals);
            Item(line, sep, "sipi", c.StartupIpis);
            sep = "; host interrupts: ";
            sep = Item(line, sep, "guest-timer", c.GuestTimerFires);
            sep = Item(line, sep, "kick-ipi", c.KickIpis);
            Item(line, sep, "late-deadline entries", c.GuestTimerLate);
            return line.ToString();
        }

        private static string Item(TextLine line, string sep, string name, ulong n)
        {
            if (n == 0)
                return sep;
            line.Append(sep).Append(name).Append(" ").Decimal(n);
            return ", ";
        }
    }
}
