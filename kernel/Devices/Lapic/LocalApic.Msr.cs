// The MSRs the local APIC owns: IA32_APIC_BASE (0x1B), IA32_TSC_DEADLINE (0x6E0) and the x2APIC
// registers 0x800-0x8FF (SDM Vol. 3A §11.12.1.2 Table 11-6). A false result means: inject #GP(0).
// x2APIC MSRs fault outside x2APIC mode; bits 63:32 are reserved in every one but the ICR.
namespace Hv.Devices.Lapic
{
    public sealed partial class LocalApic
    {
        /// <summary>True for the MSRs the VM must route to TryReadMsr / TryWriteMsr.</summary>
        public static bool OwnsMsr(uint msr) =>
            msr == (uint)ApicMsr.ApicBase || msr == (uint)ApicMsr.TscDeadline
            || (msr >= (uint)ApicMsr.X2ApicFirst && msr <= (uint)ApicMsr.X2ApicLast);

        /// <summary>RDMSR; false = #GP.</summary>
        public bool TryReadMsr(uint msr, out ulong value)
        {
            value = 0;
            if (msr == (uint)ApicMsr.ApicBase)
            {
                value = _apicBase;
                return true;
            }
            if (msr == (uint)ApicMsr.TscDeadline)
            {
                value = _timer.DeadlineTsc;
                return _tsc != null;
            }
            if (!TryX2ApicRegister(msr, out ApicRegister reg))
                return false;
            if (reg == ApicRegister.IcrLow)
            {
                value = IcrX2;
                return true;
            }
            bool ok = TryReadRegister(reg, true, out uint value32);
            value = value32;
            return ok;
        }

        /// <summary>WRMSR; false = #GP (nothing changed).</summary>
        public bool TryWriteMsr(uint msr, ulong value)
        {
            if (msr == (uint)ApicMsr.ApicBase)
                return TryWriteApicBase(value);
            if (msr == (uint)ApicMsr.TscDeadline)
            {
                if (_tsc == null)
                    return false;
                WriteTscDeadline(value);
                return true;
            }
            if (!TryX2ApicRegister(msr, out ApicRegister reg))
                return false;
            if (reg == ApicRegister.IcrLow)
                return WriteIcrX2(value);
            if ((value >> 32) != 0)
                return false;
            return TryWriteRegister(reg, (uint)value, true);
        }

        private bool TryX2ApicRegister(uint msr, out ApicRegister reg)
        {
            reg = 0;
            if (Mode != ApicMode.X2Apic || msr < (uint)ApicMsr.X2ApicFirst || msr > (uint)ApicMsr.X2ApicFirst + (uint)ApicRegister.SelfIpi)
                return false;
            reg = (ApicRegister)(msr - (uint)ApicMsr.X2ApicFirst);
            return true;
        }
    }
}
