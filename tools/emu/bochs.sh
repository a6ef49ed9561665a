#!/usr/bin/env bash
# bochs.sh [--serial-file LOG | --serial-stdio] [--smp N] [--work-dir DIR] [--vnc] [--debugger-commands FILE] IMG
#
# Boots IMG (a raw FAT volume from tools/emu/mkimage.sh) with OVMF in Bochs 2.7:
# corei7_skylake_x (VMX with EPT and unrestricted guest), i440fx, 512 MiB, headless,
# COM1 to LOG or to stdout (default: stdout).
#
# Exit status: 0 when the guest ended the run by writing "Shutdown" to port 0x8900 (Bochs
# itself then exits 1 with a ">>PANIC<< Shutdown port" line; that is the normal end);
# otherwise Bochs's own exit status (1 if it was 0), after printing why to stderr.
# 125: bad usage or missing files.
#
# How it runs Bochs, and why:
#   - The bochsrc and a debugger command file holding `c` go to a work directory (a fresh temp
#     dir removed at exit, or --work-dir DIR, kept: bochsrc, bochs.log, bochs.out, disk.img).
#     The Debian build has the internal debugger; without `-rc` it stops at the first instruction.
#     --debugger-commands FILE replaces `c` (breakpoints, `trace on`, `ptime`...: the debugger's
#     output goes to bochs.out; tools/emu/exit-profile.sh uses it).
#   - IMG is copied into the work directory: Bochs locks its disk image (IMG.lock, left behind
#     when Bochs is killed), so two runs on one image would fail. The copy also keeps IMG unchanged.
#   - The display is `rfb` (the only headless choice here); it listens on TCP 5900, or the next
#     free port up to 5949, on ALL interfaces with no password. So Bochs runs inside a private
#     network namespace (`unshare -rn`) when the kernel allows it: no exposed port, no port clash
#     between parallel runs. --vnc skips that, to watch the screen with a VNC viewer.
#   - Clock: `sync=none` and a fixed `time0` make runs deterministic (emulated time follows the
#     instruction count, HV_BOCHS_IPS instructions per emulated second).
#   - A triple fault ends the run (reset_on_triple_fault=0, panic is fatal) instead of rebooting.
#   - The disk gets an explicit CHS geometry that covers the whole image exactly (Bochs's
#     default 16 heads x 63 sectors would cut the tail of a 32 MiB image).
#
# Bochs SMP: the Debian build has SMP support ("SMP support: yes, quantum=16" in its log);
# --smp N sets `cpu: count=1:N:1` (one package of N cores, as CPUID then reports; firmware without
# ACPI tables leaves CPUID as the only way to know how many CPUs there are). The CPUs share one host thread, so N CPUs run N times slower each.
#
# Environment: HV_OVMF (default /usr/share/ovmf/OVMF.fd), HV_BOCHS_VGABIOS (default
# /usr/share/seabios/vgabios-stdvga.bin), HV_BOCHS (binary), HV_BOCHS_CPU (default
# corei7_skylake_x), HV_BOCHS_MEM (MiB, default 512), HV_BOCHS_IPS (default 50000000: about the
# real speed here, so emulated time is close to wall time).
#
# Timings on the CI machine kind (Bochs 2.7, 2 cores, one run at a time unless said):
#   OVMF start to the EFI app's first serial line:   ~7.5-8.5 s wall (tools/emu/smoke, the hypervisor)
#   the smoke app with --smp 2, two runs side by side: ~12 s wall each
#   hypervisor with selftest = yes, no VMs, to exit:  ~12 s wall
#   OVMF with no bootable app, to the UEFI shell:     ~8.8 s wall
#
# Bochs drops what is still in the emulated UART when the simulation ends: a guest must wait
# for LSR.TEMT (bit 6 of port 0x3fd) before it writes "Shutdown" to port 0x8900, or its last
# line is cut (seen: "HV: exit status 0" without its CR LF).
set -euo pipefail

me=bochs.sh
die() { echo "$me: $*" >&2; exit 125; }
usage() {
    sed -n '2,2s/^# //p' "$0" >&2
    exit 125
}

serial_mode=stdio
serial_file=
smp=1
work=
vnc=0
dbg_cmds=
while [ $# -gt 0 ]; do
    case "$1" in
        --serial-file) [ $# -ge 2 ] || usage; serial_mode=file; serial_file=$2; shift 2;;
        --serial-stdio) serial_mode=stdio; shift;;
        --smp) [ $# -ge 2 ] || usage; smp=$2; shift 2;;
        --work-dir) [ $# -ge 2 ] || usage; work=$2; shift 2;;
        --vnc) vnc=1; shift;;
        --debugger-commands) [ $# -ge 2 ] || usage; dbg_cmds=$2; shift 2;;
        -h|--help) usage;;
        -*) die "unknown option '$1'";;
        *) break;;
    esac
