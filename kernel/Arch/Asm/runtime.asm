; Runtime symbols that ilc-generated code references and C# cannot express (toolchain.md).
; Windows x64 calling convention: args in rcx, rdx, r8, r9; rax return; 32-byte shadow space.
bits 64
default rel

extern HvPanicFromThrow
extern HvResolveInterfaceCall

; ---- module headers: ilc puts a pointer to its ReadyToRun header in .modules$I; the linker
; orders grouped sections by the text after '$', so these two bracket every module's entry.
section .modules$A rdata align=8
__modules_a: dq 0
section .modules$Z rdata align=8
__modules_z: dq 0

section .data
global RhpTrapThreads
RhpTrapThreads: dd 0, 0          ; never set: no GC suspension
global __security_cookie
__security_cookie: dq 0x2B992DDFA232

section .bss
alignb 4096
early_heap: resb 8*1024*1024     ; heap used until the kernel adds UEFI memory (KernelHeap)
early_heap_end:

section .text

global hv_modules_start
hv_modules_start:
    lea rax, [__modules_a + 8]
    ret
global hv_modules_end
hv_modules_end:
    lea rax, [__modules_z]
    ret

; byte* hv_early_heap(out nuint size)
global hv_early_heap
hv_early_heap:
    mov qword [rcx], early_heap_end - early_heap
    lea rax, [early_heap]
    ret

; No GC and no thread suspension: transitions and polls do nothing.
global RhpPInvoke, RhpPInvokeReturn, RhpReversePInvoke, RhpReversePInvokeReturn, RhpGcPoll
RhpPInvoke:
RhpPInvokeReturn:
RhpReversePInvoke:
RhpReversePInvokeReturn:
RhpGcPoll:
    ret

; Stacks are fully committed memory; guard pages fault on touch without probing.
global RhpStackProbe
RhpStackProbe:
    ret

; Write barriers: no GC, so a plain store.
global RhpAssignRef, RhpCheckedAssignRef
RhpAssignRef:
RhpCheckedAssignRef:
    mov [rcx], rdx
    ret

; JIT helper contract: copy [rsi] to [rdi], advance both by 8.
global RhpByRefAssignRef
RhpByRefAssignRef:
    movsq
    ret

global RhpCheckedLockCmpXchg
RhpCheckedLockCmpXchg:          ; (ref object dst, object value, object comparand) -> old
    mov rax, r8
    lock cmpxchg [rcx], rdx
    ret

global RhpCheckedXchg
RhpCheckedXchg:                 ; (ref object dst, object value) -> old
    mov rax, rdx
    xchg [rcx], rax
    ret

; throw: no unwinder, so a throw is a panic with the registers at the throw site.
global RhpThrowEx, RhpRethrow, RhpThrowHwEx
RhpThrowEx:
RhpRethrow:
RhpThrowHwEx:
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
    mov rdx, rsp                 ; GprFrame*
    mov r8, [rsp + 15*8]         ; return address = the throwing call site
    sub rsp, 32
    call HvPanicFromThrow        ; does not return
.hang:
    cli
    hlt
    jmp .hang

; Interface dispatch (kernel/Runtime/Kernel/InterfaceDispatch.cs). r11 = the call site's cell,
; rcx = this. Argument registers are preserved across the resolver call.
%macro SAVE_ARGS 0
    push rcx
    push rdx
    push r8
    push r9
    push r10
    push r11
    sub rsp, 8 + 64 + 32         ; align, xmm0-3, shadow space
    movdqu [rsp + 32], xmm0
    movdqu [rsp + 48], xmm1
    movdqu [rsp + 64], xmm2
    movdqu [rsp + 80], xmm3
%endmacro
%macro RESTORE_ARGS 0
    movdqu xmm0, [rsp + 32]
    movdqu xmm1, [rsp + 48]
    movdqu xmm2, [rsp + 64]
    movdqu xmm3, [rsp + 80]
    add rsp, 8 + 64 + 32
    pop r11
    pop r10
    pop r9
    pop r8
    pop rdx
    pop rcx
%endmacro

global RhpInitialDynamicInterfaceDispatch
RhpInitialDynamicInterfaceDispatch:
    SAVE_ARGS
    mov rdx, r11
    call HvResolveInterfaceCall  ; (object this, cell*) -> target
    RESTORE_ARGS
    jmp rax

; Monomorphic cache: cell[1] points at {type, target, ...}; same receiver type -> jump.
global RhpMonomorphicInterfaceDispatch
RhpMonomorphicInterfaceDispatch:
    mov rax, [r11 + 8]
    mov r10, [rcx]               ; receiver's MethodTable (null receiver faults here, as a call would)
    cmp r10, [rax]
    jne RhpInitialDynamicInterfaceDispatch
    jmp [rax + 8]

global hv_monomorphic_dispatch_stub
hv_monomorphic_dispatch_stub:
    lea rax, [RhpMonomorphicInterfaceDispatch]
    ret
