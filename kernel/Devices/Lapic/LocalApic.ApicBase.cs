// IA32_APIC_BASE (MSR 0x1B, SDM Vol. 3A §11.4.4) and the mode transitions of §11.12.5:
//   disabled (EN=0) <-> xAPIC (EN=1, EXTD=0) -> x2APIC (EN=1, EXTD=1) -> disabled.
// x2APIC -> xAPIC, disabled -> x2APIC and EN=0 with EXTD=1 are illegal and fault (#GP), as are
// reserved bits and EXTD without CPUID x2APIC. Leaving an enabled mode for disabled loses the
// register state; xAPIC -> x2APIC keeps it, with the x2APIC ID and the derived logical ID.
// The base address may move (the VM maps the MMIO page at BaseAddress while MmioEnabled).
using System.Threading;

namespace Hv.Devices.Lapic
{
    public sealed partial class LocalApic
    {
        public ulong ApicBaseMsr => _apicBase;

        /// <summary>Physical address of the xAPIC page.</summary>
        public ulong BaseAddress => _apicBase & _baseAddressMask;

        /// <summary>The MMIO page answers only in xAPIC mode (in x2APIC mode it behaves as a disabled APIC's, §11.12.1.2).</summary>
        public bool MmioEnabled => Mode == ApicMode.XApic;

        /// <summary>WRMSR IA32_APIC_BASE; false means #GP. The BSP flag is read-only here: a written value is ignored.</summary>
        public bool TryWriteApicBase(ulong value)
        {
            const ulong Flags = (ulong)(ApicBaseBits.Bsp | ApicBaseBits.X2ApicEnable | ApicBaseBits.GlobalEnable);
            if ((value & ~(_baseAddressMask | Flags)) != 0)
                return false;
            bool enable = (value & (ulong)ApicBaseBits.GlobalEnable) != 0;
            bool extended = (value & (ulong)ApicBaseBits.X2ApicEnable) != 0;
            if (extended && (!enable || !_x2ApicSupported))
                return false;
            ApicMode next = !enable ? ApicMode.Disabled : extended ? ApicMode.X2Apic : ApicMode.XApic;
            ApicMode current = Mode;
            if ((current == ApicMode.X2Apic && next == ApicMode.XApic) || (current == ApicMode.Disabled && next == ApicMode.X2Apic))
                return false;
            _apicBase = (value & (_baseAddressMask | (ulong)(ApicBaseBits.X2ApicEnable | ApicBaseBits.GlobalEnable)))
                | (_isBsp ? (ulong)ApicBaseBits.Bsp : 0);
            if (next != current)
                EnterMode(next);
            return true;
        }

        private void EnterMode(ApicMode next)
        {
            Interlocked.Exchange(ref _mode, (int)next);
            switch (next)
            {
                case ApicMode.Disabled:
                    // The APIC stops taking messages; what it held is not preserved (§11.12.5.1).
                    ResetRegisters();
                    Interlocked.Exchange(ref _nmiPending, 0);
                    Interlocked.Exchange(ref _extIntPending, 0);
                    break;
                case ApicMode.XApic:
                    // Only from disabled: the power-up register state with the initial ID.
                    _xApicId = _index << 24;
                    ResetRegisters();
                    break;
                case ApicMode.X2Apic:
                    // From xAPIC: the state carries over; the ID becomes the x2APIC ID and the LDR is
                    // derived from it (§11.12.5.1, §11.12.10.2); the ICR destination widens to 32 bits.
                    _ldr = X2ApicLdr;
                    _icrHigh = 0;
                    break;
            }
        }
    }
}
