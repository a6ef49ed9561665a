#!/usr/bin/env bash
# exit-profile.sh [--qemu] [--skip N] [--keep DIR]
#
# Where the instructions of one CPUID round trip go (docs/virt.md, "Measured"). Boots build/esp
# (make image first) with only the cpuid_bench guest (tests/Guests), twice:
#   1. plainly: prints the guest's BENCH lines and learns where OVMF loaded the image;
#   2. under a debugger, with a breakpoint on the world switch's entry (hv_vmx_run / hv_svm_run:
#      one hit per guest entry), N hits skipped (default 1200: past the boot output and the
#      warm-up, inside the timed CPUID loop), then one round trip recorded instruction by
#      instruction up to the next hit.
# Default: Bochs, VMX. Its debugger traces the round trip (`trace on`); Bochs counts one tick per
# instruction, VM exit and VM entry included, and `ptime` around the round trip shows the count.
# BENCH there is already an instruction count.
# --qemu: QEMU TCG, SVM. gdb single-steps the round trip through QEMU's gdbstub (on a free
# 127.0.0.1 port; single steps run with interrupts masked). The plain run adds
# `-icount shift=0,sleep=off`, so its TSC counts instructions too and BENCH is comparable.
# Each recorded instruction is attributed to the function of build/obj/BOOTX64.map that holds it
# ("guest" outside the image). Output: the functions in order of execution with their instruction
# counts, then the totals per function. The map names managed methods
# Hypervisor_<namespace>_<class>__<method>; the assembly keeps its own labels.
#
# Needs: mtools, and bochs or qemu-system-x86 + gdb; a minute or two. --keep DIR keeps the files.
set -euo pipefail
export LC_ALL=C

me=exit-profile.sh
die() { echo "$me: $*" >&2; exit 125; }

root=$(cd "$(dirname "$0")/../.." && pwd)
skip=1200
keep=
emu=bochs
while [ $# -gt 0 ]; do
    case "$1" in
        --qemu) emu=qemu; shift;;
        --skip) [ $# -ge 2 ] || die "--skip needs a number"; skip=$2; shift 2;;
        --keep) [ $# -ge 2 ] || die "--keep needs a folder"; keep=$2; shift 2;;
        *) die "usage: $me [--qemu] [--skip N] [--keep DIR]";;
    esac
done
case "$skip" in ''|*[!0-9]*) die "--skip needs a number, got '$skip'";; esac
map=$root/build/obj/BOOTX64.map
[ -f "$map" ] && [ -d "$root/build/esp" ] || die "build/esp or $map missing: run make image"
[ "$emu" = bochs ] || command -v gdb >/dev/null || die "gdb not found (apt-get install gdb)"

if [ -n "$keep" ]; then mkdir -p "$keep"; work=$(cd "$keep" && pwd); else
    work=$(mktemp -d "${TMPDIR:-/tmp}/exit-profile.XXXXXX"); trap 'rm -rf "$work"' EXIT; fi
rm -rf "$work/esp"
cp -r "$root/build/esp" "$work/esp"
printf '[hypervisor]\non_exit = debug-exit\n\n[vm bench]\nmemory = 16M\nkernel = guests/cpuid_bench.elf\nloader = multiboot\n' >"$work/esp/hv.cfg"
bash "$root/tools/emu/mkimage.sh" "$work/esp" "$work/bench.img" >/dev/null

if [ "$emu" = bochs ]; then
    bash "$root/tools/emu/bochs.sh" --serial-file "$work/plain.log" "$work/bench.img" || die "the plain run failed (see $work/plain.log)"
    entry=hv_vmx_run
else
    bash "$root/tools/emu/qemu.sh" --serial-file "$work/plain.log" "$work/bench.img" -icount shift=0,sleep=off >/dev/null 2>&1 || true
    entry=hv_svm_run
fi
grep -a 'BENCH' "$work/plain.log" || die "no BENCH line (see $work/plain.log)"
base=$(grep -ao 'image at 0x[0-9a-f]*' "$work/plain.log" | head -n 1 | cut -d' ' -f3)
[ -n "$base" ] || die "no 'image at' line in the serial log"

# Map lines "SEG:OFF  NAME  VA  OBJ": code symbols (sections 1 = assembly, 5 = managed code), VA
# at the preferred base 0x140000000.
preferred=$((0x140000000))
entry_va=$(awk -v e="$entry" '$1 ~ /^0001:/ && $2 == e {print $3}' "$map")
[ -n "$entry_va" ] || die "$entry not in $map"
printf -v bp '0x%x' $(( base + 0x$entry_va - preferred ))

