; io.asm: port I/O exits (issue 4: the port-I/O bus, string I/O decoding).
; Output checks: the line itself is the proof, so each is printed by the form it tests; a
; missing line is the failure.
;   io.out-imm8               printed with OUT imm8, AL
;   io.outsb                  printed with OUTSB (no REP), one per byte
;   io.rep-outsb              printed with one REP OUTSB
;   io.rep-outsb-backward     printed with REP OUTSB and EFLAGS.DF = 1 from a reversed string
;   io.rep-outsb-page-cross   printed with REP OUTSB from a buffer that crosses a 4 KiB page
; Register and input checks:
;   io.rep-outsb-regs         after REP OUTSB: ECX = 0, ESI advanced by the count
;   io.rep-outsb-count0       REP OUTSB with ECX = 0 prints nothing and leaves ESI alone
;   io.in8 / io.in16 / io.in32   IN from an unclaimed port (0x0f10) reads all-ones and keeps
;                             the bits of EAX above the access size
;   io.rep-insb-data, io.rep-insb-untouched, io.rep-insb-regs   REP INSB of 8 bytes: all 0xff,
;                             the byte after the count untouched, EDI advanced, ECX = 0
;   io.rep-insd-data          REP INSD of 2 dwords: all-ones
;   io.insw                   INSW (no REP): 0xffff, EDI advanced by 2
%include "common.inc"

UNCLAIMED_PORT equ 0x0F10             ; no device of the VM decodes it (dword-aligned)

section .rodata
guest_name:     db "io", 0
msg_imm8:       db "PASS io.out-imm8", 10, 0
msg_outsb:      db "PASS io.outsb", 10
msg_outsb_len   equ $ - msg_outsb
msg_rep:        db "PASS io.rep-outsb", 10
msg_rep_len     equ $ - msg_rep
msg_back:       db "PASS io.rep-outsb-backward", 10
msg_back_len    equ $ - msg_back
msg_cross:      db "PASS io.rep-outsb-page-cross", 10
msg_cross_len   equ $ - msg_cross
msg_never:      db "FAIL io.rep-outsb-count0 printed", 10

section .bss
alignb 4096
page_buffer:    resb 8192
in_buffer:      resb 32

section .text
main:
    ; OUT imm8, AL (opcode E6): the port is in the instruction, not in DX.
    mov esi, msg_imm8
.imm8:
    lodsb
    test al, al
    jz .imm8_done
    out DEBUG_CONSOLE, al
    jmp .imm8
.imm8_done:

    ; OUTSB without REP: one exit per byte, ESI steps by 1.
    mov esi, msg_outsb
    mov ecx, msg_outsb_len
    mov dx, DEBUG_CONSOLE
.outsb:
    outsb
    loop .outsb

    ; REP OUTSB: one instruction, the whole line.
    mov esi, msg_rep
    mov ecx, msg_rep_len
    mov dx, DEBUG_CONSOLE
    rep outsb
    mov eax, esi
    sub eax, msg_rep + msg_rep_len
    or eax, ecx
    EXPECT_EQ "io.rep-outsb-regs", eax, 0

    ; REP OUTSB with DF = 1: reverse the line into the buffer and print it from its last byte.
    mov esi, msg_back
    lea edi, [page_buffer + msg_back_len - 1]
    mov ecx, msg_back_len
.reverse:
    lodsb
    mov [edi], al
    dec edi
    loop .reverse
    lea esi, [page_buffer + msg_back_len - 1]
    mov ecx, msg_back_len
    mov dx, DEBUG_CONSOLE
    std
    rep outsb
    cld

    ; REP OUTSB from a buffer that starts 10 bytes before a page boundary.
    mov esi, msg_cross
    mov edi, page_buffer + 4096 - 10
    mov ecx, msg_cross_len
    rep movsb
    mov esi, page_buffer + 4096 - 10
    mov ecx, msg_cross_len
    mov dx, DEBUG_CONSOLE
    rep outsb

    ; REP OUTSB with a count of 0 does nothing.
    mov esi, msg_never
    xor ecx, ecx
    mov dx, DEBUG_CONSOLE
    rep outsb
    mov eax, esi
    sub eax, msg_never
    or eax, ecx
    EXPECT_EQ "io.rep-outsb-count0", eax, 0

    ; IN from a port nobody claims: all-ones of the access size; the rest of EAX is kept
    ; (SDM Vol. 1 §3.4.1.1: an 8- or 16-bit destination leaves the upper bits alone).
    mov dx, UNCLAIMED_PORT
    mov eax, 0x12345600
    in al, dx
    EXPECT_EQ "io.in8", eax, 0x123456FF
    mov eax, 0x12340000
    in ax, dx
    EXPECT_EQ "io.in16", eax, 0x1234FFFF
    xor eax, eax
    in eax, dx
    EXPECT_EQ "io.in32", eax, 0xFFFFFFFF

    ; REP INSB: 8 bytes into a zeroed buffer.
    mov edi, in_buffer
    mov ecx, 8
    xor eax, eax
    rep stosd
    mov edi, in_buffer
    mov ecx, 8
    mov dx, UNCLAIMED_PORT
    rep insb
    mov eax, edi
    sub eax, in_buffer + 8
    or eax, ecx
    EXPECT_EQ "io.rep-insb-regs", eax, 0
    mov eax, [in_buffer]
    and eax, [in_buffer + 4]
    EXPECT_EQ "io.rep-insb-data", eax, 0xFFFFFFFF
    movzx eax, byte [in_buffer + 8]
    EXPECT_EQ "io.rep-insb-untouched", eax, 0

    ; REP INSD: 2 dwords.
    mov edi, in_buffer + 12
    mov ecx, 2
    rep insd
    mov eax, [in_buffer + 12]
    and eax, [in_buffer + 16]
    EXPECT_EQ "io.rep-insd-data", eax, 0xFFFFFFFF

    ; INSW without REP.
    mov edi, in_buffer + 24
    insw
    movzx eax, word [in_buffer + 24]
    mov ebx, edi
    sub ebx, in_buffer + 26
    or eax, ebx
    EXPECT_EQ "io.insw", eax, 0xFFFF
    ret
