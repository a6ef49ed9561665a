using System.Runtime.InteropServices;

namespace Hv.Virt.Vmx
{
    /// <summary>
    /// Per-vCPU save area of the world switch (kernel/Arch/Asm/vmx.asm: the offsets there must match
    /// these; VmxGuestRegistersTests asserts them). The VMCS holds RSP, RIP and RFLAGS; everything
    /// else the guest can see in a register and the VMCS does not switch is here: the other GPRs,
    /// CR2, and the x87/SSE state (FXSAVE format; the host's callee-saved XMM6-15, MXCSR and x87
    /// control word are kept in HostFx across Run). Also what every exit needs from the VMCS, which
    /// the world switch reads right after the exit (exit reason, instruction length, RIP,
    /// interruptibility), and the RIP it writes back before the next entry.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = Size)]
    public unsafe struct VmxGuestRegisters
    {
        public const int Size = 0x500;
        public const int Cr2Offset = 0x80, HostRspOffset = 0x88, GuestFxOffset = 0x100, HostFxOffset = 0x300;
        public const int ExitReasonOffset = 0x90, ExitInstructionLengthOffset = 0x98, RipOffset = 0xA0,
            InterruptibilityOffset = 0xA8, DirtyOffset = 0xB0;
        /// <summary><see cref="Dirty"/> bit: <see cref="Rip"/> goes to the VMCS before the next entry.</summary>
        public const ulong RipDirty = 1;

        /// <summary>RAX..R15 in <see cref="GuestRegister"/> order; slot 4 (RSP) is unused.</summary>
        [FieldOffset(0)] public fixed ulong Gpr[16];
        [FieldOffset(Cr2Offset)] public ulong Cr2;
        /// <summary>The HOST_RSP value last written, so Run writes the field only when it changes.</summary>
        [FieldOffset(HostRspOffset)] public ulong HostRsp;
        /// <summary>
        /// VMCS exit reason and VM-exit instruction length, VMREAD by the world switch at each VM exit
        /// (8-byte slots: VMREAD to memory stores 64 bits), so that decoding does not call out for them.
        /// Exit-information fields are read-only and change only at VM exits: the copies are exact until
        /// the next exit. Meaningless after a failed VMLAUNCH/VMRESUME (no exit).
        /// </summary>
        [FieldOffset(ExitReasonOffset)] public ulong ExitReason;
        [FieldOffset(ExitInstructionLengthOffset)] public ulong ExitInstructionLength;
        /// <summary>
        /// Guest RIP and interruptibility state, VMREAD by the world switch at each VM exit: the cache
        /// VmxVcpuState reads instead of the VMCS while it knows them to be current (from an exit until
        /// something writes the VMCS fields behind it). RIP writes stay here with <see cref="RipDirty"/>
        /// set in <see cref="Dirty"/>, and the world switch VMWRITEs RIP before the next entry and clears
        /// Dirty; interruptibility writes go to the VMCS at once and here too.
        /// </summary>
        [FieldOffset(RipOffset)] public ulong Rip;
        [FieldOffset(InterruptibilityOffset)] public ulong Interruptibility;
        [FieldOffset(DirtyOffset)] public ulong Dirty;
        [FieldOffset(GuestFxOffset)] public fixed byte GuestFx[512];
        [FieldOffset(HostFxOffset)] public fixed byte HostFx[512];

        /// <summary>
        /// x87/SSE state after RESET (SDM Vol. 3A table of states after power-up/reset/INIT): FCW
        /// 0040H, all tags empty, MXCSR 1F80H (FXSAVE layout: FCW at 0, MXCSR at 24).
        /// </summary>
        public static void InitializeFpu(VmxGuestRegisters* r)
        {
            for (int i = 0; i < 512; i++) r->GuestFx[i] = 0;
            *(ushort*)&r->GuestFx[0] = 0x0040;
            *(uint*)&r->GuestFx[24] = 0x1F80;
        }
    }
}
