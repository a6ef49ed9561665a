; VMX instructions and the world switch for kernel/Arch/Vmx (SDM Vol. 3C ch. 31 "VMX Instruction
; Reference"). Windows x64 ABI: arguments rcx, rdx, r8, r9; result rax; callee-saved rbx, rbp,
; rdi, rsi, r12-r15, xmm6-15 (and MXCSR / x87 control word).
bits 64
default rel
section .text

; VMX instructions report through RFLAGS (SDM "Conventions"): VMsucceed clears CF and ZF,
; VMfailInvalid sets CF, VMfailValid sets ZF. Returns 0, 1 or 2 (VmxResult in kernel/Arch/Vmx/VmxNative.cs).
%macro VMX_RESULT 0
    jc %%invalid
    jz %%valid
    xor eax, eax
    ret
%%invalid:
    mov eax, 1
    ret
%%valid:
    mov eax, 2
    ret
%endmacro

global hv_vmxon, hv_vmxoff, hv_vmcs_clear, hv_vmcs_make_current, hv_vmcs_load_on, hv_vmcs_read, hv_vmcs_write
global hv_invept, hv_invvpid

; This CPU's current VMCS as VMPTRLD / VMCLEAR here last left it (0: none), in the per-CPU block
; (kernel/Arch/Smp/PerCpu.cs, PerCpuBlock.CurrentVmcs; GS base = the block). Every VMPTRLD and
; VMCLEAR goes through the functions below, so the slot is always the CPU's current-VMCS pointer,
; and the accessors compare it with the VMCS they are told to use before each VMREAD/VMWRITE:
; an access never reaches another vCPU's VMCS, and costs one compare when nothing changed.
%define PERCPU_INDEX 8
%define PERCPU_CURRENT_VMCS 16

; int hv_vmxon(ulong vmxonRegionPhysical): the operand is a memory qword holding the address.
; After VMXON no VMCS is current (SDM Vol. 3C "VMXON": current-VMCS pointer invalid).
hv_vmxon:
    push rcx
    vmxon [rsp]
    pop rcx                     ; POP leaves RFLAGS alone
    jbe .failed                 ; CF (VMfailInvalid) or ZF (VMfailValid)
    mov qword gs:[PERCPU_CURRENT_VMCS], 0
.failed:
    VMX_RESULT

hv_vmxoff:
    vmxoff
    VMX_RESULT

; int hv_vmcs_clear(ulong vmcsPhysical): VMCLEAR. If that VMCS was current it no longer is
; (SDM Vol. 3C "VMCLEAR": the current-VMCS pointer is made invalid).
hv_vmcs_clear:
    push rcx
    vmclear [rsp]
    pop rcx
    jbe .failed
    cmp rcx, gs:[PERCPU_CURRENT_VMCS]
    jne .done
    mov qword gs:[PERCPU_CURRENT_VMCS], 0
.done:
    xor eax, eax
    ret
.failed:
    VMX_RESULT

; int hv_vmcs_make_current(ulong vmcsPhysical): VMPTRLD unless it is this CPU's current VMCS
; already. A failed VMPTRLD leaves the current-VMCS pointer as it was (its checks come first,
; SDM Vol. 3C "VMPTRLD"), so the slot stays right. Clobbers rax only.
hv_vmcs_make_current:
    cmp rcx, gs:[PERCPU_CURRENT_VMCS]
    jne .load
    xor eax, eax
    ret
.load:
    push rcx
    vmptrld [rsp]
    pop rcx
    jbe .failed
    mov gs:[PERCPU_CURRENT_VMCS], rcx
    xor eax, eax
    ret
.failed:
    VMX_RESULT

; int hv_vmcs_load_on(ulong vmcsPhysical, int cpu): hv_vmcs_make_current, if this is CPU number cpu
; (the per-CPU block's index); else 3 and nothing done (a VMCS stays on the CPU it was launched on).
hv_vmcs_load_on:
    cmp edx, gs:[PERCPU_INDEX]
    je hv_vmcs_make_current
    mov eax, 3
    ret

; ulong hv_vmcs_read(ulong field, ulong vmcsPhysical): VMREAD of the field from that VMCS, made
; current first if it is not; 0 if VMREAD fails or the VMCS cannot be made current.
hv_vmcs_read:
    cmp rdx, gs:[PERCPU_CURRENT_VMCS]
    jne .load
.read:
    xor eax, eax
    vmread rax, rcx
    ret
.load:
    push rcx
    mov rcx, rdx
    call hv_vmcs_make_current
    pop rcx
    test eax, eax
    jz .read
    xor eax, eax
    ret

; int hv_vmcs_write(ulong field, ulong value, ulong vmcsPhysical): VMWRITE to that VMCS, made
; current first if it is not (a VMPTRLD failure is returned as is, nothing written).
hv_vmcs_write:
    cmp r8, gs:[PERCPU_CURRENT_VMCS]
    jne .load
.write:
    vmwrite rcx, rdx
    VMX_RESULT
.load:
    push rcx
    mov rcx, r8
    call hv_vmcs_make_current
    pop rcx
    test eax, eax
    jz .write
    ret

; int hv_invept(ulong type, void* descriptor16) / hv_invvpid(ulong type, void* descriptor16)
hv_invept:
    invept rcx, [rdx]
    VMX_RESULT

hv_invvpid:
    invvpid rcx, [rdx]
    VMX_RESULT

; Host state the VMCS needs and C# cannot read.
global hv_sgdt, hv_sidt, hv_str, hv_read_segments, hv_vmx_exit_address, hv_vmx_raise_nmi
hv_sgdt:
    sgdt [rcx]
    ret
hv_sidt:
    sidt [rcx]
    ret
hv_str:
    xor eax, eax
    str ax
    ret
; void hv_read_segments(ushort* six): CS, SS, DS, ES, FS, GS
hv_read_segments:
    mov word [rcx], cs
    mov word [rcx + 2], ss
    mov word [rcx + 4], ds
    mov word [rcx + 6], es
    mov word [rcx + 8], fs
    mov word [rcx + 10], gs
    ret
hv_vmx_exit_address:
    lea rax, [hv_vmx_exit]
    ret
; An NMI that caused a VM exit is not delivered to the host (SDM "Delivery of NMIs ... VM exits");
; hand it to the host's NMI handler through its IDT gate.
hv_vmx_raise_nmi:
    int 2
    ret

; Save area offsets: kernel/Virt/Vmx/VmxGuestRegisters.cs (GPRs in x86 encoding order).
%define G_RAX 0x00
%define G_RCX 0x08
%define G_RDX 0x10
%define G_RBX 0x18
%define G_RBP 0x28
%define G_RSI 0x30
%define G_RDI 0x38
%define G_R8  0x40
%define G_R9  0x48
%define G_R10 0x50
%define G_R11 0x58
%define G_R12 0x60
%define G_R13 0x68
%define G_R14 0x70
%define G_R15 0x78
%define G_CR2 0x80
%define G_HOSTRSP 0x88
%define G_EXIT_REASON 0x90
%define G_EXIT_LENGTH 0x98
%define G_RIP 0xA0
%define G_INTERRUPTIBILITY 0xA8
%define G_DIRTY 0xB0
%define DIRTY_RIP 1
%define G_GUESTFX 0x100
%define G_HOSTFX 0x300
%define VMCS_HOST_RSP 0x6C14
%define VMCS_EXIT_REASON 0x4402
%define VMCS_EXIT_INSTRUCTION_LENGTH 0x440C
%define VMCS_GUEST_RIP 0x681E
%define VMCS_GUEST_INTERRUPTIBILITY 0x4824

; int hv_vmx_run(VmxGuestRegisters* regs, int launched, ulong vmcsPhysical, int cpu)
; Enters the guest of vmcs (VMLAUNCH when launched == 0, else VMRESUME) and returns at its next VM
; exit: 0, with the guest's GPRs, CR2 and x87/SSE state, and the exit reason, instruction length,
; RIP and interruptibility saved in regs. Before entering it writes back regs' RIP if it is dirty
; (VmxGuestRegisters.Dirty). A failed VMLAUNCH/VMRESUME returns 1 (VMfailInvalid) or 2
; (VMfailValid). It enters only on CPU number cpu (else 3: the VMCS is active on that CPU) and
; only vmcs, made current here if it is not, as hv_vmcs_read does (4 if VMPTRLD fails).
; Call with interrupts disabled.
global hv_vmx_run, hv_vmx_exit
hv_vmx_run:
    cmp r9d, gs:[PERCPU_INDEX]
    jne .not_on_cpu
    cmp r8, gs:[PERCPU_CURRENT_VMCS]
    jne .load_vmcs
.vmcs_current:
    push rbx
    push rbp
    push rdi
    push rsi
    push r12
    push r13
    push r14
    push r15
    fxsave64 [rcx + G_HOSTFX]       ; host XMM0-15, MXCSR, x87 (covers the callee-saved XMM6-15)
    fxrstor64 [rcx + G_GUESTFX]
    push rcx                        ; [HOST_RSP] = regs on exit
    mov rax, [rcx + G_CR2]
    mov rbx, cr2
    cmp rax, rbx
    je .cr2_loaded
    mov cr2, rax
.cr2_loaded:
    cmp rsp, [rcx + G_HOSTRSP]
    je .host_rsp_current
    mov [rcx + G_HOSTRSP], rsp
    mov eax, VMCS_HOST_RSP
    vmwrite rax, rsp
.host_rsp_current:
    test byte [rcx + G_DIRTY], DIRTY_RIP
    jz .rip_current
    mov eax, VMCS_GUEST_RIP         ; a RIP the exit handling moved (VmxGuestRegisters.Rip)
    vmwrite rax, [rcx + G_RIP]
    mov qword [rcx + G_DIRTY], 0
.rip_current:
    test edx, edx                   ; ZF = not launched; the MOVs below keep RFLAGS
    mov rax, [rcx + G_RAX]
    mov rdx, [rcx + G_RDX]
    mov rbx, [rcx + G_RBX]
    mov rbp, [rcx + G_RBP]
    mov rsi, [rcx + G_RSI]
    mov rdi, [rcx + G_RDI]
    mov r8,  [rcx + G_R8]
    mov r9,  [rcx + G_R9]
    mov r10, [rcx + G_R10]
    mov r11, [rcx + G_R11]
    mov r12, [rcx + G_R12]
    mov r13, [rcx + G_R13]
    mov r14, [rcx + G_R14]
    mov r15, [rcx + G_R15]
    mov rcx, [rcx + G_RCX]
    jnz .resume
    vmlaunch
    jmp .failed
.resume:
    vmresume
.failed:                            ; still on our stack; the GPRs hold guest values
    mov eax, 2
    jnc .failed_code
    mov eax, 1
.failed_code:
    pop rcx
    jmp vmx_back_to_host

.not_on_cpu:
    mov eax, 3
    ret
.load_vmcs:
    push rcx
    mov rcx, r8
    call hv_vmcs_make_current       ; clobbers rax only (edx = launched survives)
    pop rcx
    test eax, eax
    jz .vmcs_current
    mov eax, 4
    ret

; HOST_RIP. RSP = HOST_RSP (the regs pointer on top), RFLAGS = 2 (interrupts off).
hv_vmx_exit:
    push rcx
    mov rcx, [rsp + 8]
    mov [rcx + G_RAX], rax
    mov [rcx + G_RDX], rdx
    mov [rcx + G_RBX], rbx
    mov [rcx + G_RBP], rbp
    mov [rcx + G_RSI], rsi
    mov [rcx + G_RDI], rdi
    mov [rcx + G_R8],  r8
    mov [rcx + G_R9],  r9
    mov [rcx + G_R10], r10
    mov [rcx + G_R11], r11
    mov [rcx + G_R12], r12
    mov [rcx + G_R13], r13
    mov [rcx + G_R14], r14
    mov [rcx + G_R15], r15
    pop rax
    mov [rcx + G_RCX], rax
    mov rax, cr2
    mov [rcx + G_CR2], rax
    ; What every exit needs (VmxGuestRegisters.ExitReason, .Rip): the VMCS that just exited is the
    ; current one. Dirty is 0 here: the entry wrote RIP back.
    mov eax, VMCS_EXIT_REASON
    vmread [rcx + G_EXIT_REASON], rax
    mov eax, VMCS_EXIT_INSTRUCTION_LENGTH
    vmread [rcx + G_EXIT_LENGTH], rax
    mov eax, VMCS_GUEST_RIP
    vmread [rcx + G_RIP], rax
    mov eax, VMCS_GUEST_INTERRUPTIBILITY
    vmread [rcx + G_INTERRUPTIBILITY], rax
    add rsp, 8                      ; the regs pointer
    xor eax, eax
vmx_back_to_host:                   ; eax = result, rcx = regs
    fxsave64 [rcx + G_GUESTFX]
    fxrstor64 [rcx + G_HOSTFX]
    pop r15
    pop r14
    pop r13
    pop r12
    pop rsi
    pop rdi
    pop rbp
    pop rbx
    ret
