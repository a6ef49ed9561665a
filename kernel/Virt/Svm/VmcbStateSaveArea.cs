// The VMCB state-save area: offsets 400h-FFFh of the VMCB (AMD APM Vol. 2 Appendix B, Table B-2
// "VMCB Layout, State Save Area"; the offsets below are relative to 400h, as in the APM).
// VMRUN loads, and #VMEXIT saves, ES/CS/SS/DS, GDTR/IDTR, EFER, CR0/2/3/4, DR6/7, RFLAGS, RIP,
// RSP, RAX, CPL and G_PAT; FS, GS, TR, LDTR, KernelGsBase, STAR/LSTAR/CSTAR/SFMASK and SYSENTER_*
// are moved only by VMLOAD/VMSAVE (§15.5.1, §15.5.2), which the world switch issues.
using System.Runtime.InteropServices;

namespace Hv.Virt.Svm
{
    /// <summary>One segment (or descriptor-table) register: selector, attributes, limit, base (16 bytes).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 16)]
    public struct VmcbSegment
    {
        [FieldOffset(0)] public ushort Selector;
        /// <summary>Descriptor bits 47:40 in 7:0 and 55:52 in 11:8 (<see cref="SegmentAttributes"/>).</summary>
        [FieldOffset(2)] public ushort Attributes;
        [FieldOffset(4)] public uint Limit;
        [FieldOffset(8)] public ulong Base;

        public static VmcbSegment Make(ushort selector, ushort attributes, uint limit, ulong baseAddress)
            => new VmcbSegment { Selector = selector, Attributes = attributes, Limit = limit, Base = baseAddress };
    }

    [StructLayout(LayoutKind.Explicit, Size = 0xC00)]
    public struct VmcbStateSaveArea
    {
        [FieldOffset(0x000)] public VmcbSegment Es;
        [FieldOffset(0x010)] public VmcbSegment Cs;
        [FieldOffset(0x020)] public VmcbSegment Ss;
        [FieldOffset(0x030)] public VmcbSegment Ds;
        [FieldOffset(0x040)] public VmcbSegment Fs;
        [FieldOffset(0x050)] public VmcbSegment Gs;
        /// <summary>Only limit and base are used.</summary>
        [FieldOffset(0x060)] public VmcbSegment Gdtr;
        [FieldOffset(0x070)] public VmcbSegment Ldtr;
        /// <summary>Only limit and base are used.</summary>
        [FieldOffset(0x080)] public VmcbSegment Idtr;
        [FieldOffset(0x090)] public VmcbSegment Tr;
        /// <summary>0CBh: the guest's CPL (SVM keeps it apart from SS.DPL).</summary>
        [FieldOffset(0x0CB)] public byte Cpl;
        [FieldOffset(0x0D0)] public ulong Efer;
        [FieldOffset(0x148)] public ulong Cr4;
        [FieldOffset(0x150)] public ulong Cr3;
        [FieldOffset(0x158)] public ulong Cr0;
        [FieldOffset(0x160)] public ulong Dr7;
        [FieldOffset(0x168)] public ulong Dr6;
        [FieldOffset(0x170)] public ulong Rflags;
        [FieldOffset(0x178)] public ulong Rip;
        [FieldOffset(0x1D8)] public ulong Rsp;
        /// <summary>1E0h: S_CET (shadow stacks); 1E8h SSP; 1F0h ISST_ADDR.</summary>
        [FieldOffset(0x1E0)] public ulong SCet;
        [FieldOffset(0x1E8)] public ulong Ssp;
        [FieldOffset(0x1F0)] public ulong IsstAddress;
        [FieldOffset(0x1F8)] public ulong Rax;
        [FieldOffset(0x200)] public ulong Star;
        [FieldOffset(0x208)] public ulong Lstar;
        [FieldOffset(0x210)] public ulong Cstar;
        [FieldOffset(0x218)] public ulong Sfmask;
        [FieldOffset(0x220)] public ulong KernelGsBase;
        [FieldOffset(0x228)] public ulong SysenterCs;
        [FieldOffset(0x230)] public ulong SysenterEsp;
        [FieldOffset(0x238)] public ulong SysenterEip;
        [FieldOffset(0x240)] public ulong Cr2;
        /// <summary>268h: the guest's PAT, used with nested paging (§15.25.8).</summary>
        [FieldOffset(0x268)] public ulong GuestPat;
        [FieldOffset(0x270)] public ulong DebugCtl;
        [FieldOffset(0x278)] public ulong BranchFrom;
        [FieldOffset(0x280)] public ulong BranchTo;
        [FieldOffset(0x288)] public ulong LastExceptionFrom;
        [FieldOffset(0x290)] public ulong LastExceptionTo;
    }

    /// <summary>The whole VMCB: one 4 KiB-aligned page (Appendix B).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 0x1000)]
    public struct Vmcb
    {
        public const int Size = 0x1000;
        public const int StateSaveOffset = 0x400;

        [FieldOffset(0x000)] public VmcbControlArea Control;
        [FieldOffset(0x400)] public VmcbStateSaveArea Save;
    }
}
