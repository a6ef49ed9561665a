// The narrow seam between the neutral exit handlers and a backend's guest state (VMCS or VMCB
// plus the GPRs the backend saves on exit). Host tests implement it with plain fields.
namespace Hv.Virt
{
    public enum GuestRegister : byte
    {
        Rax, Rcx, Rdx, Rbx, Rsp, Rbp, Rsi, Rdi, R8, R9, R10, R11, R12, R13, R14, R15, // x86 encoding order
        Rip, Rflags, Cr0, Cr2, Cr3, Cr4, Efer, Xcr0,

        // Added with the neutral core (page walker, string I/O, MSR policy). Segment bases are the
        // hidden (descriptor-cache) bases the processor uses, not selector * 16.
        CsBase, SsBase, DsBase, EsBase, FsBase, GsBase,
        // MSR-backed state the VMCS / VMCB (or the backend's MSR save area) holds. MsrPolicy reads and
        // writes these after its checks (canonical form, reserved bits), so Set gets valid values only.
        // The same holds for Efer (Set keeps the current LMA; the backend keeps its "IA-32e mode guest"
        // entry control / VMCB EFER.SVME consistent) and Xcr0 (checked by XsetbvRules).
        KernelGsBase, SysenterCs, SysenterEsp, SysenterEip, Star, Lstar, Cstar, Sfmask, Pat, TscAux,
        /// <summary>Get: the guest's TSC now (host TSC + offset). Set: make it read that value now (adjust the offset).</summary>
        Tsc,
    }

    public enum EventType : byte { ExternalInterrupt = 0, Nmi = 2, HardwareException = 3, SoftwareInterrupt = 4 }

    public interface IVcpuState
    {
        ulong Get(GuestRegister r);
        void Set(GuestRegister r, ulong value);

        /// <summary>RIP += length (and clears the interrupt shadow, as completing an instruction does).</summary>
        void AdvanceRip(int length);

        /// <summary>Queues an event for the next entry. Returns false if one is already pending.</summary>
        bool Inject(EventType type, byte vector, bool hasErrorCode, uint errorCode);

        /// <summary>True when the guest can take an external interrupt now (RFLAGS.IF, no shadow, nothing pending).</summary>
        bool CanInjectInterrupt();

        /// <summary>Ask for an exit as soon as the guest can take an interrupt (interrupt window).</summary>
        void RequestInterruptWindow(bool enable);

        /// <summary>CPL and paging mode, for instruction fetch and string I/O address checks.</summary>
        int Cpl { get; }
        bool LongMode { get; }

        /// <summary>
        /// 16, 32 or 64: how the code at RIP decodes. 64 in 64-bit mode (EFER.LMA and CS.L), otherwise the
        /// code segment's default operand/address size, CS.D (SDM Vol. 3A §3.4.5 "D/B flag"; real and
        /// virtual-8086 mode: 16). For the instruction emulator (kernel/Virt/Mmio).
        /// </summary>
        int CodeBitness { get; }
    }
}
