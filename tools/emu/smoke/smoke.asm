; smoke.efi: a stand-in for the hypervisor, to check the emulator runners without `make image`.
; It writes to COM1 directly (OVMF has already set the 16550 to 115200 8N1), reports the CPU
; features the backends need, then ends the run the way the hypervisor does with
; on_exit = debug-exit: "HV: exit status N", N to port 0xf4 (QEMU isa-debug-exit),
; "Shutdown" to port 0x8900 (Bochs).
; Build: tools/emu/smoke/build.sh OUTDIR [STATUS] (nasm -f win64 + lld-link /subsystem:efi_application).
bits 64
default rel

%ifndef STATUS
%define STATUS 0                    ; exit status to report, 0..9 (nasm -DSTATUS=N)
%endif

section .text
global EfiMain
EfiMain:
    push rbx
    push rsi
    push rdi
    sub rsp, 32

    lea rsi, [msg_hello]
    call puts

    xor eax, eax                    ; CPUID 0: vendor string in EBX, EDX, ECX
    cpuid
    mov [vendor], ebx
    mov [vendor + 4], edx
    mov [vendor + 8], ecx
    lea rsi, [msg_vendor]
    call puts
    lea rsi, [vendor]
    call puts

    mov eax, 1                      ; CPUID 1: ECX bit 5 = VMX
    cpuid
    lea rsi, [msg_vmx]
    call puts
    bt ecx, 5
    call yesno

    mov eax, 0x80000001             ; CPUID 0x80000001: ECX bit 2 = SVM
    cpuid
    lea rsi, [msg_svm]
    call puts
    bt ecx, 2
    setc bl
    call yesno

    lea rsi, [msg_npt]
    call puts
    test bl, bl
    jz .no_npt                      ; leaf 0x8000000A is defined only with SVM
    mov eax, 0x8000000A             ; CPUID 0x8000000A: EDX bit 0 = nested paging
    cpuid
    bt edx, 0
    call yesno
    jmp .done_npt
.no_npt:
    clc
    call yesno
.done_npt:

%ifdef HALT                         ; stand-in for a panic: say so and stop, no exit ports
    lea rsi, [msg_halted]
    call puts
    jmp .halt
%endif
    lea rsi, [msg_exit]
    call puts

    mov dx, 0x3fd                   ; wait for LSR.TEMT: Bochs drops bytes still in the UART
.drain:                             ; when the simulation ends
    in al, dx
    test al, 0x40
    jz .drain

    mov dx, 0xf4                    ; QEMU isa-debug-exit: exit code (STATUS << 1) | 1
    mov eax, STATUS
    out dx, eax

    mov dx, 0x8900                  ; Bochs: the string "Shutdown" ends the simulation
    lea rsi, [msg_shutdown]
.shut:
    lodsb
    test al, al
    jz .halt
    out dx, al
    jmp .shut
.halt:
    cli
    hlt
    jmp .halt

; yesno: print "yes" if CF is set, "no" otherwise, then a newline.
yesno:
    lea rsi, [msg_no]
    jnc .p
    lea rsi, [msg_yes]
.p:
    jmp puts

; puts: write the zero-terminated string at RSI to COM1 (polling LSR.THRE). Clobbers RAX, RDX, RSI.
puts:
.next:
    lodsb
    test al, al
    jz .ret
    mov ah, al
    mov dx, 0x3fd
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    mov dx, 0x3f8
    mov al, ah
    out dx, al
    jmp .next
.ret:
    ret

section .data
msg_hello:    db 13, 10, "smoke: EFI app started", 13, 10, 0
msg_vendor:   db "cpu: vendor=", 0
vendor:       times 12 db 0
              db 13, 10, 0
msg_vmx:      db "smoke: vmx=", 0
msg_svm:      db "smoke: svm=", 0
msg_npt:      db "smoke: npt=", 0
msg_yes:      db "yes", 13, 10, 0
msg_no:       db "no", 13, 10, 0
msg_exit:     db "HV: exit status ", '0' + STATUS, 13, 10, 0
msg_shutdown: db "Shutdown", 0
msg_halted:   db "HV: halted (smoke, -DHALT)", 13, 10, 0
