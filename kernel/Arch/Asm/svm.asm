; The SVM world switch (AMD APM Vol. 2 §15.5 VMRUN, §15.5.2 VMSAVE/VMLOAD, §15.17 GIF,
; §15.21.1 V_INTR_MASKING). Windows x64 ABI: rcx, rdx, r8, r9; RBX, RBP, RDI, RSI, R12-R15 and
; XMM6-15 (and the MXCSR/x87 control words) are callee-saved.
;
; void hv_svm_run(ulong guestVmcb, ulong* gprs, ulong hostVmcb, byte* guestFx)
;   guestVmcb  host-physical (= virtual, identity map) address of the guest's VMCB
;   gprs       16 slots in x86 encoding order (RAX=0 ... R15=15); RAX and RSP live in the VMCB
;   hostVmcb   this CPU's page for the host's VMSAVE state
;   guestFx    the guest's 512-byte FXSAVE area (16-byte aligned)
;
; Protocol with the caller: interrupts are off (IF=0) on entry and on return.
;  - CLGI first: with GIF=0 no interrupt, NMI or SMI is taken, so nothing runs on the host with
;    guest FS/GS/TR/KernelGsBase loaded (our GS base is the per-CPU block) or with guest x87 state.
;  - VMSAVE the host's FS/GS/TR/LDTR/KernelGsBase/STAR/LSTAR/CSTAR/SFMASK/SYSENTER_*, VMLOAD the
;    guest's (VMRUN itself does not switch them), and the reverse after #VMEXIT.
;  - STI before VMRUN: GIF=0 still holds interrupts pending, but VMRUN saves the host's RFLAGS.IF=1
;    and, with V_INTR_MASKING=1, the host's IF is what lets a physical interrupt end guest mode
;    (INTR/NMI intercepts). With IF=0 at VMRUN the guest could never be preempted.
;  - #VMEXIT leaves GIF=0; CLI then STGI: the interrupt that ended the guest stays pending until
;    the caller's sti, where the host IDT takes it as usual. A pending NMI is taken at STGI.
;  - x87/SSE: FXSAVE/FXRSTOR swap the host's state (incl. XMM6-15, MXCSR) and the guest's. The
;    host is built without AVX (x86-64-v2) so the upper YMM halves are never the host's; XCR0 is
;    not switched (the guest's XCR0 is virtual, see SvmVcpu).
bits 64
default rel
section .text

%define FRAME_FX      0          ; host FXSAVE area (512 bytes, 16-byte aligned)
%define FRAME_GPRS    512        ; saved arguments
%define FRAME_HOST    520
%define FRAME_GFX     528
%define FRAME_RBP     536        ; the host's RBP: the guest's RBP is live after VMRUN
%define FRAME_SIZE    544

global hv_svm_run
hv_svm_run:
    push rbp
    mov rbp, rsp
    push rbx
    push rdi
    push rsi
    push r12
    push r13
    push r14
    push r15
    sub rsp, FRAME_SIZE
    and rsp, -16
    mov [rsp + FRAME_GPRS], rdx
    mov [rsp + FRAME_HOST], r8
    mov [rsp + FRAME_GFX], r9
    mov [rsp + FRAME_RBP], rbp

    clgi
    fxsave64 [rsp + FRAME_FX]
    fxrstor64 [r9]
    mov rax, r8
    vmsave                          ; host FS/GS/TR/LDTR/KernelGsBase/... -> host VMCB
    mov rax, rcx
    vmload                          ; guest's from its VMCB
    sti                             ; see above: pending until VMRUN, then they exit the guest

    mov rbx, [rdx + 3*8]
    mov rcx, [rdx + 1*8]
    mov rbp, [rdx + 5*8]
    mov rsi, [rdx + 6*8]
    mov rdi, [rdx + 7*8]
    mov r8,  [rdx + 8*8]
    mov r9,  [rdx + 9*8]
    mov r10, [rdx + 10*8]
    mov r11, [rdx + 11*8]
    mov r12, [rdx + 12*8]
    mov r13, [rdx + 13*8]
    mov r14, [rdx + 14*8]
    mov r15, [rdx + 15*8]
    mov rdx, [rdx + 2*8]
    vmrun                           ; rax = guest VMCB
    ; #VMEXIT: host RSP, RIP and RAX (= guest VMCB) are back, GIF = 0.
    push rdx
    mov rdx, [rsp + 8 + FRAME_GPRS]
    mov [rdx + 1*8], rcx
    mov [rdx + 3*8], rbx
    mov [rdx + 5*8], rbp
    mov [rdx + 6*8], rsi
    mov [rdx + 7*8], rdi
    mov [rdx + 8*8], r8
    mov [rdx + 9*8], r9
    mov [rdx + 10*8], r10
    mov [rdx + 11*8], r11
    mov [rdx + 12*8], r12
    mov [rdx + 13*8], r13
    mov [rdx + 14*8], r14
    mov [rdx + 15*8], r15
    pop qword [rdx + 2*8]

    vmsave                          ; guest FS/GS/TR/... -> guest VMCB (rax = guest VMCB)
    mov rax, [rsp + FRAME_HOST]
    vmload                          ; host's back: GS base = this CPU's block again
    mov r9, [rsp + FRAME_GFX]
    fxsave64 [r9]
    fxrstor64 [rsp + FRAME_FX]
    cli
    stgi

    mov rbp, [rsp + FRAME_RBP]
    lea rsp, [rbp - 7*8]
    pop r15
    pop r14
    pop r13
    pop r12
    pop rsi
    pop rdi
    pop rbx
    pop rbp
    ret
