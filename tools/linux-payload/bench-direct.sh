#!/usr/bin/env bash
# bench-direct.sh [--runs N] [--smp N] [--mem MIB] [--cmdline-extra "ARGS"] [--log-dir DIR]
#                 [--kernel FILE] [--initrd FILE] [--insns] [-- extra qemu args...]
#
# Baseline for the Linux guest benchmark (docs/linux-guest.md): boots the payload of
# tools/linux-payload/build.sh DIRECTLY in QEMU (TCG, no firmware disk, no hypervisor) with
# hv.mode=test, and measures wall time from QEMU's start to
#   init      the initramfs's first line "HV-LINUX: init ..." (the kernel has reached /init)
#   poweroff  QEMU's exit after the guest's ACPI power-off
# plus the guest's own uptime at init (kernel clock). The same kernel and initramfs booted by
# the hypervisor give the other half of the ratio.
#
# Machine: q35, -cpu max, 256 MiB, 2 CPUs, -nodefaults (no NIC, no VGA: closer to our VMs'
# device set), COM1 on stdio, -no-reboot. SeaBIOS loads the kernel (-kernel: QEMU's linuxboot
# option ROM); it takes about 0.1-0.2 s of the total.
#
# Output: one line per run, then lines "BENCH key=value" (medians, milliseconds) for scripts:
#   BENCH direct_tcg_init_ms=...  direct_tcg_poweroff_ms=...  guest_uptime_at_init_ms=...
#   BENCH qemu_cpu_ms=...  (QEMU's user+sys CPU time for the whole run: steadier than wall time
#   when other processes share the machine)
# --insns: one more run with the TCG plugin insncount.c (compiled with cc into the log dir) on
# a single TCG thread: "BENCH direct_tcg_insns=N", the guest instructions of all vCPUs from
# power-on to power-off. Unlike wall time it does not depend on the host's load.
# Each run's full serial log: DIR/run-N.log (default build/payload/bench). Exit status 1 when
# a run fails (no init marker, no power-off, wrong CPU count); 125 on bad usage.
# Environment: HV_QEMU (binary, default qemu-system-x86_64), HV_BENCH_TIMEOUT (s, default 120).
set -euo pipefail
me=bench-direct
die() { echo "$me: $*" >&2; exit 125; }

here=$(cd "$(dirname -- "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=3 smp=2 mem=256 extra= logdir=$root/build/payload/bench insns=0
kernel=$root/build/payload/vmlinuz initrd=$root/build/payload/initrd.img
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs=$2; shift 2;;
        --smp) smp=$2; shift 2;;
        --mem) mem=$2; shift 2;;
        --cmdline-extra) extra=$2; shift 2;;
        --log-dir) logdir=$2; shift 2;;
        --kernel) kernel=$2; shift 2;;
        --initrd) initrd=$2; shift 2;;
        --insns) insns=1; shift;;
        --) shift; break;;
        -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0;;
        *) die "unknown argument '$1'";;
    esac
done
for n in "$runs" "$smp" "$mem"; do
    case "$n" in ''|*[!0-9]*|0) die "--runs, --smp and --mem need positive numbers";; esac
done
[ -f "$kernel" ] && [ -f "$initrd" ] || die "no payload ('$kernel', '$initrd'): run 'make payload'"
qemu=${HV_QEMU:-qemu-system-x86_64}
command -v "$qemu" >/dev/null || die "'$qemu' not found (apt-get install qemu-system-x86)"
timeout_s=${HV_BENCH_TIMEOUT:-120}
mkdir -p "$logdir"
cmdline="console=ttyS0 hv.mode=test${extra:+ $extra}"

