// Bit fields of the VMCB control area (AMD APM Vol. 2 Appendix B, Table B-1, and the sections
// named per type). Values are the APM's bit numbers.
using System;

namespace Hv.Virt.Svm
{
    /// <summary>VMCB 00Ch, intercept vector 3 (§15.9, §15.13, §15.14).</summary>
    [Flags]
    public enum SvmIntercept1 : uint
    {
        Intr = 1u << 0, Nmi = 1u << 1, Smi = 1u << 2, Init = 1u << 3, Vintr = 1u << 4,
        Cr0SelectiveWrite = 1u << 5, IdtrRead = 1u << 6, GdtrRead = 1u << 7, LdtrRead = 1u << 8, TrRead = 1u << 9,
        IdtrWrite = 1u << 10, GdtrWrite = 1u << 11, LdtrWrite = 1u << 12, TrWrite = 1u << 13,
        Rdtsc = 1u << 14, Rdpmc = 1u << 15, Pushf = 1u << 16, Popf = 1u << 17, Cpuid = 1u << 18, Rsm = 1u << 19,
        Iret = 1u << 20, SoftwareInterrupt = 1u << 21, Invd = 1u << 22, Pause = 1u << 23, Hlt = 1u << 24,
        Invlpg = 1u << 25, Invlpga = 1u << 26, IoioProt = 1u << 27, MsrProt = 1u << 28, TaskSwitch = 1u << 29,
        FerrFreeze = 1u << 30, Shutdown = 1u << 31,
    }

    /// <summary>VMCB 010h, intercept vector 4 (§15.9).</summary>
    [Flags]
    public enum SvmIntercept2 : uint
    {
        Vmrun = 1u << 0, Vmmcall = 1u << 1, Vmload = 1u << 2, Vmsave = 1u << 3, Stgi = 1u << 4, Clgi = 1u << 5,
        Skinit = 1u << 6, Rdtscp = 1u << 7, Icebp = 1u << 8, Wbinvd = 1u << 9, Monitor = 1u << 10,
        MwaitUnconditional = 1u << 11, MwaitArmed = 1u << 12, Xsetbv = 1u << 13, Rdpru = 1u << 14,
        EferWriteTrap = 1u << 15,
    }

    /// <summary>VMCB 05Ch, TLB_CONTROL (§15.16.1).</summary>
    public enum SvmTlbControl : byte
    {
        DoNothing = 0x00,
        /// <summary>Flush the whole TLB, every ASID (the only flush without FlushByAsid).</summary>
        FlushAll = 0x01,
        /// <summary>Flush this guest's ASID (CPUID Fn8000_000A_EDX.FlushByAsid).</summary>
        FlushGuest = 0x03,
        FlushGuestNonGlobal = 0x07,
    }

    /// <summary>VMCB 060h bits 31:0 (§15.21: interrupt virtualization).</summary>
    [Flags]
    public enum SvmVirtualInterrupt : uint
    {
        TprMask = 0xFu,
        /// <summary>V_IRQ: a virtual interrupt is pending (with the VINTR intercept: the interrupt window).</summary>
        Irq = 1u << 8,
        Gif = 1u << 9,
        /// <summary>V_INTR_PRIO, bits 19:16.</summary>
        PriorityMask = 0xFu << 16,
        /// <summary>V_IGN_TPR: the virtual interrupt ignores V_TPR.</summary>
        IgnoreTpr = 1u << 20,
        /// <summary>V_INTR_MASKING: the host's RFLAGS.IF masks physical interrupts, the guest's only virtual ones (§15.21.1).</summary>
        Masking = 1u << 24,
        GifEnable = 1u << 25,
        AvicEnable = 1u << 31,
    }

    /// <summary>VMCB 068h (§15.21.5).</summary>
    [Flags]
    public enum SvmInterruptState : ulong
    {
        /// <summary>The guest is in an interrupt shadow (after STI or MOV SS).</summary>
        Shadow = 1ul << 0,
        GuestInterruptMask = 1ul << 1,
    }

    /// <summary>VMCB 090h.</summary>
    [Flags]
    public enum SvmNestedControl : ulong
    {
        /// <summary>NP_ENABLE: nested paging with N_CR3 (§15.25.3).</summary>
        NestedPaging = 1ul << 0,
        Sev = 1ul << 1,
        SevEs = 1ul << 2,
        GuestModeExecuteTrap = 1ul << 3,
    }

    /// <summary>
    /// VMCB segment attributes (Appendix B, "segment attribute" note): descriptor bits 47:40
    /// (type, S, DPL, P) in bits 7:0 and 55:52 (AVL, L, D/B, G) in bits 11:8.
    /// </summary>
    public static class SegmentAttributes
    {
        public const ushort Accessed = 1 << 0, Writable = 1 << 1, Code = 1 << 3, CodeOrData = 1 << 4, Present = 1 << 7;
        public const ushort Long = 1 << 9, DefaultBig = 1 << 10, Granularity = 1 << 11;
        public const int DplShift = 5;

        /// <summary>Read/write data, accessed, present: 093h.</summary>
        public const ushort Data16 = Present | CodeOrData | Writable | Accessed;
        /// <summary>Execute/read code, accessed, present: 09Bh.</summary>
        public const ushort Code16 = Present | CodeOrData | Code | Writable | Accessed;
        public const ushort Data32 = Data16 | DefaultBig | Granularity;
        public const ushort Code32 = Code16 | DefaultBig | Granularity;
        /// <summary>64-bit code: L = 1 with D = 0 (APM Vol. 2 §4.8.1).</summary>
        public const ushort Code64 = Code16 | Long | Granularity;
        /// <summary>Present LDT (system type 2): 082h.</summary>
        public const ushort Ldt = Present | 0x2;
        /// <summary>Present busy 32-bit TSS (system type 11): 08Bh.</summary>
        public const ushort BusyTss32 = Present | 0xB;

        /// <summary>Packs a raw 8-byte descriptor's attribute bits into the VMCB form.</summary>
        public static ushort FromDescriptor(ulong descriptor)
            => (ushort)(((descriptor >> 40) & 0xFF) | (((descriptor >> 52) & 0xF) << 8));

        public static int Dpl(ushort attributes) => (attributes >> DplShift) & 3;
    }

    /// <summary>Architectural CR0 bits (APM Vol. 2 §3.1.1).</summary>
    [Flags]
    public enum GuestCr0 : ulong
    {
        PE = 1ul << 0, MP = 1ul << 1, EM = 1ul << 2, TS = 1ul << 3, ET = 1ul << 4, NE = 1ul << 5,
        WP = 1ul << 16, AM = 1ul << 18, NW = 1ul << 29, CD = 1ul << 30, PG = 1ul << 31,
    }

    /// <summary>CR4 bits used here (APM Vol. 2 §3.1.3).</summary>
    [Flags]
    public enum GuestCr4 : ulong
    {
        PSE = 1ul << 4, PAE = 1ul << 5, LA57 = 1ul << 12, PCIDE = 1ul << 17,
    }

    /// <summary>EFER bits (APM Vol. 2 §3.1.7).</summary>
    [Flags]
    public enum GuestEfer : ulong
    {
        SCE = 1ul << 0, LME = 1ul << 8, LMA = 1ul << 10, NXE = 1ul << 11, SVME = 1ul << 12,
        LMSLE = 1ul << 13, FFXSR = 1ul << 14, TCE = 1ul << 15,
    }

    /// <summary>RFLAGS bits used here.</summary>
    [Flags]
    public enum GuestRflags : ulong
    {
        Reserved1 = 1ul << 1, TF = 1ul << 8, IF = 1ul << 9,
    }
}
