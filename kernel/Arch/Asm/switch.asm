; Kernel thread switching (kernel/Sched/README.md, "Implementing ISchedPlatform"). win-x64 ABI:
; the callee-saved state is RBX, RBP, RDI, RSI, R12-R15, XMM6-XMM15 and RSP.
bits 64
default rel
extern HvThreadStart
section .text

; void hv_switch_stacks(ulong* saveSp /*rcx*/, ulong newSp /*rdx*/)
global hv_switch_stacks
hv_switch_stacks:
    push rbx
    push rbp
    push rdi
    push rsi
    push r12
    push r13
    push r14
    push r15
    sub rsp, 168                 ; 16-aligned: XMM6-15 at [rsp+0..144]
    movdqa [rsp + 0], xmm6
    movdqa [rsp + 16], xmm7
    movdqa [rsp + 32], xmm8
    movdqa [rsp + 48], xmm9
    movdqa [rsp + 64], xmm10
    movdqa [rsp + 80], xmm11
    movdqa [rsp + 96], xmm12
    movdqa [rsp + 112], xmm13
    movdqa [rsp + 128], xmm14
    movdqa [rsp + 144], xmm15
    mov [rcx], rsp
    mov rsp, rdx
    movdqa xmm6, [rsp + 0]
    movdqa xmm7, [rsp + 16]
    movdqa xmm8, [rsp + 32]
    movdqa xmm9, [rsp + 48]
    movdqa xmm10, [rsp + 64]
    movdqa xmm11, [rsp + 80]
    movdqa xmm12, [rsp + 96]
    movdqa xmm13, [rsp + 112]
    movdqa xmm14, [rsp + 128]
    movdqa xmm15, [rsp + 144]
    add rsp, 168
    pop r15
    pop r14
    pop r13
    pop r12
    pop rsi
    pop rdi
    pop rbp
    pop rbx
    ret

; First code of a new thread: the frame InitContext built "returns" here (RSP 16-aligned).
global hv_thread_trampoline
hv_thread_trampoline:
    sub rsp, 32
    call HvThreadStart           ; Scheduler.RunNewThread: never returns
    ud2

global hv_thread_trampoline_address
hv_thread_trampoline_address:
    lea rax, [hv_thread_trampoline]
    ret

; sti; hlt back to back: the STI shadow closes the window between the check and the halt.
global hv_idle
hv_idle:
    sti
    hlt
    ret

; bool hv_disable_interrupts(): returns the previous IF
global hv_disable_interrupts
hv_disable_interrupts:
    pushfq
    pop rax
    cli
    shr rax, 9
    and eax, 1
    ret
