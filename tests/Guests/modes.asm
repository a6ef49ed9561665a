; modes.asm: every x86 operating mode a guest can be in, one after the other (issue 4: real mode
; under VMX unrestricted guest / SVM, protected mode, long mode with the guest's own paging).
;   modes.multiboot-magic          EAX = 0x2BADB002 at entry
;   modes.multiboot-info           the information structure has mem_* (header flag bit 1 asked)
;   modes.protected-mode-entry     CR0.PE = 1, CR0.PG = 0 at entry (Multiboot §3.2)
;   modes.entry-eflags             EFLAGS.IF = 0, EFLAGS.VM = 0 at entry
;   modes.real-mode-io             printed from real mode
;   modes.real-mode-cr0            CR0.PE = 0 as read in real mode
;   modes.real-mode-segments       real-mode addressing: DS = 0x700, offset 0 reads physical 0x7000
;   modes.back-to-protected-mode   CR0.PE = 1 again, 32-bit code and data reachable
;   modes.long-mode-io             printed from 64-bit mode
;   modes.long-mode-efer           EFER.LME and EFER.LMA set
;   modes.long-mode-cr0            CR0.PG and CR0.PE set
;   modes.long-mode-64bit-ops      a REX.W instruction works on 64 bits
;   modes.long-mode-r8-r15         R8..R15 exist and hold 64 bits
;   modes.long-mode-rip-relative   RIP-relative addressing finds the right address
;   modes.long-mode-push           PUSH moves RSP by 8
;   modes.compatibility-mode       back in 32-bit code with IA-32e mode still active (EFER.LMA)
; Section numbers are those of the Intel SDM Vol. 3A up to the 2022 editions (chapter 9,
; "Processor Management and Initialization"); later editions number the chapter 10.
%include "common.inc"

RM_BASE     equ 0x7000                ; the real-mode part runs here: a 16-bit IP must reach it
%define RM(x) (RM_BASE + ((x) - rm_start))

SEL_CODE32  equ 0x08
SEL_DATA32  equ 0x10
SEL_CODE16  equ 0x18
SEL_DATA16  equ 0x20
SEL_CODE64  equ 0x28

CR0_PE      equ 1 << 0
CR0_PG      equ 1 << 31
CR4_PAE     equ 1 << 5
MSR_EFER    equ 0xC0000080
EFER_LME    equ 1 << 8
EFER_LMA    equ 1 << 10
EFLAGS_IF   equ 1 << 9
EFLAGS_VM   equ 1 << 17
PTE_P       equ 1 << 0
PTE_RW      equ 1 << 1
PDE_PS      equ 1 << 7                ; 2 MiB page

section .rodata
guest_name: db "modes", 0
msg_long_io: db "PASS modes.long-mode-io", 10, 0

; The guest's own GDT (Multiboot §3.2: the loader's GDTR may be invalid, so an OS must load its
; own before it loads any segment register). Accessed bits preset so the CPU never writes here.
align 8
gdt:
    dq 0
    dq 0x00CF9B000000FFFF             ; 0x08 32-bit code: base 0, 4 GiB (G = 1), D = 1, execute/read
    dq 0x00CF93000000FFFF             ; 0x10 32-bit data: base 0, 4 GiB, read/write
    dq 0x00009B000000FFFF             ; 0x18 16-bit code: base 0, limit 0xFFFF, D = 0
    dq 0x000093000000FFFF             ; 0x20 16-bit data: base 0, limit 0xFFFF
    dq 0x00AF9B000000FFFF             ; 0x28 64-bit code: L = 1, D = 0
gdt_end:
gdtr:
    dw gdt_end - gdt - 1
    dd gdt

section .bss
alignb 4096
pml4:       resb 4096
pdpt:       resb 4096
pd:         resb 4096
saved_esp:  resd 1
lm_efer:    resd 1
lm_cr0:     resd 1
lm_upper:   resd 1
lm_regs:    resd 1
lm_riprel:  resd 1
lm_push:    resd 1

section .text
main:
    ; --- 32-bit protected mode, as Multiboot left it ---
    EXPECT_EQ "modes.multiboot-magic", [mb_magic], MB_BOOT_MAGIC
    mov ebx, [mb_info]
    mov eax, [ebx + MBI_FLAGS]
    and eax, MBI_HAS_MEMORY
    EXPECT_EQ "modes.multiboot-info", eax, MBI_HAS_MEMORY
    mov eax, cr0
    and eax, CR0_PE | CR0_PG
    EXPECT_EQ "modes.protected-mode-entry", eax, CR0_PE
    pushfd
    pop eax
    and eax, EFLAGS_IF | EFLAGS_VM
    EXPECT_EQ "modes.entry-eflags", eax, 0

    lgdt [gdtr]
    jmp SEL_CODE32:.own_gdt
.own_gdt:
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax

    ; --- real mode and back ---
    call real_mode_round_trip
    mov eax, [RM(rm_cr0)]
    and eax, CR0_PE
    EXPECT_EQ "modes.real-mode-cr0", eax, 0
    EXPECT_EQ "modes.real-mode-segments", [RM(rm_seg_read)], [RM_BASE]
    mov eax, cr0
    and eax, CR0_PE
    EXPECT_EQ "modes.back-to-protected-mode", eax, CR0_PE

    ; --- long mode (does not return) ---
    jmp enter_long_mode

