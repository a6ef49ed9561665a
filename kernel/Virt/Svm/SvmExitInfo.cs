// EXITINFO1 formats: IOIO (AMD APM Vol. 2 §15.10.2, Figure 15-2) and nested page faults (§15.25.6).
using System;

namespace Hv.Virt.Svm
{
    /// <summary>
    /// IOIO EXITINFO1: 0 TYPE (1 = IN), 2 STR, 3 REP, 4/5/6 SZ8/SZ16/SZ32, 7/8/9 A16/A32/A64,
    /// 12:10 SEG (effective segment of OUTS, with decode assists), 31:16 PORT.
    /// </summary>
    public readonly struct SvmIoExitInfo
    {
        public SvmIoExitInfo(ulong raw) { Raw = raw; }

        public ulong Raw { get; }
        public bool IsIn => (Raw & 1) != 0;
        public bool IsString => (Raw & (1 << 2)) != 0;
        public bool Rep => (Raw & (1 << 3)) != 0;
        public ushort Port => (ushort)(Raw >> 16);
        public int Segment => (int)(Raw >> 10) & 7;

        /// <summary>1, 2 or 4 (0 if no size bit is set).</summary>
        public int Size => (Raw & (1 << 4)) != 0 ? 1 : (Raw & (1 << 5)) != 0 ? 2 : (Raw & (1 << 6)) != 0 ? 4 : 0;

        /// <summary>The string instruction's address size as a mask of rSI/rDI.</summary>
        public ulong AddressMask => (Raw & (1 << 7)) != 0 ? 0xFFFFul : (Raw & (1 << 8)) != 0 ? 0xFFFF_FFFFul : ulong.MaxValue;

        /// <summary>The address size in bytes: 2, 4 or 8.</summary>
        public int AddressBytes => (Raw & (1 << 7)) != 0 ? 2 : (Raw & (1 << 8)) != 0 ? 4 : 8;

        public static SvmIoExitInfo Make(ushort port, int size, bool isIn, bool isString, bool rep, int addressBits, int segment = 3)
        {
            ulong raw = (ulong)port << 16;
            if (isIn) raw |= 1;
            if (isString) raw |= 1 << 2;
            if (rep) raw |= 1 << 3;
            raw |= size == 1 ? 1ul << 4 : size == 2 ? 1ul << 5 : 1ul << 6;
            raw |= addressBits == 16 ? 1ul << 7 : addressBits == 32 ? 1ul << 8 : 1ul << 9;
            raw |= (ulong)(segment & 7) << 10;
            return new SvmIoExitInfo(raw);
        }
    }

    /// <summary>Nested page fault EXITINFO1: the #PF error-code bits plus where in the walk it happened.</summary>
    [Flags]
    public enum NestedFaultCode : ulong
    {
        Present = 1ul << 0,
        Write = 1ul << 1,
        User = 1ul << 2,
        ReservedBit = 1ul << 3,
        InstructionFetch = 1ul << 4,
        /// <summary>The fault was on the final guest-physical address of the access.</summary>
        FinalAddress = 1ul << 32,
        /// <summary>The fault was on a guest page-table access during the guest's own walk.</summary>
        GuestPageTable = 1ul << 33,
    }

    /// <summary>Guest-physical to host-physical through the VM's regions (the same ranges the nested tables map).</summary>
    public static class GuestRam
    {
        public static bool Contains(GuestRegion[] memory, ulong gpa) => TryHostAddress(memory, gpa, out _);

        public static bool TryHostAddress(GuestRegion[] memory, ulong gpa, out ulong hpa)
        {
            for (int i = 0; i < memory.Length; i++)
            {
                GuestRegion r = memory[i];
                if (gpa >= r.GuestPhysical && gpa - r.GuestPhysical < r.Size)
                {
                    hpa = r.HostPhysical + (gpa - r.GuestPhysical);
                    return true;
                }
            }
            hpa = 0;
            return false;
        }
    }
}
