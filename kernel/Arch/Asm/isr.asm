; Interrupt and exception entry stubs for all 256 vectors (SDM Vol. 3 §6.12-6.15). Each pushes an
; error code (0 when the CPU does not push one) and its vector, then the common path saves the general registers in
; GprFrame order and calls the C# handler with a pointer to the whole ExceptionFrame.
bits 64
default rel
extern HvInterruptHandler

section .text

%macro ISR_NOERR 1
isr%1:
    push 0
    push %1
    jmp isr_common
%endmacro
%macro ISR_ERR 1
isr%1:
    push %1
    jmp isr_common
%endmacro

%assign v 0
%rep 256
  %if v == 8 || v == 10 || v == 11 || v == 12 || v == 13 || v == 14 || v == 17 || v == 21 || v == 29 || v == 30
    ISR_ERR v
  %else
    ISR_NOERR v
  %endif
  %assign v v+1
%endrep

isr_common:
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rdi
    push rbp
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
    mov rcx, rsp                 ; ExceptionFrame*
    mov rbx, rsp
    and rsp, -16
    sub rsp, 32
    cld
    call HvInterruptHandler
    mov rsp, rbx
    pop r15
    pop r14
    pop r13
    pop r12
    pop r11
    pop r10
    pop r9
    pop r8
    pop rbp
    pop rdi
    pop rsi
    pop rdx
    pop rcx
    pop rbx
    pop rax
    add rsp, 16                  ; vector, error code
    iretq

section .rdata
align 8
isr_table:
%assign v 0
%rep 256
    dq isr %+ v
  %assign v v+1
%endrep

section .text
global hv_isr_table
hv_isr_table:
    lea rax, [isr_table]
    ret
