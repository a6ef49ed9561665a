; triple.asm: a deliberate triple fault (issue 4: the VM stops with a report; the hypervisor and
; every other VM keep running).
;   PASS triple.before-fault      printed just before the fault
;   FAIL triple.survived          printed only if execution continues after it (then status 1)
; With an IDT limit of 0, UD2's #UD cannot be delivered (its gate is past the limit: #GP), the
; #GP cannot either (#DF), nor the #DF: the processor shuts down (SDM Vol. 3A §6.15, interrupt 8,
; "Double Fault Exception"). Under VMX that is a triple-fault VM exit, under SVM a shutdown
; intercept; bare QEMU resets (or exits with -no-reboot). The guest never reaches its DONE line.
%include "common.inc"

section .rodata
guest_name: db "triple", 0

section .data
null_idtr:
    dw 0
    dd 0

section .text
main:
    PASS "triple.before-fault"
    lidt [null_idtr]
    ud2
    FAIL "triple.survived", "execution continued after the triple fault"
    ret