; ---------------------------------------------------------------------------------------------
; Protected mode -> real mode -> protected mode. The real-mode part is copied below 64 KiB first.
real_mode_round_trip:
    pushad
    cli
    mov [saved_esp], esp
    mov esi, rm_start
    mov edi, RM_BASE
    mov ecx, rm_end - rm_start
    rep movsb
    ; "Switching Back to Real-Address Mode" (§9.9.2): paging is already off; far jump to a
    ; 16-bit code segment with a 64 KiB limit (step 3).
    jmp SEL_CODE16:RM(pm16)

bits 16
rm_start:
pm16:
    mov ax, SEL_DATA16                ; step 4: real-mode-like limits in every data segment
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    lidt [RM(rm_idtr)]                ; step 5: the real-mode interrupt vector table
    mov eax, cr0
    and eax, ~CR0_PE                  ; step 6: clear PE
    mov cr0, eax
    jmp 0:RM(real_mode)               ; step 7: far jump loads a real-mode CS
real_mode:
    xor ax, ax                        ; step 8: real-mode segment values
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov sp, RM_BASE

    mov eax, cr0
    mov [RM(rm_cr0)], eax
    mov ax, RM_BASE >> 4              ; segment * 16 + offset: 0x700:0 is physical 0x7000
    mov ds, ax
    mov eax, [0]
    xor bx, bx
    mov ds, bx
    mov [RM(rm_seg_read)], eax

    mov si, RM(rm_message)
    mov dx, DEBUG_CONSOLE
.print:
    lodsb
    test al, al
    jz .printed
    out dx, al
    jmp .print
.printed:

    ; "Switching to Protected Mode" (§9.9.1): the GDT is still loaded; set PE, then a far jump
    ; (32-bit offset: the code is above 1 MiB) reloads CS and serializes.
    mov eax, cr0
    or eax, CR0_PE
    mov cr0, eax
    jmp dword SEL_CODE32:pm32_again

rm_idtr:    dw 0x3FF
            dd 0
rm_message: db "PASS modes.real-mode-io", 10, 0
align 4
rm_cr0:      dd 0xFFFFFFFF
rm_seg_read: dd 0
rm_end:

bits 32
pm32_again:
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, [saved_esp]
    popad
    ret

; ---------------------------------------------------------------------------------------------
; "Initializing IA-32e Mode" (§9.8.5): with paging off, set CR4.PAE, load CR3 with a PML4,
; set EFER.LME, then CR0.PG (IA-32e mode becomes active, in compatibility mode), then a far
; jump to a 64-bit code segment. The tables map the first 1 GiB 1:1 with 2 MiB pages.
enter_long_mode:
    mov edi, pml4
    mov ecx, 3 * 4096 / 4
    xor eax, eax
    rep stosd
    mov dword [pml4], pdpt + (PTE_P | PTE_RW)
    mov dword [pdpt], pd + (PTE_P | PTE_RW)
    mov edi, pd
    mov eax, PTE_P | PTE_RW | PDE_PS
    mov ecx, 512
.fill:
    mov [edi], eax
    add eax, 0x200000
    add edi, 8
    loop .fill

    mov eax, cr4
    or eax, CR4_PAE
    mov cr4, eax
    mov eax, pml4
    mov cr3, eax
    mov ecx, MSR_EFER
    rdmsr
    or eax, EFER_LME
    wrmsr
    mov eax, cr0
    or eax, CR0_PG
    mov cr0, eax
    jmp SEL_CODE64:long_mode

bits 64
long_mode:
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov esp, stack_top                ; a 32-bit MOV zero-extends into RSP

    mov esi, msg_long_io
    mov dx, DEBUG_CONSOLE
.print:
    lodsb
    test al, al
    jz .printed
    out dx, al
    jmp .print
.printed:

    mov ecx, MSR_EFER
    rdmsr
    mov [lm_efer], eax
    mov rax, cr0
    mov [lm_cr0], eax
    xor eax, eax
    dec rax                           ; REX.W: RAX = 2^64 - 1 (in 32-bit code, 0x48 is DEC EAX)
    shr rax, 32
    mov [lm_upper], eax
    mov r8, 0x0123456789ABCDEF
    mov r15, r8
    rol r15, 8
    mov rax, 0x23456789ABCDEF01
    xor rax, r15
    mov rdx, rax
    shr rdx, 32
    or eax, edx
    mov [lm_regs], eax
    lea rax, [rel long_mode]
    mov ebx, long_mode
    sub rax, rbx
    mov [lm_riprel], eax
    mov rbx, rsp
    push rax
    sub rbx, rsp
    pop rax
    mov [lm_push], ebx

    ; Back to 32-bit code: a far return to a 32-bit code segment is compatibility mode.
    push SEL_CODE32
    push compat_mode
    retfq

bits 32
compat_mode:
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov esp, stack_top
    mov eax, [lm_efer]
    and eax, EFER_LME | EFER_LMA
    EXPECT_EQ "modes.long-mode-efer", eax, EFER_LME | EFER_LMA
    mov eax, [lm_cr0]
    and eax, CR0_PG | CR0_PE
    EXPECT_EQ "modes.long-mode-cr0", eax, CR0_PG | CR0_PE
    EXPECT_EQ "modes.long-mode-64bit-ops", [lm_upper], 0xFFFFFFFF
    EXPECT_EQ "modes.long-mode-r8-r15", [lm_regs], 0
    EXPECT_EQ "modes.long-mode-rip-relative", [lm_riprel], 0
    EXPECT_EQ "modes.long-mode-push", [lm_push], 8
    mov ecx, MSR_EFER
    rdmsr
    and eax, EFER_LMA
    EXPECT_EQ "modes.compatibility-mode", eax, EFER_LMA
    jmp finish
