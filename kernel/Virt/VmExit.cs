// One VM exit in vendor-neutral form (architecture.md: "decode exits at the edge"). The VMX and
// SVM backends fill it from the VMCS / VMCB; everything above them (Vcpu run loop, handlers,
// devices) sees only this.
namespace Hv.Virt
{
    public enum VmExitKind : byte
    {
        None = 0,
        Cpuid,
        Hlt,
        IoIn,               // port, size (1/2/4); string/rep forms set IsString/Rep and the address fields
        IoOut,
        MmioAccess,         // guest-physical access with no RAM behind it (EPT violation / NPF on MMIO)
        MemoryFault,        // EPT violation / NPF inside RAM that the hypervisor must see (not MMIO)
        EptMisconfig,       // VMX only: our EPT is wrong (a hypervisor bug): stop the VM
        MsrRead,            // ECX = MSR
        MsrWrite,           // ECX = MSR, EDX:EAX = value
        CrAccess,           // control-register move the backend could not handle itself
        Exception,          // intercepted guest exception (Vector, ErrorCode)
        Nmi,                // an NMI arrived while the guest ran (host NMI)
        ExternalInterrupt,  // a host interrupt arrived while the guest ran
        InterruptWindow,    // the guest can now take an interrupt we want to inject
        TripleFault,        // VMX triple fault / SVM shutdown: the VM stops
        Init,               // INIT signal (AP start-up via the virtual LAPIC)
        Sipi,               // start-up IPI: Vector = start page
        Hypercall,          // VMCALL / VMMCALL
        Xsetbv,
        PreemptionTimer,    // VMX preemption timer / scheduler tick: go back to the scheduler
        Invalid,            // VM entry failed: EntryFailureReason and Detail say why
        Unknown,            // an exit reason this build does not handle: RawReason
    }

    /// <summary>Direction and width of a guest access.</summary>
    public enum AccessKind : byte { Read, Write, Execute }

    /// <summary>
    /// Segment registers in the encoding of the VMX instruction-information field (SDM Vol. 3C
    /// §28.2.5, Table 28-8/28-9) and of the SVM IOIO EXITINFO1 SEG field (APM Vol. 2 §15.10.2).
    /// </summary>
    public enum SegmentRegister : byte { Es = 0, Cs = 1, Ss = 2, Ds = 3, Fs = 4, Gs = 5 }

    public struct VmExit
    {
        public VmExitKind Kind;
        public ulong GuestRip;          // RIP of the exiting instruction
        public byte InstructionLength;  // 0 when the backend could not tell (decode it then)

        // Port I/O
        public ushort Port;
        public byte Size;               // 1, 2 or 4
        public bool IsString;           // INS/OUTS
        public bool Rep;                // REP prefix
        public ulong IoValue;           // OUT: value written (from RAX); IN: filled by the handler
        public byte AddressSize;        // string I/O: address size in bytes (2, 4, 8) for RSI/RDI/RCX
        public SegmentRegister Segment; // string I/O: segment of the memory operand (OUTS: DS or override; INS: ES)

        // MMIO (MmioAccess): the backend fills GuestPhysical, Access and (when the CPU reports it)
        // GuestLinear, nothing else; the core emulates the instruction at CS:RIP (kernel/Virt/Mmio) and
        // sets InstructionLength to the decoded length.

        // Memory (MMIO / faults)
        public ulong GuestPhysical;
        public ulong GuestLinear;       // when known
        public AccessKind Access;

        // Exceptions, SIPI
        public byte Vector;
        public uint ErrorCode;
        public bool HasErrorCode;

        // CR access (what the backend does not finish itself, e.g. CR8): Access = Write for MOV to CR
        // (IoValue = the value written), Read for MOV from CR (the handler writes the value to Gpr).
        public byte ControlRegister;
        public GuestRegister Gpr;       // the general-register operand of MOV to/from CRn

        // MSR
        public uint Msr;

        // Entry failure / unknown
        public uint RawReason;
        public ulong Qualification;
        public string EntryFailureReason; // set only on Invalid (rare path: may allocate)
    }
}