done
[ $# -eq 1 ] || usage
img=$1

case "$smp" in ''|*[!0-9]*|0) die "--smp needs a positive number, got '$smp'";; esac
[ -f "$img" ] || die "image '$img' not found (make image, or tools/emu/mkimage.sh ESPDIR IMG)"
bochs=${HV_BOCHS:-bochs}
command -v "$bochs" >/dev/null || die "'$bochs' not found (apt-get install bochs bochsbios)"
ovmf=${HV_OVMF:-/usr/share/ovmf/OVMF.fd}
[ -f "$ovmf" ] || die "OVMF firmware '$ovmf' not found (apt-get install ovmf, or set HV_OVMF)"
vgabios=${HV_BOCHS_VGABIOS:-/usr/share/seabios/vgabios-stdvga.bin}
[ -f "$vgabios" ] || die "VGA BIOS '$vgabios' not found (apt-get install seabios)"
ips=${HV_BOCHS_IPS:-50000000}
mem=${HV_BOCHS_MEM:-512}

# CHS geometry covering the image exactly: 16 heads, the largest sectors-per-track that divides.
bytes=$(stat -c %s -- "$img")
[ $(( bytes % (16 * 512) )) -eq 0 ] || die "image size $bytes is not a multiple of 8 KiB"
sectors=$(( bytes / 512 ))
for spt in 63 32 16 8 4 2 1; do
    [ $(( sectors % (16 * spt) )) -ne 0 ] || break
done
cylinders=$(( sectors / (16 * spt) ))

if [ -n "$work" ]; then
    mkdir -p "$work"
    work=$(cd "$work" && pwd)
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/bochs.XXXXXX")
    trap 'rm -rf "$work"' EXIT
fi
if [ "$serial_mode" = file ]; then
    : >"$serial_file" || die "cannot write serial log '$serial_file'"
    serial_dev=$(cd "$(dirname -- "$serial_file")" && pwd)/$(basename -- "$serial_file")
else
    # Bochs's own stdout carries its banner and debugger chatter: it goes to bochs.out, and
    # COM1 gets this script's stdout through fd 3.
    exec 3>&1
    serial_dev=/dev/fd/3
fi

rm -f "$work/disk.img" "$work/disk.img.lock"
cp --reflink=auto --sparse=always -- "$img" "$work/disk.img"

cat >"$work/bochsrc" <<EOF
romimage: file="$ovmf", address=0xffe00000
vgaromimage: file="$vgabios"
cpu: model=${HV_BOCHS_CPU:-corei7_skylake_x}, count=1:$smp:1, ips=$ips, reset_on_triple_fault=0
memory: guest=$mem, host=$mem
pci: enabled=1, chipset=i440fx
display_library: rfb, options="timeout=0"
sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy
speaker: enabled=0
mouse: enabled=0
magic_break: enabled=0
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-master: type=disk, path="$work/disk.img", mode=flat, cylinders=$cylinders, heads=16, spt=$spt
boot: disk
com1: enabled=1, mode=file, dev="$serial_dev"
clock: sync=none, time0=946684800
log: "$work/bochs.log"
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
EOF
if [ -n "$dbg_cmds" ]; then
    cp -- "$dbg_cmds" "$work/cmds" || die "cannot read debugger commands '$dbg_cmds'"
else
    echo c >"$work/cmds"
fi

prefix=()
if [ "$vnc" = 0 ] && command -v unshare >/dev/null && unshare -rn true 2>/dev/null; then
    prefix=(unshare -rn)
elif [ "$vnc" = 0 ]; then
    echo "$me: note: cannot make a private network namespace; the rfb display listens on" \
         "port 5900+ of all interfaces for this run" >&2
fi

# Bochs runs as a child (not exec) so its log can be read afterwards. Background jobs of a
# script ignore SIGINT; stop Bochs when this script is told to stop.
cd "$work"
"${prefix[@]}" "$bochs" -q -f "$work/bochsrc" -rc "$work/cmds" </dev/null >"$work/bochs.out" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; exit 130' INT TERM HUP
set +e
wait $pid
rc=$?
trap - INT TERM HUP

if grep -q 'Shutdown port: shutdown requested' "$work/bochs.log" 2>/dev/null; then
    exit 0
fi
{
    echo "$me: Bochs ended (exit status $rc) without the guest's shutdown request."
    sed -n '/Bochs is exiting with the following message/,/^=====/p' "$work/bochs.out" | grep -v '^====='
    grep -E '>>PANIC<<|\]e\[' "$work/bochs.log" 2>/dev/null | tail -n 20
    if [ -f "$work/bochs.log" ]; then
        echo "$me: last lines of the Bochs log:"
        tail -n 20 "$work/bochs.log"
    else
        tail -n 20 "$work/bochs.out"
    fi
} >&2
[ "$rc" -ne 0 ] || rc=1
exit "$rc"
