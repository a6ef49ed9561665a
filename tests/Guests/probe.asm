; probe.asm: isolation (issue 4: two VMs at once; neither may see the other's memory or the
; hypervisor's). The guest reads guest-physical pages around and far beyond its RAM: every page
; past RAM must read all-ones and drop writes. It also writes a marker into its own RAM (the
; Multiboot command line names the VM, e.g. "cmdline = vm-a") and reads it back.
;
; PAE paging (SDM Vol. 3A §4.4) with 2 MiB pages: linear 0..1 GiB maps 1:1 (code, stack, the
; Multiboot structures), and the 2 MiB window at linear 0xFFE00000 is pointed at each probed
; physical address in turn, so addresses above 4 GiB are reachable from 32-bit code.
;   INFO probe.ram-end <address>          the end of RAM from the memory map
;   INFO probe.maxphyaddr <bits>          CPUID 0x80000008 EAX[7:0] (36 without that leaf)
;   INFO probe.marker <text>              the marker written to the last page of RAM
;   probe.memory-map                      the loader gave a memory map
;   probe.last-ram-page                   the marker reads back from the last page of RAM
;   probe.<where>                         the page reads all-ones (dwords at 0, 4, 0x7fc, 0x800,
;                                         0xffc, byte 0x7ff, word 0xffe) and still does after a
;                                         dword and a byte write; <where> is ram-end, ram-end+4k,
;                                         ram-end+2m, 1g, 3g, ioapic (0xfec00000), lapic
;                                         (0xfee00000), 4g-4k, 4g, 4g+ram-end-4k (an alias of
;                                         the last RAM page if the high address bits were
;                                         dropped), 8g-4k, 64g
;   INFO probe.<where> skipped ...        the page is RAM (in an "available" range of the
;                                         memory map: a VM of 1 GiB or more) or beyond MAXPHYADDR
; TODO(issue 5): the virtual IOAPIC and LAPIC will answer at 0xfec00000 and 0xfee00000; those
; two probes must then check the devices' registers instead of all-ones.
%include "common.inc"

WINDOW      equ 0xFFE00000            ; linear base of the movable 2 MiB window
PTE_P       equ 1 << 0
PTE_RW      equ 1 << 1
PTE_PWT     equ 1 << 3
PTE_PCD     equ 1 << 4
PDE_PS      equ 1 << 7
CR0_PG      equ 1 << 31
CR4_PAE     equ 1 << 5
MARKER_LEN  equ 16

section .rodata
guest_name:     db "probe", 0
str_ram_end:    db "probe.ram-end", 0
str_maxphy:     db "probe.maxphyaddr", 0
str_marker:     db "probe.marker", 0
str_skip_ram:   db "skipped: RAM", 10, 0
str_skip_phys:  db "skipped: beyond MAXPHYADDR", 10, 0

section .bss
alignb 4096
pd_low:     resb 4096                 ; linear 0..1 GiB
pd_high:    resb 4096                 ; linear 3..4 GiB: only the window's entry
alignb 32
pdpt:       resq 4
ram_end:    resd 2
maxphyaddr: resd 1
marker:     resb MARKER_LEN + 1

; PROBE "name": probe the page at guest-physical EDX:EAX.
%macro PROBE 1
    mov esi, %%name
    call probe_page
[section .rodata]
%%name: db %1, 0
__SECT__
%endmacro

section .text
main:
    call find_ram_end
    mov [ram_end], eax
    mov [ram_end + 4], edx
    or eax, edx
    jnz .have_map
    FAIL "probe.memory-map", "no Multiboot memory map"
    ret
.have_map:
    PASS "probe.memory-map"
    mov esi, str_ram_end
    call report_info
    mov eax, [ram_end]
    mov edx, [ram_end + 4]
    call put_hex64
    call newline

    call read_maxphyaddr
    mov esi, str_maxphy
    call report_info
    mov eax, [maxphyaddr]
    call put_dec32
    call newline

    call make_marker
    call enable_pae_paging

    ; The last page of RAM: write the marker, read it back.
    mov eax, [ram_end]
    mov edx, [ram_end + 4]
    sub eax, 0x1000
    sbb edx, 0
    call map_window
    mov edi, eax
    mov esi, marker
    mov ecx, MARKER_LEN
    rep movsb
    mov esi, marker
    mov edi, eax
    mov ecx, MARKER_LEN
    repe cmpsb
    EXPECT_EQ "probe.last-ram-page", ecx, 0

    ; Pages past RAM.
    mov eax, [ram_end]
    mov edx, [ram_end + 4]
    PROBE "probe.ram-end"
    mov eax, [ram_end]
    mov edx, [ram_end + 4]
    add eax, 0x1000
    adc edx, 0
    PROBE "probe.ram-end+4k"
    mov eax, [ram_end]
    mov edx, [ram_end + 4]
    add eax, 0x200000
    adc edx, 0
    PROBE "probe.ram-end+2m"
    mov eax, 0x40000000
    xor edx, edx
    PROBE "probe.1g"
    mov eax, 0xC0000000
    xor edx, edx
    PROBE "probe.3g"
    mov eax, 0xFEC00000
    xor edx, edx
    PROBE "probe.ioapic"
    mov eax, 0xFEE00000
    xor edx, edx
    PROBE "probe.lapic"
    mov eax, 0xFFFFF000
    xor edx, edx
    PROBE "probe.4g-4k"
    xor eax, eax
    mov edx, 1
    PROBE "probe.4g"
    mov eax, [ram_end]
    mov edx, [ram_end + 4]
    sub eax, 0x1000
    sbb edx, 0
    add edx, 1
    PROBE "probe.4g+ram-end-4k"
    mov eax, 0xFFFFF000
    mov edx, 1
    PROBE "probe.8g-4k"
    xor eax, eax
    mov edx, 0x10
    PROBE "probe.64g"
    ret

; probe_page: ESI = name, EDX:EAX = page address. Skips RAM and addresses beyond MAXPHYADDR.
probe_page:
    pushad
    call is_ram
    jc .ram
    ; Beyond MAXPHYADDR? (EDX >> (MAXPHYADDR - 32) != 0)
    mov ecx, [maxphyaddr]
    sub ecx, 32
    jbe .check_high_zero
    cmp ecx, 32
    jae .reachable
    mov ebx, edx
    shr ebx, cl
    jnz .too_high
    jmp .reachable
.check_high_zero:
    test edx, edx
    jnz .too_high
.reachable:
    call map_window                   ; EAX = the page's linear address
    mov edi, eax
    ; Loads by MOV/MOVZX (the ALU and string forms are checked by the mmio guest).
    mov eax, [edi]
    mov ebx, [edi + 4]
    and eax, ebx
    mov ebx, [edi + 0x7FC]
    and eax, ebx
    mov ebx, [edi + 0x800]
    and eax, ebx
    mov ebx, [edi + 0xFFC]
    and eax, ebx
    movzx ebx, byte [edi + 0x7FF]
    or ebx, 0xFFFFFF00
    and eax, ebx
    movzx ebx, word [edi + 0xFFE]
    or ebx, 0xFFFF0000
    and eax, ebx
    mov dword [edi], 0x5A5A5A5A
    mov byte [edi + 0x801], 0xA5
    mov ebx, [edi]
    and eax, ebx
    movzx ebx, byte [edi + 0x801]
    or ebx, 0xFFFFFF00
    and eax, ebx
    mov ebx, 0xFFFFFFFF
    call check_eq
    popad
    ret
.ram:
    call report_info
    mov esi, str_skip_ram
    call puts
    popad
    ret
.too_high:
    call report_info
    mov esi, str_skip_phys
    call puts
    popad
    ret

; is_ram: CF = 1 when guest-physical EDX:EAX lies in an "available" range of the memory map.
is_ram:
    pushad
    mov ebx, [mb_info]
    mov esi, [ebx + MBI_MMAP_ADDR]
    mov edi, esi
    add edi, [ebx + MBI_MMAP_LENGTH]
.entry:
    cmp esi, edi
    jae .no
    cmp dword [esi + 20], MMAP_AVAILABLE
    jne .next
    ; address - base, 64-bit; below base if it borrows
    mov ecx, eax
    mov ebp, edx
    sub ecx, [esi + 4]
    sbb ebp, [esi + 8]
    jb .next
    ; inside if (address - base) < length
    cmp ebp, [esi + 16]
    jb .yes
    ja .next
    cmp ecx, [esi + 12]
    jb .yes
.next:
    mov ecx, [esi]
    lea esi, [esi + ecx + 4]
    jmp .entry
.no:
    popad
    clc
    ret
.yes:
    popad
    stc
    ret

; map_window: point the window at the 2 MiB frame holding guest-physical EDX:EAX; returns EAX =
; the linear address of EDX:EAX's 4 KiB page inside the window.
map_window:
    push ecx
    mov ecx, eax
    and ecx, 0xFFE00000
    or ecx, PTE_P | PTE_RW | PTE_PWT | PTE_PCD | PDE_PS
    mov [pd_high + 511 * 8], ecx
    mov [pd_high + 511 * 8 + 4], edx
    invlpg [WINDOW]
    and eax, 0x001FF000
    add eax, WINDOW
    pop ecx
    ret

; PAE paging: PDPTE 0 -> pd_low (1:1, 0..1 GiB), PDPTE 3 -> pd_high (the window). PDPTEs have
; only P (bits 1-2 and 5-8 are reserved: SDM Vol. 3A §4.4.1).
enable_pae_paging:
    mov edi, pd_low
    mov eax, PTE_P | PTE_RW | PDE_PS
    mov ecx, 512
.fill:
    mov [edi], eax
    mov dword [edi + 4], 0
    add eax, 0x200000
    add edi, 8
    loop .fill
    mov dword [pdpt], pd_low + PTE_P
    mov dword [pdpt + 24], pd_high + PTE_P
    mov eax, cr4
    or eax, CR4_PAE
    mov cr4, eax
    mov eax, pdpt
    mov cr3, eax
    mov eax, cr0
    or eax, CR0_PG
    mov cr0, eax
    ret

read_maxphyaddr:
    mov dword [maxphyaddr], 36        ; SDM Vol. 3A §4.1.4: 36 when CPUID 0x80000008 is absent
    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000008
    jb .done
    mov eax, 0x80000008
    cpuid
    and eax, 0xFF
    mov [maxphyaddr], eax
.done:
    ret

; The marker: "HVPROBE:" and the first 8 characters of the command line's last word ('.' for
; the rest). The last word, because GRUB and QEMU put the kernel's path first; hv passes the
; configured cmdline as it is.
make_marker:
    mov edi, marker
    mov dword [edi], 'HVPR'
    mov dword [edi + 4], 'OBE:'
    mov ecx, 8
    lea edx, [edi + 8]
.pad:
    mov byte [edx], '.'
    inc edx
    loop .pad
    mov byte [edi + MARKER_LEN], 0
    mov ebx, [mb_info]
    cmp dword [mb_magic], MB_BOOT_MAGIC
    jne .print
    test dword [ebx + MBI_FLAGS], MBI_HAS_CMDLINE
    jz .print
    mov esi, [ebx + MBI_CMDLINE]
    mov ebx, esi                      ; EBX = start of the current word
.scan:
    lodsb
    test al, al
    jz .scanned
    cmp al, ' '
    ja .scan
    mov ebx, esi                      ; a blank: the next word starts after it
    jmp .scan
.scanned:
    mov esi, ebx
    lea edx, [edi + 8]
    mov ecx, 8
.copy:
    lodsb
    cmp al, ' '
    jbe .print
    cmp al, '~'
    ja .print
    mov [edx], al
    inc edx
    loop .copy
.print:
    mov esi, str_marker
    call report_info
    mov esi, marker
    call puts
    jmp newline
