; mmio.asm: memory accesses to guest-physical addresses with no RAM behind them (issue 4: EPT
; violation / nested page fault -> emulated: reads all-ones, writes dropped and counted).
; Paging stays off, so an address is its own guest-physical address. The RAM end comes from
; the Multiboot memory map (the end of the highest "available" range).
;   INFO mmio.ram-end <address>
;   mmio.memory-map          the loader gave a memory map ending below 4 GiB
;   mmio.last-ram-dword      the last dword of RAM is ordinary memory (write, read back)
; For each address A in 3g (0xc0000000), ram-end (the first byte past RAM) and ram-end+1m:
;   mmio.<A>.read32 / read16 / read8       MOV loads of each width read all-ones
;   mmio.<A>.movzx8 / movzx16 / movsx8     zero- and sign-extending loads
;   mmio.<A>.read32-page-end               the last dword of the page
;   mmio.<A>.write32 / write16 / write8    a MOV store (immediate) is dropped: reads back all-ones
;   mmio.<A>.write32-reg                   a MOV store from a register is dropped
; And at 0xc0000000 only, the moffs forms (opcodes A1/A3: the address is in the instruction):
;   mmio.3g.moffs-read, mmio.3g.moffs-write
; and the other forms the core's emulator carries out (kernel/Virt/Mmio), against all-ones:
;   mmio.3g.add-reg / add-carry      add eax, [mem]: 1 + FFFFFFFFh = 0 with CF
;   mmio.3g.cmp / test / bt          flags from a memory operand (CMP, TEST imm, BT imm)
;   mmio.3g.xchg / lock-or / inc     read-modify-write forms: the write is dropped
;   mmio.3g.rep-stosd-*              100 elements (more than one exit's worth): ECX, EDI at the end
;   mmio.3g.rep-movsd-*              70 dwords from MMIO into RAM
;   mmio.3g.lodsb                    a string load without REP
%include "common.inc"

ADDR_3G equ 0xC0000000

section .rodata
guest_name: db "mmio", 0

section .bss
ram_end: resd 1
movs_buf: resd 80

; MMIO_CHECKS "label": the checks above for the address in EBX.
%macro MMIO_CHECKS 1
    mov eax, [ebx]
    EXPECT_EQ {%1, ".read32"}, eax, 0xFFFFFFFF
    xor eax, eax
    mov ax, [ebx + 2]
    EXPECT_EQ {%1, ".read16"}, eax, 0x0000FFFF
    xor eax, eax
    mov al, [ebx + 1]
    EXPECT_EQ {%1, ".read8"}, eax, 0x000000FF
    movzx eax, byte [ebx + 3]
    EXPECT_EQ {%1, ".movzx8"}, eax, 0x000000FF
    movzx eax, word [ebx + 6]
    EXPECT_EQ {%1, ".movzx16"}, eax, 0x0000FFFF
    movsx eax, byte [ebx + 5]
    EXPECT_EQ {%1, ".movsx8"}, eax, 0xFFFFFFFF
    mov eax, [ebx + 0xFFC]
    EXPECT_EQ {%1, ".read32-page-end"}, eax, 0xFFFFFFFF
    mov dword [ebx + 0x10], 0x12345678
    mov eax, [ebx + 0x10]
    EXPECT_EQ {%1, ".write32"}, eax, 0xFFFFFFFF
    mov word [ebx + 0x14], 0
    movzx eax, word [ebx + 0x14]
    EXPECT_EQ {%1, ".write16"}, eax, 0x0000FFFF
    mov byte [ebx + 0x17], 0x5A
    movzx eax, byte [ebx + 0x17]
    EXPECT_EQ {%1, ".write8"}, eax, 0x000000FF
    mov ecx, 0x11223344
    mov [ebx + 0x20], ecx
    mov eax, [ebx + 0x20]
    EXPECT_EQ {%1, ".write32-reg"}, eax, 0xFFFFFFFF
%endmacro

section .text
main:
    call find_ram_end
    test edx, edx
    jnz .no_map
    test eax, eax
    jz .no_map
    mov [ram_end], eax
    PASS "mmio.memory-map"
    INFO_HEX "mmio.ram-end", [ram_end]

    mov edi, [ram_end]
    mov dword [edi - 4], 0xA5A55A5A
    EXPECT_EQ "mmio.last-ram-dword", [edi - 4], 0xA5A55A5A

    mov ebx, ADDR_3G
    MMIO_CHECKS "mmio.3g"
    mov eax, [ADDR_3G + 0x40]                 ; A1 moffs32
    EXPECT_EQ "mmio.3g.moffs-read", eax, 0xFFFFFFFF
    mov eax, 0x55AA55AA
    mov [ADDR_3G + 0x44], eax                 ; A3 moffs32
    mov eax, [ADDR_3G + 0x44]
    EXPECT_EQ "mmio.3g.moffs-write", eax, 0xFFFFFFFF
    call emulated_forms

    mov ebx, [ram_end]
    MMIO_CHECKS "mmio.ram-end"
    mov ebx, [ram_end]
    add ebx, 0x100000
    MMIO_CHECKS "mmio.ram-end+1m"
    ret

.no_map:
    FAIL "mmio.memory-map", "no Multiboot memory map, or RAM reaches 4 GiB"
    ret

; ALU, BT, XCHG, LOCK and string forms at 0xc0000000 (all-ones, writes dropped).
emulated_forms:
    mov ebx, ADDR_3G
    cld
    mov eax, 1
    add eax, [ebx + 0x50]
    setc cl
    movzx ecx, cl
    EXPECT_EQ "mmio.3g.add-reg", eax, 0
    EXPECT_EQ "mmio.3g.add-carry", ecx, 1
    xor ecx, ecx
    cmp dword [ebx + 0x54], -1
    sete cl
    EXPECT_EQ "mmio.3g.cmp", ecx, 1
    xor ecx, ecx
    test byte [ebx + 0x58], 0x80
    setnz cl
    EXPECT_EQ "mmio.3g.test", ecx, 1
    xor ecx, ecx
    bt dword [ebx + 0x5C], 17
    setc cl
    EXPECT_EQ "mmio.3g.bt", ecx, 1
    mov ecx, 0x12345678
    xchg [ebx + 0x60], ecx
    EXPECT_EQ "mmio.3g.xchg", ecx, 0xFFFFFFFF
    lock or dword [ebx + 0x64], 1
    mov eax, [ebx + 0x64]
    EXPECT_EQ "mmio.3g.lock-or", eax, 0xFFFFFFFF
    inc dword [ebx + 0x68]
    mov eax, [ebx + 0x68]
    EXPECT_EQ "mmio.3g.inc", eax, 0xFFFFFFFF

    lea edi, [ebx + 0x100]
    mov ecx, 100
    xor eax, eax
    rep stosd
    lea eax, [ebx + 0x100 + 400]
    EXPECT_EQ "mmio.3g.rep-stosd-ecx", ecx, 0
    EXPECT_EQ "mmio.3g.rep-stosd-edi", edi, eax

    mov dword [movs_buf], 0
    mov dword [movs_buf + 4 * 69], 0
    mov esi, ebx
    mov edi, movs_buf
    mov ecx, 70
    rep movsd
    EXPECT_EQ "mmio.3g.rep-movsd-ecx", ecx, 0
    EXPECT_EQ "mmio.3g.rep-movsd-first", [movs_buf], 0xFFFFFFFF
    EXPECT_EQ "mmio.3g.rep-movsd-last", [movs_buf + 4 * 69], 0xFFFFFFFF

    mov esi, ebx
    xor eax, eax
    lodsb
    EXPECT_EQ "mmio.3g.lodsb", eax, 0xFF
    ret
