#!/usr/bin/env bash
# bench-bochs-direct.sh [--smp N] [--mem MIB] [--cmdline-extra "ARGS"] [--work-dir DIR]
#
# Boots the payload of tools/linux-payload/build.sh DIRECTLY in Bochs (no hypervisor), with
# hv.mode=test, and reports wall times from Bochs' start (docs/linux-guest.md):
#   loader    SYSLINUX's banner on COM1 (it then reads vmlinuz and initrd.img through the BIOS)
#   kernel    the kernel's first console line "Linux version" (none with `quiet`)
#   init      the initramfs's first line "HV-LINUX: init"
#   poweroff  "HV-LINUX: poweroff"; then Bochs exits at the ACPI S5 write
# "kernel -> init" is the number to compare with a boot under the hypervisor in Bochs.
#
# Bochs cannot load a bzImage itself, and OVMF under Bochs has no ACPI tables (no fw_cfg), so
# the kernel would boot without MADT/FADT (one CPU, no ACPI power-off). This script uses Bochs'
# own BIOS instead (BIOS-bochs-latest: ACPI tables with MADT, FADT, HPET; PIIX4 PM) and
# SYSLINUX (Debian's syslinux + syslinux-common, fetched with apt-get download into the payload
# cache, not installed) on a FAT image made by tools/emu/mkimage.sh.
#
# Machine: corei7_skylake_x, i440fx, 256 MiB, N CPUs (default 2), ips=50M, clock sync=none,
# COM1 to a file polled every 0.1 s (the times are +-0.1 s). Output lines "BENCH key=value"
# (milliseconds), wall time and Bochs' CPU time at each marker (the CPU time is the number to
# trust when other processes share the machine: wall time then grows, CPU time hardly). Exit status 1 when the boot fails or times out (HV_BENCH_TIMEOUT, default
# 900 s); 125 on bad usage. Keeps the work dir (bochsrc, bochs.log, serial.log) with --work-dir.
set -euo pipefail
me=bench-bochs-direct
die() { echo "$me: $*" >&2; exit 125; }

here=$(cd "$(dirname -- "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
smp=2 mem=256 extra= work=
payload=$root/build/payload
while [ $# -gt 0 ]; do
    case "$1" in
        --smp) smp=$2; shift 2;;
        --mem) mem=$2; shift 2;;
        --cmdline-extra) extra=$2; shift 2;;
        --work-dir) work=$2; shift 2;;
        -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0;;
        *) die "unknown argument '$1'";;
    esac
done
for n in "$smp" "$mem"; do
    case "$n" in ''|*[!0-9]*|0) die "--smp and --mem need positive numbers";; esac
done
[ -f "$payload/vmlinuz" ] && [ -f "$payload/initrd.img" ] || die "no payload in $payload: run 'make payload'"
command -v bochs >/dev/null || die "'bochs' not found (apt-get install bochs bochsbios)"
bios=/usr/share/bochs/BIOS-bochs-latest
vgabios=${HV_BOCHS_VGABIOS:-/usr/share/seabios/vgabios-stdvga.bin}
[ -f "$bios" ] || die "'$bios' not found (apt-get install bochsbios)"
[ -f "$vgabios" ] || die "'$vgabios' not found (apt-get install seabios)"
timeout_s=${HV_BENCH_TIMEOUT:-900}
cmdline="console=ttyS0 hv.mode=test${extra:+ $extra}"

if [ -n "$work" ]; then
    rm -rf "$work"; mkdir -p "$work"; work=$(cd "$work" && pwd)
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/bochs-linux.XXXXXX")
    trap 'rm -rf "$work"' EXIT
fi

# SYSLINUX from Debian, extracted into the payload's .deb cache.
cache=${HV_PAYLOAD_CACHE:-${XDG_CACHE_HOME:-${HOME:-$root/build}/.cache}/hv-linux-payload}
sl=$cache/syslinux
if [ ! -x "$sl/usr/bin/syslinux" ] || [ ! -f "$sl/usr/lib/syslinux/modules/bios/ldlinux.c32" ]; then
    mkdir -p "$sl"
    sandbox=()
    [ "$(id -u)" != 0 ] || sandbox=(-o APT::Sandbox::User=root)
    if ! (cd "$cache" && apt-get download -q "${sandbox[@]}" syslinux syslinux-common </dev/null >/dev/null 2>&1); then
        [ "$(id -u)" = 0 ] && apt-get update -q </dev/null >/dev/null 2>&1 || true
        (cd "$cache" && apt-get download -q "${sandbox[@]}" syslinux syslinux-common </dev/null >/dev/null) ||
            die "apt-get download syslinux syslinux-common failed"
    fi
    for f in "$cache"/syslinux_*.deb "$cache"/syslinux-common_*.deb; do dpkg-deb -x "$f" "$sl"; done
fi

# Boot volume: kernel, initrd, syslinux.cfg; SYSLINUX's boot sector and ldlinux.sys/.c32.
mkdir -p "$work/esp"
cp "$payload/vmlinuz" "$payload/initrd.img" "$work/esp/"
# SERIAL: SYSLINUX prints its banner on COM1 (the "loader" marker, before it reads the files).
cat >"$work/esp/syslinux.cfg" <<EOF
SERIAL 0 115200
DEFAULT linux
PROMPT 0
TIMEOUT 0
LABEL linux
  LINUX vmlinuz
  INITRD initrd.img
  APPEND $cmdline
EOF
bash "$root/tools/emu/mkimage.sh" "$work/esp" "$work/disk.img"
"$sl/usr/bin/syslinux" --install "$work/disk.img" || die "syslinux --install failed"

