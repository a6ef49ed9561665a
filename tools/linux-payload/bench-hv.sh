#!/usr/bin/env bash
# bench-hv.sh [--runs N] [--cmdline-extra "ARGS"]
#
# The issue-5 boot benchmark, side by side in one run: the payload of build/payload booted
# (1) directly by QEMU TCG (bench-direct.sh: q35, -cpu max, 256 MiB, 2 CPUs) and
# (2) by the hypervisor as a VM (256 MiB, 2 vCPUs) in the same QEMU (TCG, -cpu EPYC: SVM),
# alternating, N runs each (default 3). Times are wall clock from QEMU's start to the init's
# first line "HV-LINUX: init" on the serial port; for the hypervisor also from the line where
# the hypervisor creates the VM ("vm linux: 256 MiB") to init, which leaves out OVMF and the
# hypervisor's own start. Medians are printed as
#   BENCH direct_init_ms=  hv_init_ms=  hv_vm_to_init_ms=  ratio_total=  ratio_vm=
# and the VM's exit counts by reason (the hypervisor's stop report) of the last run.
# Needs: make image-with-payload (build/hv.img's boot folder build/esp with guests/linux).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=3
extra=""
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs=$2; shift 2;;
        --cmdline-extra) extra=$2; shift 2;;
        *) echo "bench-hv.sh: unknown option $1" >&2; exit 125;;
    esac
done
esp=$root/build/esp
[ -f "$esp/guests/linux/bzImage" ] || { echo "bench-hv.sh: no payload in $esp (make image-with-payload)" >&2; exit 125; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$esp" "$work/esp"
cat > "$work/esp/hv.cfg" <<CFG
[hypervisor]
on_exit = debug-exit

[vm linux]
memory = 256M
vcpus = 2
kernel = guests/linux/bzImage
initrd = guests/linux/initrd.img
cmdline = console=ttyS0 no_timer_check hv.mode=test $extra
devices = uart
CFG
bash "$root/tools/emu/mkimage.sh" "$work/esp" "$work/hv.img" >/dev/null

now_ms() { date +%s%3N; }
# Runs the hypervisor once; prints "total_ms vm_to_init_ms".
hv_run() {
    local log=$work/hv.log start vm="" init="" t
    : > "$log"
    start=$(now_ms)
    bash "$root/tools/emu/qemu.sh" --serial-file "$log" --smp 2 "$work/hv.img" >/dev/null 2>&1 &
    local pid=$!
    while kill -0 $pid 2>/dev/null; do
        t=$(now_ms)
        [ -z "$vm" ] && grep -q "vm linux: 256 MiB" "$log" && vm=$t
        if [ -z "$init" ] && grep -q "HV-LINUX: init" "$log"; then init=$t; fi
        [ $((t - start)) -gt 300000 ] && { kill $pid; break; }
        sleep 0.05
    done
    wait $pid 2>/dev/null || true
    [ -n "$init" ] && [ -n "$vm" ] || { echo "bench-hv.sh: the VM did not reach init" >&2; tail -5 "$log" >&2; exit 1; }
    cp "$log" "$work/last-hv.log"
    echo "$((init - start)) $((init - vm))"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

: > "$work/direct"; : > "$work/hv"; : > "$work/vm"
for i in $(seq 1 "$runs"); do
    d=$(bash "$here/bench-direct.sh" --runs 1 ${extra:+--cmdline-extra "$extra"} 2>/dev/null | sed -n 's/.*BENCH direct_tcg_init_ms=\([0-9]*\).*/\1/p')
    [ -n "$d" ] || { echo "bench-hv.sh: direct boot failed" >&2; exit 1; }
    read -r h v < <(hv_run)
    echo "run $i: direct ${d} ms, hypervisor ${h} ms (VM created -> init ${v} ms)"
    echo "$d" >> "$work/direct"; echo "$h" >> "$work/hv"; echo "$v" >> "$work/vm"
done
d=$(median < "$work/direct"); h=$(median < "$work/hv"); v=$(median < "$work/vm")
echo "BENCH direct_init_ms=$d hv_init_ms=$h hv_vm_to_init_ms=$v ratio_total=$(awk -v a="$h" -v b="$d" 'BEGIN { printf "%.2f", a / b }') ratio_vm=$(awk -v a="$v" -v b="$d" 'BEGIN { printf "%.2f", a / b }')"
grep "vm linux stopped" "$work/last-hv.log" || true
