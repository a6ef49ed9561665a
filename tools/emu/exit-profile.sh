#!/usr/bin/env bash
# exit-profile.sh [--skip N] [--keep DIR]
#
# Where the instructions of one CPUID round trip go under VMX (docs/virt.md, "Measured"). Boots
# build/esp (make image first) in Bochs with only the cpuid_bench guest (tests/Guests), twice:
#   1. plainly: prints the guest's BENCH lines and learns where OVMF loaded the image;
#   2. under the Bochs debugger: a breakpoint on hv_vmx_run (one hit per guest entry), N hits
#      skipped (default 1200: past the boot output and the warm-up, inside the timed CPUID
#      loop), then `ptime` around one round trip and `trace on` for the next one.
# Bochs counts one tick per instruction (VM exit and VM entry included), so the trace is the
# round trip. Each traced instruction is attributed to the function of build/obj/BOOTX64.map
# that holds it ("guest" outside the image). Output: the functions in order of execution with
# their instruction counts, then the totals per function, then the ptime deltas.
# The map names managed methods Hypervisor_<namespace>_<class>__<method>; the assembly keeps its
# own labels (hv_vmx_run, hv_vmx_exit...).
#
# Needs: bochs (tools/emu/bochs.sh), mtools; about a minute. --keep DIR keeps the runs' files.
set -euo pipefail
export LC_ALL=C

me=exit-profile.sh
die() { echo "$me: $*" >&2; exit 125; }

root=$(cd "$(dirname "$0")/../.." && pwd)
skip=1200
keep=
while [ $# -gt 0 ]; do
    case "$1" in
        --skip) [ $# -ge 2 ] || die "--skip needs a number"; skip=$2; shift 2;;
        --keep) [ $# -ge 2 ] || die "--keep needs a folder"; keep=$2; shift 2;;
        *) die "usage: $me [--skip N] [--keep DIR]";;
    esac
done
case "$skip" in ''|*[!0-9]*) die "--skip needs a number, got '$skip'";; esac
map=$root/build/obj/BOOTX64.map
[ -f "$map" ] && [ -d "$root/build/esp" ] || die "build/esp or $map missing: run make image"

if [ -n "$keep" ]; then mkdir -p "$keep"; work=$(cd "$keep" && pwd); else
    work=$(mktemp -d "${TMPDIR:-/tmp}/exit-profile.XXXXXX"); trap 'rm -rf "$work"' EXIT; fi
rm -rf "$work/esp"
cp -r "$root/build/esp" "$work/esp"
printf '[hypervisor]\non_exit = debug-exit\n\n[vm bench]\nmemory = 16M\nkernel = guests/cpuid_bench.elf\nloader = multiboot\n' >"$work/esp/hv.cfg"
bash "$root/tools/emu/mkimage.sh" "$work/esp" "$work/bench.img" >/dev/null

bash "$root/tools/emu/bochs.sh" --serial-file "$work/plain.log" "$work/bench.img" || die "the plain run failed (see $work/plain.log)"
grep -a 'BENCH' "$work/plain.log" || true
base=$(grep -ao 'image at 0x[0-9a-f]*' "$work/plain.log" | head -n 1 | cut -d' ' -f3)
[ -n "$base" ] || die "no 'image at' line in the serial log"

# Map lines "SEG:OFF  NAME  VA  OBJ": code symbols (sections 1 = assembly, 5 = managed code), VA
# at the preferred base 0x140000000.
preferred=$((0x140000000))
run_va=$(awk '$1 ~ /^0001:/ && $2 == "hv_vmx_run" {print $3}' "$map")
[ -n "$run_va" ] || die "hv_vmx_run not in $map"
printf -v bp '0x%x' $(( base + 0x$run_va - preferred ))
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

# Trace lines: "(0).[TICK] [0xPHYS] 0008:LINEAR (unk. ctxt): insn ; bytes". Rebase each linear
# address to the map's preferred base (fixed-width hex, so text order is address order), sort it
# with the symbols, and let each instruction take the last symbol at or below it.
image_end=$(( base + 0x2000000 ))
n=0
{
    awk '$1 ~ /^000[15]:/ && NF >= 3 {print $3 " S " $2}' "$map"
    # From "Tracing enabled" to the next breakpoint (the debugger shows the instruction it stopped
    # at in the trace format too: that one belongs to the next round trip).
    awk '/^Tracing enabled/ { on = 1; next } /Breakpoint/ { on = 0 } on && /^\(0\)\.\[/' "$out" |
    sed -n 's/^.*0008:\([0-9a-f]*\) .*$/\1/p' | while read -r linear; do
        n=$((n + 1))
        a=$((0x$linear))
        if (( a >= base && a < image_end )); then printf '%016x T %d\n' $(( a - base + preferred )) "$n"
        else printf 'ffffffffffffffff T %d guest\n' "$n"; fi
    done
} | sort -k1,1 -k2,2 | awk '
    $2 == "S" { sym = $3; next }
    { print $3, ($4 == "guest" ? "guest" : sym) }' | sort -n >"$work/attributed"

echo "--- in order of execution (instructions, function)"
awk '{ if ($2 != last) { if (n) print n, last; last = $2; n = 0 } n++ } END { if (n) print n, last }' "$work/attributed"
echo "--- per function"
awk '{ c[$2]++ } END { for (f in c) print c[f], f }' "$work/attributed" | sort -rn
echo "--- total traced: $(wc -l <"$work/attributed") instructions"
echo "--- ptime deltas (round trips before and while tracing):"
grep -a '^ptime:' "$out" | awk '{ if (p) printf "%d ", $2 - p; p = $2 } END { print "" }'
