; Application-processor start-up trampoline (SDM Vol. 3 §8.4.4 "MP Initialization Example";
; §9.8.5 "Initializing IA-32e Mode"). The boot CPU copies [ap_trampoline, ap_trampoline_end) to a
; page below 1 MiB, fills the data block at the fixed offsets below, and sends INIT-SIPI-SIPI with
; that page's number as the vector: the AP starts here in real mode at CS:IP = page:0.
; Real mode -> long mode directly (CR4.PAE, CR3, EFER.LME, then CR0.PE|PG in one write, then a
; far jump to a 64-bit code segment), so CR3 must be below 4 GiB.
bits 16
default rel
section .rdata align=16

global ap_trampoline, ap_trampoline_end
ap_trampoline:
    jmp short .start
    times 8 - ($ - ap_trampoline) db 0
; ---- data block, offsets fixed (kernel/Arch/Smp/Trampoline.cs) ----
.gdt:       dq 0, 0x00AF9A000000FFFF, 0x00CF92000000FFFF   ; +8: null, code64 (0x08), data (0x10)
.gdtr:      dw 23                                          ; +32
            dd 0                                           ; +34: linear address of .gdt (patched)
            dw 0
.farptr:    dd 0                                           ; +40: linear address of .long (patched)
            dw 0x08
            dw 0
.cr3:       dd 0                                           ; +48
.cpu:       dd 0                                           ; +52: index of the CPU being started
.stack:     dq 0                                           ; +56: its stack top
.entry:     dq 0                                           ; +64: HvApMain
.efer:      dd 0                                           ; +72: EFER bits to set (LME, NXE)
.cr4:       dd 0                                           ; +76: the boot CPU's CR4 (PAE, OSFXSR, ...)
.cr0:       dd 0                                           ; +80: the boot CPU's CR0 (PG, PE, WP, NE, MP)
    times 0x60 - ($ - ap_trampoline) db 0
.start:                                                    ; +0x60
    cli
    cld
    mov ax, cs
    mov ds, ax
    o32 lgdt [.gdtr - ap_trampoline]
    mov eax, [.cr4 - ap_trampoline]                        ; includes PAE; OSFXSR so SSE code runs
    mov cr4, eax
    mov eax, [.cr3 - ap_trampoline]
    mov cr3, eax
    mov ecx, 0xC0000080                                    ; IA32_EFER
    rdmsr
    or eax, [.efer - ap_trampoline]
    wrmsr
    mov eax, [.cr0 - ap_trampoline]                        ; PG | PE (and WP, NE, MP; EM clear)
    mov cr0, eax
    o32 jmp far [.farptr - ap_trampoline]
    times 0x100 - ($ - ap_trampoline) db 0x90
bits 64
.long:                                                     ; +0x100, 64-bit code segment
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax
    lea rbx, [rel ap_trampoline]
    mov rsp, [rbx + 56]
    mov ecx, [rbx + 52]
    mov rax, [rbx + 64]
    sub rsp, 32                                            ; shadow space; rsp 16-aligned at the call (win-x64 ABI)
    call rax                                               ; HvApMain(index): does not return
.hang:
    cli
    hlt
    jmp .hang
ap_trampoline_end:

section .text
bits 64
global hv_trampoline_blob
; byte* hv_trampoline_blob(out int size)
hv_trampoline_blob:
    lea rax, [rel ap_trampoline_end]
    lea rdx, [rel ap_trampoline]
    sub rax, rdx
    mov [rcx], eax
    mov rax, rdx
    ret

global hv_read_gs_qword
hv_read_gs_qword:
    mov rax, gs:[rcx]
    ret
