// The I/O and MSR permission maps (AMD APM Vol. 2 §15.10.1, §15.11). One pair serves every vCPU
// of the backend: all ports and all MSRs exit, except the MSRs listed in PassThroughMsrs.
using System;

namespace Hv.Virt.Svm
{
    public static class SvmPermissionMaps
    {
        /// <summary>IOPM: 12 KiB, one bit per port; bits past port FFFFh cover accesses that wrap (§15.10.1).</summary>
        public const int IopmBytes = 3 * 4096;
        public const int IopmPages = 3;
        /// <summary>MSRPM: 8 KiB, two bits per MSR (bit 2n read, 2n+1 write) in three 2 KiB ranges (§15.11).</summary>
        public const int MsrpmBytes = 2 * 4096;
        public const int MsrpmPages = 2;

        /// <summary>
        /// MSRs the guest reads and writes without an exit: the FS/GS bases and KernelGsBase (§15.11).
        /// They are the hot ones (thread switches, SWAPGS users), and they are safe to hand over:
        /// their guest values live only in the VMCB state-save area and in the CPU between VMLOAD and
        /// VMSAVE, which the world switch brackets with the host's own VMSAVE/VMLOAD (svm.asm), so
        /// the host never runs with a guest value. The other VMLOAD/VMSAVE MSRs (STAR, LSTAR, CSTAR,
        /// SFMASK, SYSENTER_*) are written once by a guest: they exit, so the neutral MsrPolicy
        /// checks them and writes them through IVcpuState like on VMX.
        /// </summary>
        public static readonly uint[] PassThroughMsrs = { 0xC000_0100, 0xC000_0101, 0xC000_0102 };

        /// <summary>Sets every bit: all ports exit.</summary>
        public static void FillIopm(Span<byte> iopm)
        {
            for (int i = 0; i < iopm.Length; i++) iopm[i] = 0xFF;
        }

        /// <summary>Sets every bit (reads and writes of all MSRs exit), then opens PassThroughMsrs.</summary>
        public static void FillMsrpm(Span<byte> msrpm)
        {
            for (int i = 0; i < msrpm.Length; i++) msrpm[i] = 0xFF;
            for (int i = 0; i < PassThroughMsrs.Length; i++)
            {
                SetMsrIntercept(msrpm, PassThroughMsrs[i], write: false, intercept: false);
                SetMsrIntercept(msrpm, PassThroughMsrs[i], write: true, intercept: false);
            }
        }

        /// <summary>
        /// The bit for <paramref name="msr"/> in the MSRPM: 0000_0000-0000_1FFF at byte 000h,
        /// C000_0000-C000_1FFF at 800h, C001_0000-C001_1FFF at 1000h. False for MSRs outside
        /// those ranges: they always exit.
        /// </summary>
        public static bool TryMsrBit(uint msr, bool write, out int bitIndex)
        {
            int rangeBase;
            uint first;
            if (msr <= 0x1FFF) { rangeBase = 0x0000; first = 0; }
            else if (msr >= 0xC000_0000 && msr <= 0xC000_1FFF) { rangeBase = 0x0800; first = 0xC000_0000; }
            else if (msr >= 0xC001_0000 && msr <= 0xC001_1FFF) { rangeBase = 0x1000; first = 0xC001_0000; }
            else { bitIndex = -1; return false; }
            bitIndex = rangeBase * 8 + (int)(msr - first) * 2 + (write ? 1 : 0);
            return true;
        }

        public static void SetMsrIntercept(Span<byte> msrpm, uint msr, bool write, bool intercept)
        {
            if (!TryMsrBit(msr, write, out int bit)) return;
            byte mask = (byte)(1 << (bit & 7));
            if (intercept) msrpm[bit >> 3] |= mask;
            else msrpm[bit >> 3] &= (byte)~mask;
        }

        /// <summary>True when an access to <paramref name="msr"/> exits (always, outside the three ranges).</summary>
        public static bool IsMsrIntercepted(ReadOnlySpan<byte> msrpm, uint msr, bool write)
            => !TryMsrBit(msr, write, out int bit) || (msrpm[bit >> 3] & (1 << (bit & 7))) != 0;

        /// <summary>True when an access of <paramref name="size"/> bytes at <paramref name="port"/> exits (any of its bits set).</summary>
        public static bool IsPortIntercepted(ReadOnlySpan<byte> iopm, ushort port, int size)
        {
            for (int p = port; p < port + size; p++)
                if ((iopm[p >> 3] & (1 << (p & 7))) != 0) return true;
            return false;
        }
    }
}
