; x86-64 primitives for C# (called through DllImport("hvasm") + --directpinvoke: plain calls).
; Windows x64 ABI: rcx, rdx, r8, r9; return in rax.
bits 64
default rel
section .text

global hv_outb, hv_inb, hv_outw, hv_inw, hv_outd, hv_ind
hv_outb:
    mov eax, edx
    mov edx, ecx
    out dx, al
    ret
hv_inb:
    mov edx, ecx
    xor eax, eax
    in al, dx
    ret
hv_outw:
    mov eax, edx
    mov edx, ecx
    out dx, ax
    ret
hv_inw:
    mov edx, ecx
    xor eax, eax
    in ax, dx
    ret
hv_outd:
    mov eax, edx
    mov edx, ecx
    out dx, eax
    ret
hv_ind:
    mov edx, ecx
    in eax, dx
    ret

global hv_cli, hv_sti, hv_hlt, hv_pause, hv_halt_forever
hv_cli:
    cli
    ret
hv_sti:
    sti
    ret
hv_hlt:
    hlt
    ret
hv_pause:
    pause
    ret
hv_halt_forever:
    cli
.l: hlt
    jmp .l

; void hv_cpuid(uint leaf, uint subleaf, uint* out4)
global hv_cpuid
hv_cpuid:
    push rbx
    mov eax, ecx
    mov ecx, edx
    cpuid
    mov [r8], eax
    mov [r8 + 4], ebx
    mov [r8 + 8], ecx
    mov [r8 + 12], edx
    pop rbx
    ret

; ulong hv_rdmsr(uint msr)
global hv_rdmsr
hv_rdmsr:
    rdmsr
    shl rdx, 32
    or rax, rdx
    ret

; void hv_wrmsr(uint msr, ulong value)
global hv_wrmsr
hv_wrmsr:
    mov rax, rdx
    shr rdx, 32
    wrmsr
    ret

; ulong hv_rdtsc()
global hv_rdtsc
hv_rdtsc:
    rdtsc
    shl rdx, 32
    or rax, rdx
    ret

global hv_read_cr0, hv_read_cr2, hv_read_cr3, hv_read_cr4, hv_write_cr0, hv_write_cr3, hv_write_cr4
hv_read_cr0:
    mov rax, cr0
    ret
hv_read_cr2:
    mov rax, cr2
    ret
hv_read_cr3:
    mov rax, cr3
    ret
hv_read_cr4:
    mov rax, cr4
    ret
hv_write_cr0:
    mov cr0, rcx
    ret
hv_write_cr3:
    mov cr3, rcx
    ret
hv_write_cr4:
    mov cr4, rcx
    ret

global hv_read_rflags
hv_read_rflags:
    pushfq
    pop rax
    ret

; void hv_lidt(void* descriptor10)
global hv_lidt
hv_lidt:
    lidt [rcx]
    ret

; void hv_load_gdt(void* descriptor10, ushort codeSel, ushort dataSel, ushort tssSel)
; Loads the GDT, reloads CS with a far return, the data segments, and the task register.
global hv_load_gdt
hv_load_gdt:
    lgdt [rcx]
    mov ax, r8w
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax
    ltr r9w
    movzx rdx, dx
    lea rax, [.reloaded]
    push rdx
    push rax
    retfq
.reloaded:
    ret

; void hv_switch_stack(void* newTop, void (*fn)(void*), void* arg): never returns.
global hv_switch_stack
hv_switch_stack:
    mov rsp, rcx
    and rsp, -16
    mov rcx, r8
    sub rsp, 32
    xor ebp, ebp
    call rdx
.hang:
    cli
    hlt
    jmp .hang

; Debug exit for emulators: QEMU isa-debug-exit (port 0xf4, exits with 2N+1) and Bochs
; (the string "Shutdown" written to port 0x8900). Harmless where nothing listens.
global hv_debug_exit
hv_debug_exit:
    mov eax, ecx
    mov dx, 0xf4
    out dx, eax
    mov dx, 0x8900
    mov al, 'S'
    out dx, al
    mov al, 'h'
    out dx, al
    mov al, 'u'
    out dx, al
    mov al, 't'
    out dx, al
    mov al, 'd'
    out dx, al
    mov al, 'o'
    out dx, al
    mov al, 'w'
    out dx, al
    mov al, 'n'
    out dx, al
    ret

global hv_invlpg
hv_invlpg:
    invlpg [rcx]
    ret
