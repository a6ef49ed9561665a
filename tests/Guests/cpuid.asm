; cpuid.asm: what CPUID tells a guest about the machine it runs on (issue 4: the CPUID policy).
;   cpuid.hypervisor-bit    leaf 1 ECX bit 31 set: a guest can tell it runs under a hypervisor
;   cpuid.hv-max-leaf       leaf 0x40000000 EAX in 0x40000000..0x400000ff
;   cpuid.signature-ebx/ecx/edx  leaf 0x40000000 EBX, ECX, EDX spell "CsHypervisor"
;   cpuid.no-vmx            leaf 1 ECX bit 5 (VMX) clear: nested virtualization is not offered
;   cpuid.no-svm            leaf 0x80000001 ECX bit 2 (SVM) clear
;   cpuid.logical-count     leaf 1 EBX[23:16] = 1 (run it with vcpus = 1)
;   cpuid.initial-apic-id   leaf 1 EBX[31:24] = 0 (the boot vCPU)
%include "common.inc"

section .rodata
guest_name: db "cpuid", 0

section .bss
leaf1_ebx:  resd 1
leaf1_ecx:  resd 1
signature:  resd 3
            resd 1                    ; NUL after the 12 characters

section .text
main:
    mov eax, 1
    xor ecx, ecx
    cpuid
    mov [leaf1_ebx], ebx
    mov [leaf1_ecx], ecx

    mov eax, [leaf1_ecx]
    and eax, 1 << 31
    EXPECT_EQ "cpuid.hypervisor-bit", eax, 1 << 31

    mov eax, 0x40000000
    xor ecx, ecx
    cpuid
    mov [signature], ebx
    mov [signature + 4], ecx
    mov [signature + 8], edx
    EXPECT_RANGE "cpuid.hv-max-leaf", eax, 0x40000000, 0x400000FF
    mov esi, str_signature_name
    call report_info
    mov esi, signature
    call puts
    call newline
    EXPECT_EQ "cpuid.signature-ebx", [signature], 'CsHy'
    EXPECT_EQ "cpuid.signature-ecx", [signature + 4], 'perv'
    EXPECT_EQ "cpuid.signature-edx", [signature + 8], 'isor'

    mov eax, [leaf1_ecx]
    and eax, 1 << 5
    EXPECT_EQ "cpuid.no-vmx", eax, 0

    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000001
    jb .no_extended_leaf
    mov eax, 0x80000001
    xor ecx, ecx
    cpuid
    and ecx, 1 << 2
    EXPECT_EQ "cpuid.no-svm", ecx, 0
    jmp .topology
.no_extended_leaf:
    PASS "cpuid.no-svm"

.topology:
    mov eax, [leaf1_ebx]
    shr eax, 16
    and eax, 0xFF
    EXPECT_EQ "cpuid.logical-count", eax, 1
    mov eax, [leaf1_ebx]
    shr eax, 24
    EXPECT_EQ "cpuid.initial-apic-id", eax, 0
    ret

section .rodata
str_signature_name: db "cpuid.signature", 0
