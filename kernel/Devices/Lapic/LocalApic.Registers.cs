// The register file shared by the xAPIC page and the x2APIC MSRs (SDM Vol. 3A Table 11-1, Table 11-6).
// A false result means "no such register for this access": the MMIO path reads 0 / drops the write,
// the MSR path injects #GP (§11.12.1.2: unimplemented, write to read-only, read of write-only,
// reserved bits set - x2APIC registers are RsvdZ, §11.12.1.3). Writable fields are masked in
// xAPIC mode, where reserved bits are simply not stored.
using System.Threading;
using Hv.Devices.Platform;

namespace Hv.Devices.Lapic
{
    public sealed partial class LocalApic
    {
        private const uint IdMask = 0xFF00_0000;
        private const uint TprMask = 0xFF;
        private const uint LdrMask = 0xFF00_0000;
        private const uint DfrModelMask = 0xF000_0000;
        private const uint SvrWritable = ApicFields.VectorMask | ApicFields.SvrSoftwareEnable | ApicFields.SvrFocusDisable;

        private bool TryReadRegister(ApicRegister reg, bool x2, out uint value)
        {
            value = 0;
            if (reg >= ApicRegister.Isr0 && reg <= ApicRegister.Irr7)
            {
                value = (uint)Volatile.Read(ref VectorSet(reg)[((int)reg - (int)ApicRegister.Isr0) & 7]);
                return true;
            }
            if (TryLvtIndex(reg, out LvtIndex lvt))
            {
                value = _lvt[(int)lvt];
                return true;
            }
            switch (reg)
            {
                case ApicRegister.Id: value = x2 ? _index : _xApicId; return true;
                case ApicRegister.Version: value = VersionValue; return true;
                case ApicRegister.Tpr: value = _tpr; return true;
                case ApicRegister.Apr: value = ArbitrationPriority; return !x2;
                case ApicRegister.Ppr: value = ProcessorPriority; return true;
                case ApicRegister.Eoi: return !x2;                       // write-only: xAPIC reads 0
                case ApicRegister.Rrd: return !x2;                       // remote read unsupported: 0
                case ApicRegister.Ldr: value = _ldr; return true;
                case ApicRegister.Dfr: value = _dfr; return !x2;
                case ApicRegister.Svr: value = _svr; return true;
                case ApicRegister.Esr: value = _esr; return true;
                case ApicRegister.IcrLow: value = _icrLow; return true;
                case ApicRegister.IcrHigh: value = _icrHigh; return !x2;
                case ApicRegister.TimerInitialCount: value = _timer.InitialCount; return true;
                case ApicRegister.TimerCurrentCount: value = _timer.CurrentCount(_clock.NowNs()); return true;
                case ApicRegister.TimerDivide: value = _timer.DivideConfig; return true;
                default: return false;                                   // SELF IPI is write-only; the rest reserved
            }
        }

        private bool TryWriteRegister(ApicRegister reg, uint value, bool x2)
        {
            if (TryLvtIndex(reg, out LvtIndex lvt))
                return WriteLvt(lvt, value, x2);
            switch (reg)
            {
                case ApicRegister.Id:
                    // Read/write in xAPIC mode (model-specific, §11.4.6); x2APIC ID is read-only.
                    if (x2) return false;
                    _xApicId = value & IdMask;
                    return true;
                case ApicRegister.Tpr:
                    if (x2 && (value & ~TprMask) != 0) return false;
                    _tpr = value & TprMask;
                    return true;
                case ApicRegister.Eoi:
                    if (x2 && value != 0) return false;                  // Table 11-6: non-zero EOI write #GP
                    WriteEoi();
                    return true;
                case ApicRegister.Ldr:
                    if (x2) return false;                                // derived from the x2APIC ID, read-only
                    _ldr = value & LdrMask;
                    return true;
                case ApicRegister.Dfr:
                    if (x2) return false;
                    _dfr = (value & DfrModelMask) | ~DfrModelMask;       // bits 27:0 read as ones
                    return true;
                case ApicRegister.Svr:
                    if (x2 && (value & ~SvrWritable) != 0) return false;
                    WriteSvr(value & SvrWritable);
                    return true;
                case ApicRegister.Esr:
                    // §11.5.3: a write latches the errors seen since the previous write and clears them.
                    if (x2 && value != 0) return false;
                    _esr = (uint)Interlocked.Exchange(ref _pendingErrors, 0);
                    return true;
                case ApicRegister.IcrLow:                                // xAPIC only: MSR 0x830 takes another path
                    _icrLow = value & IcrWritable;
                    SendIpi();
                    return true;
                case ApicRegister.IcrHigh:
                    if (x2) return false;
                    _icrHigh = value & IdMask;
                    return true;
                case ApicRegister.TimerInitialCount:
                {
                    ulong now = _clock.NowNs();
                    Advance(now);
                    _timer.WriteInitialCount(value, now);
                    return true;
                }
                case ApicRegister.TimerDivide:
                {
                    if (x2 && (value & ~ApicTimer.DivideWritableMask) != 0) return false;
                    ulong now = _clock.NowNs();
                    Advance(now);
                    _timer.WriteDivide(value, now);
                    return true;
                }
                case ApicRegister.SelfIpi:
                    if (!x2 || (value & ~ApicFields.VectorMask) != 0) return false;
                    SendSelfIpi((byte)value);
                    return true;
                default:
                    return false;                                        // read-only or reserved
            }
        }

        /// <summary>SVR: clearing bit 8 software-disables the APIC and masks every LVT entry (§11.4.7.2).</summary>
        private void WriteSvr(uint value)
        {
            bool enable = (value & ApicFields.SvrSoftwareEnable) != 0;
            if (!enable)
            {
                Advance(_clock.NowNs());                                 // expiries before the masking still count
                for (int i = 0; i < LvtCount; i++)
                    _lvt[i] |= ApicFields.Masked;
            }
            _svr = value;
            Interlocked.Exchange(ref _softwareEnabled, enable ? 1 : 0);
        }

        private int[] VectorSet(ApicRegister reg) =>
            reg >= ApicRegister.Irr0 ? _irr : reg >= ApicRegister.Tmr0 ? _tmr : _isr;

        private static bool TryLvtIndex(ApicRegister reg, out LvtIndex lvt)
        {
            lvt = LvtIndex.Cmci;
            if (reg == ApicRegister.LvtCmci)
                return true;
            if (reg < ApicRegister.LvtTimer || reg > ApicRegister.LvtError)
                return false;
            lvt = (LvtIndex)(reg - ApicRegister.LvtTimer + (int)LvtIndex.Timer);
            return true;
        }
    }
}