# Writes the linear addresses of one round trip's instructions, one hex number a line, to
# $work/addresses (in order; the first is the breakpoint, the next hit is not included).
if [ "$emu" = bochs ]; then
    {
        echo "pb $bp"
        for ((i = 0; i < skip; i++)); do echo c; done
        echo ptime; echo c; echo ptime
        echo "trace-reg off"; echo "trace on"; echo c; echo "trace off"; echo ptime
        echo quit
    } >"$work/cmds"
    bash "$root/tools/emu/bochs.sh" --debugger-commands "$work/cmds" --work-dir "$work/bochs" \
        --serial-file "$work/trace.log" "$work/bench.img" >/dev/null 2>&1 || true
    out=$work/bochs/bochs.out
    [ -f "$out" ] || die "no debugger output"
    # Trace lines "(0).[TICK] [0xPHYS] 0008:LINEAR (unk. ctxt): insn ; bytes", from "Tracing
    # enabled" to the next breakpoint (the debugger shows the instruction it stopped at in the
    # trace format too: that one belongs to the next round trip).
    awk '/^Tracing enabled/ { on = 1; next } /Breakpoint/ { on = 0 } on && /^\(0\)\.\[/' "$out" |
        sed -n 's/^.*0008:\([0-9a-f]*\) .*$/\1/p' >"$work/addresses"
else
    port=
    for p in $(seq $(( 20000 + RANDOM % 5000 )) 25999); do
        printf -v hexport '%04X' "$p"
        if ! grep -qi ":$hexport " /proc/net/tcp 2>/dev/null; then port=$p; break; fi
    done
    [ -n "$port" ] || die "no free port for the gdbstub"
    # `stepi` prints "0xADDRESS in ?? ()" for each instruction it stops at.
    cat >"$work/gdbcmds" <<EOF
set pagination off
set confirm off
target remote 127.0.0.1:$port
break *$bp
ignore 1 $skip
continue
set \$start = \$pc
stepi
while \$pc != \$start
stepi
end
kill
quit
EOF
    bash "$root/tools/emu/qemu.sh" --serial-file "$work/trace.log" "$work/bench.img" -gdb "tcp:127.0.0.1:$port" >/dev/null 2>&1 &
    qemu_pid=$!
    sleep 1
    timeout 600 gdb -batch -x "$work/gdbcmds" >"$work/gdb.out" 2>&1 || true
    kill "$qemu_pid" 2>/dev/null || true
    wait "$qemu_pid" 2>/dev/null || true
    # The breakpoint's own stops print as "Breakpoint 1, 0x... in ?? ()": the first is the round
    # trip's first instruction, the last the next round trip's; before the first, gdb reports
    # where it found the CPU when it attached.
    { printf '%x\n' "$bp"
      awk '/^Breakpoint 1, / { on = 1; next } on' "$work/gdb.out" |
          sed -n 's/^0x0*\([0-9a-f]*\) in .*$/\1/p'; } >"$work/addresses"
fi
[ -s "$work/addresses" ] || die "nothing recorded (see $work)"

# Rebase each address to the map's preferred base (fixed-width hex, so text order is address
# order), sort it with the symbols, and let each instruction take the last symbol at or below it.
image_end=$(( base + 0x2000000 ))
n=0
{
    awk '$1 ~ /^000[15]:/ && NF >= 3 {print $3 " S " $2}' "$map"
    while read -r linear; do
        n=$((n + 1))
        a=$((0x$linear))
        if (( a >= base && a < image_end )); then printf '%016x T %d\n' $(( a - base + preferred )) "$n"
        else printf 'ffffffffffffffff T %d guest\n' "$n"; fi
    done <"$work/addresses"
} | sort -k1,1 -k2,2 | awk '
    $2 == "S" { sym = $3; next }
    { print $3, ($4 == "guest" ? "guest" : sym) }' | sort -n >"$work/attributed"

echo "--- in order of execution (instructions, function)"
awk '{ if ($2 != last) { if (n) print n, last; last = $2; n = 0 } n++ } END { if (n) print n, last }' "$work/attributed"
echo "--- per function"
awk '{ c[$2]++ } END { for (f in c) print c[f], f }' "$work/attributed" | sort -rn
echo "--- total: $(wc -l <"$work/attributed") instructions in one round trip"
if [ "$emu" = bochs ]; then
    echo "--- Bochs ptime deltas (a round trip before tracing, the traced one):"
    grep -a '^ptime:' "$out" | awk '{ if (p) printf "%d ", $2 - p; p = $2 } END { print "" }'
fi
