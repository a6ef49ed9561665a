; hlt.asm: HLT woken by an interrupt (issue 4: event injection into a halted guest).
;
; Until the virtual LAPIC exists (issue 5), the hypervisor has a "test timer": while a vCPU is
; halted with EFLAGS.IF = 1 it injects vector 0x20 periodically, which ends the HLT. This guest
; halts WAKES times with interrupts on and checks that each wake came through vector 0x20:
;   INFO hlt.wake <n>             after each wake
;   hlt.wakes                     WAKES wakes through vector 0x20
;   hlt.resume-eip                the interrupt frame's EIP is the instruction after HLT (the
;                                 hypervisor completed the HLT before injecting)
;   hlt.no-other-vectors          no vector other than 0x20 arrived
;   FAIL hlt.exception <vector>   an exception arrived (then the guest ends)
;
; Under plain QEMU (no hypervisor) nothing injects vector 0x20 by itself; this guest moves the
; 8259 PIC's IRQ 0 to vector 0x20 and unmasks only it, so where firmware left the PIT running
; (SeaBIOS: 18.2 Hz) the guest wakes there too. Under the hypervisor the 8259 ports are not
; claimed yet: those writes are dropped and the injected vector is the only interrupt. The guest
; never programs the PIT: with no interrupt source it halts forever (the harness times out).
%include "common.inc"

WAKES       equ 5
TIMER_VEC   equ 0x20
SEL_CODE32  equ 0x08
SEL_DATA32  equ 0x10
PIC1_CMD    equ 0x20
PIC1_DATA   equ 0x21
PIC2_CMD    equ 0xA0
PIC2_DATA   equ 0xA1
PIC_EOI     equ 0x20
GATE_INT32  equ 0x8E00                ; present, DPL 0, 32-bit interrupt gate (SDM Vol. 3A §6.11)

section .rodata
guest_name: db "hlt", 0
str_wake:   db "hlt.wake", 0
str_exc_name: db "hlt.exception", 0
str_exc_detail: db "vector", 0

align 8
gdt:
    dq 0
    dq 0x00CF9B000000FFFF             ; 0x08 32-bit code, flat
    dq 0x00CF93000000FFFF             ; 0x10 32-bit data, flat
gdt_end:
gdtr:
    dw gdt_end - gdt - 1
    dd gdt

section .bss
alignb 8
idt:        resq 256
wakes:      resd 1
wake_eip:   resd 1
unexpected: resd 1

section .data
idtr:
    dw 256 * 8 - 1
    dd idt

section .text
main:
    ; An interrupt loads CS from the gate, so the guest needs its own GDT first.
    lgdt [gdtr]
    jmp SEL_CODE32:.own_gdt
.own_gdt:
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    mov ss, ax

    call pic_route_irq0
    call build_idt
    lidt [idtr]

    mov ecx, WAKES
halt_loop:
    sti                               ; the STI shadow covers HLT: no interrupt slips in between
    hlt
hlt_resume:
    cli
    mov esi, str_wake
    call report_info
    mov eax, [wakes]
    call put_dec32
    call newline
    loop halt_loop

    EXPECT_RANGE "hlt.wakes", [wakes], WAKES, 0xFFFFFFFF
    EXPECT_EQ "hlt.resume-eip", [wake_eip], hlt_resume
    EXPECT_EQ "hlt.no-other-vectors", [unexpected], 0
    ret

; 8259 initialisation (ICW1-ICW4): IRQ 0-7 -> vectors 0x20-0x27, IRQ 8-15 -> 0x28-0x2f; mask
; everything but IRQ 0.
pic_route_irq0:
    mov al, 0x11                      ; ICW1: edge, cascade, ICW4 follows
    out PIC1_CMD, al
    out PIC2_CMD, al
    mov al, TIMER_VEC                 ; ICW2: vector base
    out PIC1_DATA, al
    mov al, TIMER_VEC + 8
    out PIC2_DATA, al
    mov al, 0x04                      ; ICW3: slave on IRQ 2
    out PIC1_DATA, al
    mov al, 0x02
    out PIC2_DATA, al
    mov al, 0x01                      ; ICW4: 8086 mode
    out PIC1_DATA, al
    out PIC2_DATA, al
    mov al, 0xFE                      ; OCW1: only IRQ 0
    out PIC1_DATA, al
    mov al, 0xFF
    out PIC2_DATA, al
    ret

; Every vector gets a 16-byte stub that pushes its number and jumps to isr_common.
build_idt:
    mov edi, idt
    mov ebx, isr_stubs
    mov ecx, 256
.gate:
    mov eax, ebx
    and eax, 0xFFFF
    or eax, SEL_CODE32 << 16
    mov [edi], eax
    mov eax, ebx
    and eax, 0xFFFF0000
    or eax, GATE_INT32
    mov [edi + 4], eax
    add ebx, 16
    add edi, 8
    loop .gate
    ret

; Stack on entry: vector, then (for exceptions with one) an error code, then EIP, CS, EFLAGS.
isr_common:
    cmp dword [esp], TIMER_VEC
    je .timer
    cmp dword [esp], 32
    jb .exception
    inc dword [unexpected]            ; e.g. a spurious IRQ 7 from the 8259: no EOI for those
    add esp, 4
    iretd
.timer:
    inc dword [wakes]
    push eax
    mov eax, [esp + 8]                ; the interrupted EIP
    mov [wake_eip], eax
    mov al, PIC_EOI                   ; for the 8259 under plain QEMU; dropped under the hypervisor
    out PIC1_CMD, al
    pop eax
    add esp, 4
    iretd
.exception:
    mov eax, [esp]
    mov esi, str_exc_name
    mov edi, str_exc_detail
    call report_fail_hex
    jmp finish

align 16
isr_stubs:
%assign vector 0
%rep 256
    align 16
    push dword vector
    jmp isr_common
%assign vector vector + 1
%endrep