bytes=$(stat -c %s "$work/disk.img")
sectors=$(( bytes / 512 ))
for spt in 63 32 16 8 4 2 1; do [ $(( sectors % (16 * spt) )) -ne 0 ] || break; done
cat >"$work/bochsrc" <<EOF
romimage: file="$bios"
vgaromimage: file="$vgabios"
cpu: model=corei7_skylake_x, count=1:$smp:1, ips=50000000, reset_on_triple_fault=0
memory: guest=$mem, host=$mem
pci: enabled=1, chipset=i440fx
display_library: rfb, options="timeout=0"
sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy
speaker: enabled=0
mouse: enabled=0
magic_break: enabled=0
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-master: type=disk, path="$work/disk.img", mode=flat, cylinders=$(( sectors / (16 * spt) )), heads=16, spt=$spt
boot: disk
com1: enabled=1, mode=file, dev="$work/serial.log"
clock: sync=none, time0=946684800
log: "$work/bochs.log"
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
EOF
echo c >"$work/cmds"
: >"$work/serial.log"

prefix=()
if command -v unshare >/dev/null && unshare -rn true 2>/dev/null; then prefix=(unshare -rn); fi
echo "$me: bochs corei7_skylake_x, $smp CPU(s), $mem MiB, append '$cmdline'"
us() { local t=${1/./}; echo $((10#$t)); }
t0=$EPOCHREALTIME
# Bash's `time` reports the CPU time of Bochs (waited for by timeout): unlike wall time, it does
# not grow when other processes share the machine's two cores.
(cd "$work" && TIMEFORMAT='%U %S' && { time timeout "$timeout_s" "${prefix[@]}" bochs -q -f "$work/bochsrc" -rc "$work/cmds" \
    </dev/null >"$work/bochs.out" 2>&1; } 2>"$work/cputime") &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; exit 130' INT TERM HUP
# Bochs' own CPU time at each marker (from /proc/PID/stat): steadier than wall time when other
# processes share the cores. Bochs is the process whose command line names this bochsrc.
hz=$(getconf CLK_TCK)
bochs_pid=
find_bochs() {
    local f
    for f in /proc/[0-9]*/cmdline; do
        if tr '\0' ' ' 2>/dev/null <"$f" | grep -q -e "^bochs.* -f $work/bochsrc" -e "/bochs.* -f $work/bochsrc"; then
            f=${f#/proc/}; bochs_pid=${f%/cmdline}; return 0
        fi
    done
    return 1
}
cpu_ms() {
    local s
    [ -n "$bochs_pid" ] || find_bochs || { echo "?"; return; }
    s=$(cat "/proc/$bochs_pid/stat" 2>/dev/null) || { echo "?"; return; }
    s=${s##*) }
    set -- $s
    echo $(( (${12} + ${13}) * 1000 / hz ))
}
t_loader= t_kernel= t_init= t_off= c_loader= c_kernel= c_init= c_off=
while kill -0 "$pid" 2>/dev/null; do
    now=$(( ($(us "$EPOCHREALTIME") - $(us "$t0")) / 1000 ))
    if [ -z "$t_loader" ] && grep -q -a 'SYSLINUX' "$work/serial.log"; then
        t_loader=$now c_loader=$(cpu_ms)
    fi
    if [ -z "$t_kernel" ] && grep -q -a 'Linux version' "$work/serial.log"; then
        t_kernel=$now c_kernel=$(cpu_ms)
    fi
    if [ -z "$t_init" ] && grep -q -a 'HV-LINUX: init' "$work/serial.log"; then
        t_init=$now c_init=$(cpu_ms)
    fi
    if [ -z "$t_off" ] && grep -q -a 'HV-LINUX: poweroff' "$work/serial.log"; then
        t_off=$now c_off=$(cpu_ms)
    fi
    sleep 0.1
done
wait "$pid" || true
t_end=$(( ($(us "$EPOCHREALTIME") - $(us "$t0")) / 1000 ))
trap - INT TERM HUP

grep -a 'HV-LINUX: \(init\|cpus\|memtotal\|done\)' "$work/serial.log" | tr -d '\r' | sed "s/^/$me: guest: /"
if [ -z "$t_init" ] || ! grep -q 'ACPI control: soft power off' "$work/bochs.log"; then
    echo "$me: the boot did not reach init and an ACPI power-off; last serial lines:" >&2
    tail -n 15 "$work/serial.log" | tr -d '\r' >&2
    grep -E '>>PANIC<<' "$work/bochs.log" | tail -n 3 >&2 || true
    exit 1
fi
echo "BENCH bochs_loader_ms=${t_loader:-?} bochs_cpu_at_loader_ms=${c_loader:-?}"
if [ -n "$t_kernel" ]; then
    echo "BENCH bochs_kernel_ms=$t_kernel bochs_cpu_at_kernel_ms=$c_kernel"
    echo "BENCH bochs_kernel_to_init_ms=$(( t_init - t_kernel ))"
    case "$c_kernel$c_init" in *'?'*) ;; *) echo "BENCH bochs_cpu_kernel_to_init_ms=$(( c_init - c_kernel ))" ;; esac
else
    # `quiet`: the kernel prints no "Linux version" line; the loader marker is the last one.
    echo "$me: no 'Linux version' line (quiet?): times from the SYSLINUX banner include loading the files"
fi
echo "BENCH bochs_init_ms=$t_init bochs_cpu_at_init_ms=$c_init"
echo "BENCH bochs_poweroff_ms=${t_off:-$t_end} bochs_cpu_at_poweroff_ms=${c_off:-?}"
echo "BENCH bochs_exit_ms=$t_end smp=$smp mem_mib=$mem"
read -r cpu_user cpu_sys <"$work/cputime" || true
echo "BENCH bochs_cpu_s=${cpu_user:-?}+${cpu_sys:-?} (user+sys of the whole run; wall/cpu > 1 means the cores were shared)"
