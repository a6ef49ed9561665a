namespace Hv.Loader
{
    /// <summary>
    /// A segment register in vendor-neutral form. Attributes holds the descriptor's attribute
    /// bits 40-47 and 52-55 (SDM Vol. 3A §3.4.5 "Segment Descriptors") packed as
    /// <code>
    ///  15 14  13  12   11..8   7   6..5  4   3..0
    ///  G  D/B L  AVL  (zero)   P   DPL   S   Type
    /// </code>
    /// which is the VMCS access-rights layout (SDM Vol. 3C §25.4.1, minus bit 16 "unusable",
    /// kept in Unusable here); the VMCB's 12-bit attribute field is
    /// <c>(Attributes &amp; 0xFF) | ((Attributes &gt;&gt; 4) &amp; 0xF00)</c> (AMD APM Vol. 2 §15.5.1).
    /// Limit is the byte-granular limit the processor uses (0xFFFFFFFF for a flat 4 GiB segment).
    /// </summary>
    public struct SegmentState
    {
        public ushort Selector;
        public uint Base;
        public uint Limit;
        public ushort Attributes;
        public bool Unusable;

        public static SegmentState Make(ushort selector, uint limit, ushort attributes)
        {
            SegmentState s;
            s.Selector = selector;
            s.Base = 0;
            s.Limit = limit;
            s.Attributes = attributes;
            s.Unusable = false;
            return s;
        }
    }

    /// <summary>Attribute values used for entry state (layout: SegmentState).</summary>
    public static class SegmentAttributes
    {
        /// <summary>Present, DPL 0, code, execute/read, accessed; D = 1 (32-bit), G = 1 (4 KiB units).</summary>
        public const ushort FlatCode32 = 0xC09B;
        /// <summary>Present, DPL 0, data, read/write, accessed; B = 1, G = 1.</summary>
        public const ushort FlatData32 = 0xC093;
        /// <summary>Present system segment, type 11: busy 32-bit TSS (VM entry wants a busy TSS in TR).</summary>
        public const ushort BusyTss32 = 0x008B;
        /// <summary>Present, DPL 0, code, execute/read, accessed; L = 1 (64-bit), D = 0, G = 1.</summary>
        public const ushort FlatCode64 = 0xA09B;
        /// <summary>
        /// Type 11 in IA-32e mode is a busy 64-bit TSS (SDM Vol. 3A §3.5, Table 3-2): the same
        /// encoding as BusyTss32, which VM entry requires in TR for a 64-bit guest.
        /// </summary>
        public const ushort BusyTss64 = 0x008B;
    }

    /// <summary>The processor mode the first vCPU starts in.</summary>
    public enum EntryMode : byte
    {
        /// <summary>32-bit protected mode, paging off, flat segments (Multiboot).</summary>
        ProtectedFlat32 = 0,
        /// <summary>64-bit mode: CR0.PG, CR4.PAE, EFER.LME/LMA, CR3 and GDTR given (Linux 64-bit boot protocol).</summary>
        Long64 = 1,
    }

    /// <summary>
    /// The register state a loader asks the first vCPU to start with. The values are the
    /// architectural ones the guest sees; a backend adds what its hardware needs on top (for
    /// example the CR0 bits VMX fixes to 1, hidden from the guest by the CR0 read shadow).
    /// </summary>
    public struct EntryState
    {
        /// <summary>ProtectedFlat32 (the default, 0) or Long64; the backend picks its start mode from it.</summary>
        public EntryMode Mode;
        /// <summary>The general registers (the low 32 bits of RAX.. in 64-bit mode; the upper halves start at 0).</summary>
        public uint Eax, Ebx, Ecx, Edx, Esi, Edi, Ebp, Esp;
        public uint Eip;
        public uint Eflags;
        public uint Cr0, Cr3, Cr4;
        public ulong Efer;
        public SegmentState Cs, Ds, Es, Fs, Gs, Ss, Tr, Ldtr;
        public uint GdtrBase, IdtrBase;
        public ushort GdtrLimit, IdtrLimit;

        public const uint Cr0ProtectionEnable = 1u << 0;
        public const uint Cr0ExtensionType = 1u << 4;   // always 1 on processors since the i486
        public const uint Cr0Paging = 1u << 31;
        public const uint Cr4Pae = 1u << 5;
        public const ulong EferLongModeEnable = 1UL << 8;
        public const ulong EferLongModeActive = 1UL << 10;
        public const uint EflagsReserved1 = 1u << 1;    // reads as 1

        /// <summary>
        /// 32-bit protected mode without paging, flat 4 GiB code and data segments, interrupts off
        /// (Multiboot 0.6.96 §3.2 "Machine state"): CS a 32-bit read/execute code segment and DS,
        /// ES, FS, GS, SS 32-bit read/write data segments, all with base 0 and limit 0xFFFFFFFF;
        /// CR0.PG = 0, CR0.PE = 1; EFLAGS.VM = 0, EFLAGS.IF = 0. The spec leaves GDTR and IDTR
        /// undefined (the OS must load its own before touching a segment register or enabling
        /// interrupts): they are base 0, limit 0 here. The selectors (0x08 code, 0x10 data) are
        /// what a typical GDT would use; no GDT backs them. TR holds a busy TSS and LDTR is
        /// unusable only because VM entry checks them (SDM Vol. 3C §27.3.1.2).
        /// </summary>
        public static EntryState FlatProtectedMode(uint eip)
        {
            EntryState s = default;
            s.Eip = eip;
            s.Eflags = EflagsReserved1;
            s.Cr0 = Cr0ProtectionEnable | Cr0ExtensionType;
            s.Cs = SegmentState.Make(0x08, 0xFFFFFFFF, SegmentAttributes.FlatCode32);
            SegmentState data = SegmentState.Make(0x10, 0xFFFFFFFF, SegmentAttributes.FlatData32);
            s.Ds = data;
            s.Es = data;
            s.Fs = data;
            s.Gs = data;
            s.Ss = data;
            s.Tr = SegmentState.Make(0, 0x67, SegmentAttributes.BusyTss32);
            s.Ldtr.Unusable = true;
            return s;
        }

        /// <summary>
        /// 64-bit mode as the Linux 64-bit boot protocol asks (Documentation/arch/x86/boot.rst,
        /// "64-bit Boot Protocol"): paging on with the loader's identity map (CR3), a GDT whose
        /// selector 0x10 (__BOOT_CS) is a flat 64-bit code segment and 0x18 (__BOOT_DS) a flat
        /// read/write data segment, CS = 0x10 and DS = ES = SS = 0x18 (FS and GS too), interrupts
        /// off, RSI = <paramref name="rsi"/> (boot_params). Long mode is CR0.PE|PG, CR4.PAE and
        /// EFER.LME|LMA (SDM Vol. 3A §10.8.5 "Initializing IA-32e Mode"); CR0.ET as always.
        /// IDTR is base 0, limit 0 (the kernel loads its own before enabling interrupts); TR a
        /// busy 64-bit TSS and LDTR unusable only because VM entry checks them.
        /// </summary>
        public static EntryState LongMode64(uint rip, uint rsi, uint rsp, uint cr3, uint gdtBase, ushort gdtLimit)
        {
            EntryState s = default;
            s.Mode = EntryMode.Long64;
            s.Eip = rip;
            s.Esi = rsi;
            s.Esp = rsp;
            s.Eflags = EflagsReserved1;
            s.Cr0 = Cr0ProtectionEnable | Cr0ExtensionType | Cr0Paging;
            s.Cr3 = cr3;
            s.Cr4 = Cr4Pae;
            s.Efer = EferLongModeEnable | EferLongModeActive;
            s.Cs = SegmentState.Make(LinuxBootGdt.CodeSelector, 0xFFFFFFFF, SegmentAttributes.FlatCode64);
            SegmentState data = SegmentState.Make(LinuxBootGdt.DataSelector, 0xFFFFFFFF, SegmentAttributes.FlatData32);
            s.Ds = data;
            s.Es = data;
            s.Fs = data;
            s.Gs = data;
            s.Ss = data;
            s.Tr = SegmentState.Make(0, 0x67, SegmentAttributes.BusyTss64);
            s.Ldtr.Unusable = true;
            s.GdtrBase = gdtBase;
            s.GdtrLimit = gdtLimit;
            return s;
        }
    }
}