# ms_since T0: milliseconds from T0 (an $EPOCHREALTIME value) to now. No fork per line.
us() { local t=${1/./}; echo $((10#$t)); }
ms_since() { echo $(( ($(us "$EPOCHREALTIME") - $(us "$1")) / 1000 )); }

echo "$me: $qemu -machine q35 -accel tcg -cpu max -m $mem -smp $smp, append '$cmdline', $runs run(s)"
inits=() offs=() ups=() cpus_ms=() failed=0
for i in $(seq 1 "$runs"); do
    log=$logdir/run-$i.log
    t0=$EPOCHREALTIME
    t_init= t_off= up= cpus=
    # Lines of the serial console as they come; QEMU exits at the guest's power-off.
    rm -f "$log.tmp"
    while IFS= read -r line; do
        line=${line%$'\r'}
        printf '%s\n' "$line" >>"$log.tmp"
        case "$line" in
            *"HV-LINUX: init uptime="*) t_init=$(ms_since "$t0"); up=${line##*uptime=}; up=${up%%[!0-9.]*} ;;
            *"HV-LINUX: cpus "*) cpus=${line##*nproc=}; cpus=${cpus%% *} ;;
        esac
    # `time` writes QEMU's CPU time (user sys, all its threads) to $log.cpu: unlike wall time it
    # does not grow when other processes share the cores.
    done < <(TIMEFORMAT='%U %S'
             { time timeout "$timeout_s" "$qemu" -machine q35 -accel tcg -cpu max -m "$mem" -smp "$smp" \
                 -nodefaults -display none -serial stdio -monitor none -no-reboot \
                 -kernel "$kernel" -initrd "$initrd" -append "$cmdline" "$@" </dev/null 2>&1; } 2>"$log.cpu"
             rc=$?; echo; echo "QEMU-EXIT $rc")
    t_off=$(ms_since "$t0")
    read -r cu cs <"$log.cpu" || true
    cpu_ms=$(awk -v u="${cu:-0}" -v s="${cs:-0}" 'BEGIN { printf "%d", (u + s) * 1000 }')
    mv -f "$log.tmp" "$log"
    rc=$(sed -n 's/^QEMU-EXIT //p' "$log" | tail -n 1)
    ok=1
    [ -n "$t_init" ] || { echo "$me: run $i: no 'HV-LINUX: init' line (log: $log)" >&2; ok=0; }
    grep -q 'HV-LINUX: poweroff$' "$log" && [ "$rc" = 0 ] ||
        { echo "$me: run $i: no clean power-off (QEMU status $rc; log: $log)" >&2; ok=0; }
    [ "$cpus" = "$smp" ] || { echo "$me: run $i: guest saw ${cpus:-no} CPUs, expected $smp" >&2; ok=0; }
    if [ "$ok" = 0 ]; then failed=1; continue; fi
    up_ms=$(awk -v u="$up" 'BEGIN { printf "%d", u * 1000 }')
    echo "$me: run $i: init ${t_init} ms, poweroff ${t_off} ms (guest uptime at init ${up_ms} ms, QEMU CPU time ${cpu_ms} ms)"
    inits+=("$t_init") offs+=("$t_off") ups+=("$up_ms") cpus_ms+=("$cpu_ms")
done

if [ "$insns" = 1 ]; then
    command -v cc >/dev/null || die "--insns needs a C compiler (apt-get install gcc)"
    plugin=$logdir/insncount.so
    cc -O2 -shared -fPIC -o "$plugin" "$here/insncount.c" || die "cannot build $here/insncount.c"
    n=$(timeout "$timeout_s" "$qemu" -machine q35 -accel tcg,thread=single -cpu max -m "$mem" -smp "$smp" \
            -nodefaults -display none -serial "file:$logdir/insns.log" -monitor none -no-reboot \
            -plugin "$plugin" -kernel "$kernel" -initrd "$initrd" -append "$cmdline" "$@" </dev/null 2>&1 |
        sed -n 's/^INSNCOUNT //p')
    if [ -n "$n" ] && grep -q 'HV-LINUX: poweroff' "$logdir/insns.log"; then
        echo "BENCH direct_tcg_insns=$n (all vCPUs, power-on to power-off, one TCG thread)"
    else
        echo "$me: the instruction-count run failed (log: $logdir/insns.log)" >&2
        failed=1
    fi
fi

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
if [ "${#inits[@]}" -gt 0 ]; then
    echo "BENCH direct_tcg_init_ms=$(median "${inits[@]}")"
    echo "BENCH direct_tcg_poweroff_ms=$(median "${offs[@]}")"
    echo "BENCH guest_uptime_at_init_ms=$(median "${ups[@]}")"
    echo "BENCH qemu_cpu_ms=$(median "${cpus_ms[@]}")"
    echo "BENCH runs=${#inits[@]} smp=$smp mem_mib=$mem"
fi
exit "$failed"
