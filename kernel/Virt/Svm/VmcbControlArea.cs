// The VMCB control area: offsets 000h-3FFh of the 4 KiB VMCB (AMD APM Vol. 2 Appendix B,
// Table B-1 "VMCB Layout, Control Area"). Only the fields this backend reads or writes, or that a
// reader of a VMCB dump needs, are named; the rest stays reserved (zero). Tests assert every offset.
using System.Runtime.InteropServices;

namespace Hv.Virt.Svm
{
    [StructLayout(LayoutKind.Explicit, Size = 0x400)]
    public struct VmcbControlArea
    {
        /// <summary>000h: bits 15:0 intercept reads of CR0-CR15, bits 31:16 writes (§15.9).</summary>
        [FieldOffset(0x000)] public uint InterceptCr;
        /// <summary>004h: bits 15:0 intercept reads of DR0-DR15, bits 31:16 writes.</summary>
        [FieldOffset(0x004)] public uint InterceptDr;
        /// <summary>008h: one bit per exception vector 0-31 (§15.12).</summary>
        [FieldOffset(0x008)] public uint InterceptExceptions;
        /// <summary>00Ch: instruction and event intercepts, vector 3 (<see cref="SvmIntercept1"/>).</summary>
        [FieldOffset(0x00C)] public SvmIntercept1 Intercept1;
        /// <summary>010h: instruction intercepts, vector 4 (<see cref="SvmIntercept2"/>).</summary>
        [FieldOffset(0x010)] public SvmIntercept2 Intercept2;
        /// <summary>014h: instruction intercepts, vector 5 (INVLPGB, INVPCID, ...); unused here.</summary>
        [FieldOffset(0x014)] public uint Intercept3;
        /// <summary>03Ch: PAUSE filter threshold.</summary>
        [FieldOffset(0x03C)] public ushort PauseFilterThreshold;
        /// <summary>03Eh: PAUSE filter count.</summary>
        [FieldOffset(0x03E)] public ushort PauseFilterCount;
        /// <summary>040h: IOPM_BASE_PA, physical base of the 12 KiB I/O permission map (§15.10.1).</summary>
        [FieldOffset(0x040)] public ulong IopmBase;
        /// <summary>048h: MSRPM_BASE_PA, physical base of the 8 KiB MSR permission map (§15.11).</summary>
        [FieldOffset(0x048)] public ulong MsrpmBase;
        /// <summary>050h: TSC_OFFSET added to the guest's reads of the TSC.</summary>
        [FieldOffset(0x050)] public ulong TscOffset;
        /// <summary>058h bits 31:0: guest ASID (§15.16); 0 is the host's and illegal for VMRUN.</summary>
        [FieldOffset(0x058)] public uint GuestAsid;
        /// <summary>058h bits 39:32: TLB_CONTROL (<see cref="SvmTlbControl"/>).</summary>
        [FieldOffset(0x05C)] public SvmTlbControl TlbControl;
        /// <summary>060h bits 31:0: V_TPR, V_IRQ, V_INTR_PRIO, V_IGN_TPR, V_INTR_MASKING (<see cref="SvmVirtualInterrupt"/>, §15.21).</summary>
        [FieldOffset(0x060)] public SvmVirtualInterrupt VirtualInterrupt;
        /// <summary>060h bits 39:32: V_INTR_VECTOR, the vector of the virtual interrupt.</summary>
        [FieldOffset(0x064)] public byte VirtualInterruptVector;
        /// <summary>068h: bit 0 INTERRUPT_SHADOW, bit 1 GUEST_INTERRUPT_MASK (<see cref="SvmInterruptState"/>).</summary>
        [FieldOffset(0x068)] public SvmInterruptState InterruptState;
        /// <summary>070h: EXITCODE (<see cref="SvmExitCode"/>, Appendix C).</summary>
        [FieldOffset(0x070)] public ulong ExitCode;
        /// <summary>078h: EXITINFO1 (meaning depends on the exit code).</summary>
        [FieldOffset(0x078)] public ulong ExitInfo1;
        /// <summary>080h: EXITINFO2.</summary>
        [FieldOffset(0x080)] public ulong ExitInfo2;
        /// <summary>088h: EXITINTINFO, the event being delivered when the exit happened (§15.7.2), EVENTINJ format.</summary>
        [FieldOffset(0x088)] public ulong ExitIntInfo;
        /// <summary>090h: bit 0 NP_ENABLE, then SEV/SEV-ES/GMET... (<see cref="SvmNestedControl"/>).</summary>
        [FieldOffset(0x090)] public SvmNestedControl NestedControl;
        /// <summary>098h: AVIC APIC_BAR.</summary>
        [FieldOffset(0x098)] public ulong AvicApicBar;
        /// <summary>0A0h: guest-physical address of the GHCB (SEV-ES).</summary>
        [FieldOffset(0x0A0)] public ulong GhcbAddress;
        /// <summary>0A8h: EVENTINJ, the event injected on the next VMRUN (§15.20, <see cref="SvmEvent"/>).</summary>
        [FieldOffset(0x0A8)] public ulong EventInjection;
        /// <summary>0B0h: N_CR3, the nested page tables' root (§15.25.4).</summary>
        [FieldOffset(0x0B0)] public ulong NestedCr3;
        /// <summary>0B8h: bit 0 LBR virtualization, bit 1 virtualized VMSAVE/VMLOAD.</summary>
        [FieldOffset(0x0B8)] public ulong VirtualizationExtensions;
        /// <summary>0C0h bits 31:0: VMCB clean bits (§15.15.3); 0 = the CPU reloads everything.</summary>
        [FieldOffset(0x0C0)] public uint CleanBits;
        /// <summary>0C8h: nRIP, next sequential RIP, saved on instruction intercepts when NRIP-save exists (§15.7.1).</summary>
        [FieldOffset(0x0C8)] public ulong NextRip;
        /// <summary>0D0h: number of guest instruction bytes fetched (decode assists, #PF/NPF intercepts).</summary>
        [FieldOffset(0x0D0)] public byte InstructionBytesFetched;
        /// <summary>0D1h-0DFh: those bytes (15); first one here.</summary>
        [FieldOffset(0x0D1)] public byte InstructionBytes;
        /// <summary>0E0h: AVIC APIC backing page pointer.</summary>
        [FieldOffset(0x0E0)] public ulong AvicBackingPage;
        /// <summary>0F0h: AVIC logical table pointer.</summary>
        [FieldOffset(0x0F0)] public ulong AvicLogicalTable;
        /// <summary>0F8h: AVIC physical table pointer and max index.</summary>
        [FieldOffset(0x0F8)] public ulong AvicPhysicalTable;
        /// <summary>108h: VMSA pointer (SEV-ES).</summary>
        [FieldOffset(0x108)] public ulong VmsaPointer;
    }
}
