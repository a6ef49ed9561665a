// INS / OUTS, with or without REP (SDM Vol. 2B INS, OUTS, REP). The backend supplies Port, Size,
// Rep, AddressSize, Segment (OUTS: DS or the override; INS: always ES) and InstructionLength; the
// memory operand is walked through the guest's paging here. Per exit at most MaxElementsPerExit
// elements move; RCX/RSI/RDI then reflect the progress and RIP stays, so the guest re-executes the
// instruction for the rest (as the CPU does when an interrupt arrives mid-REP). Segment limits and
// types are not checked (flat segments assumed); in 64-bit mode ES/DS/SS bases count as 0.
using System;

namespace Hv.Virt.Exits
{
    internal static class StringIoExit
    {
        public const int MaxElementsPerExit = 1024;

        public static ExitAction Handle(Vcpu vcpu, ref VmExit exit)
        {
            IVcpuState s = vcpu.State;
            int size = exit.Size, addressSize = exit.AddressSize;
            if ((size != 1 && size != 2 && size != 4) || (addressSize != 2 && addressSize != 4 && addressSize != 8))
            {
                vcpu.Vm.Stop(VmStopReason.HypervisorError, (ulong)addressSize, "backend gave a bad string I/O size");
                return ExitAction.Stop;
            }
            bool input = exit.Kind == VmExitKind.IoIn;
            ulong mask = addressSize == 8 ? ulong.MaxValue : (1UL << (addressSize * 8)) - 1;
            GuestRegister indexRegister = input ? GuestRegister.Rdi : GuestRegister.Rsi;
            ulong segmentBase = SegmentBase(s, input ? SegmentRegister.Es : exit.Segment);
            ulong rcx = s.Get(GuestRegister.Rcx);
            ulong count = exit.Rep ? rcx & mask : 1;
            ulong index = s.Get(indexRegister);
            bool down = (s.Get(GuestRegister.Rflags) & (ulong)RflagsBits.Direction) != 0;
            var walker = new GuestPageWalker(vcpu.Vm.Memory, s, vcpu.Vm.Cpuid.PhysicalAddressBits);
            Span<byte> data = stackalloc byte[4];
            data = data.Slice(0, size);

            ulong done = 0;
            LinearAccessResult fault = default;
            while (done < count && done < MaxElementsPerExit)
            {
                ulong linear = segmentBase + (index & mask);
                if (!s.LongMode)
                    linear &= 0xFFFF_FFFF;
                fault = input ? In(vcpu, walker, exit.Port, linear, data) : Out(vcpu, walker, exit.Port, linear, data);
                if (fault.Status != LinearTranslation.Ok)
                    break;
                ulong next = down ? index - (ulong)size : index + (ulong)size;
                index = Merge(index, next, addressSize);
                done++;
            }
            s.Set(indexRegister, index);
            if (exit.Rep)
                s.Set(GuestRegister.Rcx, Merge(rcx, count - done, addressSize));
            if (fault.Status != LinearTranslation.Ok)
                return Fault(vcpu, ref fault);
            if (done < count)
                return ExitAction.Resume;                   // more to do: RIP stays on the instruction
            return vcpu.CompleteInstruction(ref exit, 0) ? ExitAction.Resume : ExitAction.Stop;
        }

        /// <summary>One INS element: check the destination is writable before the device read (its side effects happen once).</summary>
        private static LinearAccessResult In(Vcpu vcpu, GuestPageWalker walker, ushort port, ulong linear, Span<byte> data)
        {
            var r = new LinearAccessResult { Status = walker.Translate(linear, AccessKind.Write, out _, out uint code), FaultLinear = linear, ErrorCode = code };
            if (r.Status != LinearTranslation.Ok)
                return r;
            if (!vcpu.Vm.IoBus.Read(port, data))
                vcpu.Counters.UnclaimedIoReads++;
            return walker.WriteLinear(linear, data);
        }

        private static LinearAccessResult Out(Vcpu vcpu, GuestPageWalker walker, ushort port, ulong linear, Span<byte> data)
        {
            LinearAccessResult r = walker.ReadLinear(linear, data, AccessKind.Read);
            if (r.Status == LinearTranslation.Ok && !vcpu.Vm.IoBus.Write(port, data))
                vcpu.Counters.UnclaimedIoWrites++;
            return r;
        }

        private static ExitAction Fault(Vcpu vcpu, ref LinearAccessResult fault)
        {
            switch (fault.Status)
            {
                case LinearTranslation.PageFault:
                    vcpu.State.Set(GuestRegister.Cr2, fault.FaultLinear);
                    vcpu.InjectException(ExceptionVector.PageFault, true, fault.ErrorCode);
                    return ExitAction.Resume;
                case LinearTranslation.NonCanonical:
                    return vcpu.InjectGeneralProtection();
                default:
                    vcpu.Vm.Stop(VmStopReason.UnhandledExit, fault.FaultLinear, "string I/O operand outside guest RAM");
                    return ExitAction.Stop;
            }
        }

        /// <summary>
        /// Writes an address-size-wide register result: 16-bit results keep bits 63:16, 32-bit results
        /// zero-extend (SDM Vol. 1 §3.4.1.1), 64-bit results replace the register.
        /// </summary>
        private static ulong Merge(ulong old, ulong value, int addressSize)
        {
            if (addressSize == 2)
                return (old & ~0xFFFFUL) | (value & 0xFFFF);
            return addressSize == 4 ? value & 0xFFFF_FFFF : value;
        }

        private static ulong SegmentBase(IVcpuState s, SegmentRegister segment)
        {
            switch (segment)
            {
                case SegmentRegister.Fs: return s.Get(GuestRegister.FsBase);
                case SegmentRegister.Gs: return s.Get(GuestRegister.GsBase);
            }
            if (s.LongMode)
                return 0;                                   // 64-bit mode ignores ES/CS/SS/DS bases (§3.4.4)
            switch (segment)
            {
                case SegmentRegister.Es: return s.Get(GuestRegister.EsBase);
                case SegmentRegister.Cs: return s.Get(GuestRegister.CsBase);
                case SegmentRegister.Ss: return s.Get(GuestRegister.SsBase);
                default: return s.Get(GuestRegister.DsBase);
            }
        }
    }
}
