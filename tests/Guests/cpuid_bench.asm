; cpuid_bench.asm: the cost of one CPUID exit, measured with the guest's TSC (issue 4 benchmark).
;   BENCH calibration ticks-per-1000-instructions M
;       TSC ticks for 1000 instructions of a loop of NOPs (10 instructions per iteration,
;       100,000 iterations). In Bochs the TSC advances with executed instructions, so M converts
;       ticks to instructions (emulators.md: about 17.5 ticks per instruction, M about 17500).
;   BENCH cpuid ticks-per-exit N
;       TSC ticks per round trip of CPUID leaf 0, averaged over 100,000 (after 1,000 to warm
;       up), including the loop's own 3 instructions. N * 1000 / M is the number of hypervisor
;       plus guest instructions per exit in Bochs.
;   INFO cpuid_bench.calibration-ticks / cpuid-ticks   the raw 64-bit TSC deltas
;   PASS cpuid_bench.cpuid-leaf0   CPUID(0) reports at least leaf 1 (the exits were real CPUIDs)
%include "common.inc"

CAL_ITERATIONS   equ 100000
CAL_PER_ITER     equ 10
BENCH_ITERATIONS equ 100000
WARMUP           equ 1000

section .rodata
guest_name:     db "cpuid_bench", 0
str_cal:        db "BENCH calibration ticks-per-1000-instructions ", 0
str_cpuid:      db "BENCH cpuid ticks-per-exit ", 0
str_cal_raw:    db "cpuid_bench.calibration-ticks", 0
str_cpuid_raw:  db "cpuid_bench.cpuid-ticks", 0

section .bss
t0:         resd 2
delta:      resd 2
max_leaf:   resd 1

section .text
main:
    ; --- calibration: CAL_ITERATIONS * CAL_PER_ITER instructions ---
    call tsc_start
    mov ecx, CAL_ITERATIONS
align 16
.calibrate:
    nop
    nop
    nop
    nop
    nop
    nop
    nop
    nop
    dec ecx
    jnz .calibrate
    call tsc_stop
    mov esi, str_cal_raw
    call print_delta_info
    ; ticks per 1000 instructions = delta * 1000 / (CAL_ITERATIONS * CAL_PER_ITER)
    mov eax, [delta]
    mov edx, [delta + 4]
    mov ecx, CAL_ITERATIONS * CAL_PER_ITER / 1000
    call div64
    mov esi, str_cal
    call puts
    call put_dec64
    call newline

    ; --- CPUID(0) round trips ---
    mov esi, WARMUP
.warm:
    xor eax, eax
    cpuid
    dec esi
    jnz .warm
    call tsc_start
    mov esi, BENCH_ITERATIONS
align 16
.bench:
    xor eax, eax
    cpuid
    dec esi
    jnz .bench
    call tsc_stop
    mov [max_leaf], eax
    mov esi, str_cpuid_raw
    call print_delta_info
    mov eax, [delta]
    mov edx, [delta + 4]
    mov ecx, BENCH_ITERATIONS
    call div64
    mov esi, str_cpuid
    call puts
    call put_dec64
    call newline

    xor eax, eax
    cpuid
    EXPECT_RANGE "cpuid_bench.cpuid-leaf0", eax, 1, 0xFFFFFFFF
    ret

tsc_start:                            ; clobbers EAX, EDX
    rdtsc
    mov [t0], eax
    mov [t0 + 4], edx
    ret

tsc_stop:                             ; delta = TSC - t0; preserves EAX (the benchmark's last result)
    push eax
    push edx
    rdtsc
    sub eax, [t0]
    sbb edx, [t0 + 4]
    mov [delta], eax
    mov [delta + 4], edx
    pop edx
    pop eax
    ret

print_delta_info:                     ; "INFO <ESI> <delta>"
    call report_info
    push eax
    push edx
    mov eax, [delta]
    mov edx, [delta + 4]
    call put_dec64
    call newline
    pop edx
    pop eax
    ret

div64:                                ; EDX:EAX /= ECX (unsigned); clobbers nothing else
    push ebx
    mov ebx, eax
    mov eax, edx
    xor edx, edx
    div ecx
    xchg eax, ebx                     ; EBX = high quotient, EAX = low dividend
    div ecx
    mov edx, ebx
    pop ebx
    ret
