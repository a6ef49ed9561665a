#!/usr/bin/env bash
# qemu.sh [--serial-file LOG | --serial-stdio] [--smp N] [--kvm] IMG [extra qemu args...]
#
# Boots IMG (a raw FAT volume from tools/emu/mkimage.sh) with OVMF in QEMU: q35, 1 GiB,
# headless, COM1 to LOG or to stdout (default: stdout), isa-debug-exit at port 0xf4.
# The exit code is QEMU's: (N << 1) | 1 when the guest writes N to port 0xf4, 0 when QEMU
# itself is asked to quit, other values on QEMU errors.
#
#   default  -accel tcg -cpu EPYC: AMD SVM with nested paging under TCG (no VMX in TCG).
#   --kvm    -accel kvm -cpu host: for physical machines with nested virtualization enabled.
#            Checks /dev/kvm and the host's vmx/svm flags first. Not usable on this project's
#            CI machines (see docs/emulators.md: /dev/kvm there is a paravirtual PVM module).
#
# The disk is attached with snapshot=on: the image is never written, and several QEMU (or
# Bochs) runs may share one image. -nodefaults (plus -vga std) drops the default NIC, whose
# iPXE ROM would add a network boot attempt, and the empty CD-ROM OVMF would try first.
# With --serial-stdio the terminal is the guest console multiplexed with the QEMU monitor:
# Ctrl-A x quits, Ctrl-A c switches to the monitor, Ctrl-C goes to the guest.
#
# Environment: HV_OVMF (firmware, default /usr/share/ovmf/OVMF.fd), HV_QEMU (binary),
# HV_QEMU_CPU (TCG CPU model, default EPYC), HV_QEMU_MEM (MiB, default 1024).
#
# Timings on the CI machine kind (QEMU 7.2 TCG, 2 cores, one run at a time):
#   OVMF start to the EFI app's first serial line:   ~2.5-2.9 s wall (tools/emu/smoke, the hypervisor)
#   whole smoke run (app reports CPU, debug-exit):    ~2.7 s wall
#   hypervisor with selftest = yes, no VMs, to exit:  ~3.3 s wall
#   OVMF with no bootable app, to the UEFI shell:     ~2.6 s wall (then a 5 s startup.nsh countdown)
set -euo pipefail

die() { echo "qemu.sh: $*" >&2; exit 125; }
usage() {
    sed -n '2,2s/^# //p' "$0" >&2
    exit 125
}

serial=(-serial mon:stdio)
smp=1
kvm=0
while [ $# -gt 0 ]; do
    case "$1" in
        --serial-file) [ $# -ge 2 ] || usage; serial=(-serial "file:$2"); shift 2;;
        --serial-stdio) serial=(-serial mon:stdio); shift;;
        --smp) [ $# -ge 2 ] || usage; smp=$2; shift 2;;
        --kvm) kvm=1; shift;;
        -h|--help) usage;;
        --) shift; break;;
        -*) die "unknown option '$1' (qemu options go after IMG)";;
        *) break;;
    esac
done
[ $# -ge 1 ] || usage
img=$1
shift

case "$smp" in ''|*[!0-9]*|0) die "--smp needs a positive number, got '$smp'";; esac
[ -f "$img" ] || die "image '$img' not found (make image, or tools/emu/mkimage.sh ESPDIR IMG)"

qemu=${HV_QEMU:-qemu-system-x86_64}
command -v "$qemu" >/dev/null || die "'$qemu' not found (apt-get install qemu-system-x86)"
ovmf=${HV_OVMF:-/usr/share/ovmf/OVMF.fd}
[ -f "$ovmf" ] || die "OVMF firmware '$ovmf' not found (apt-get install ovmf, or set HV_OVMF)"

if [ "$kvm" = 1 ]; then
    [ -e /dev/kvm ] || die "--kvm: /dev/kvm does not exist (no KVM on this host; run without --kvm for TCG)"
    [ -r /dev/kvm ] && [ -w /dev/kvm ] ||
        die "--kvm: /dev/kvm is not readable and writable by $(id -un) (add the user to group 'kvm')"
    if [ -d /sys/module/kvm_pvm ]; then
        echo "qemu.sh: warning: /dev/kvm is provided by the paravirtual 'kvm_pvm' module; it cannot" \
             "run a stock firmware guest (expect 'KVM internal error ... emulation failure')." \
             "See docs/emulators.md; use TCG (no --kvm)." >&2
    fi
    if ! grep -q -w -E 'vmx|svm' /proc/cpuinfo; then
        die "--kvm: the host CPU shows neither 'vmx' nor 'svm' in /proc/cpuinfo, so a guest under
    -cpu host gets no hardware virtualization and the hypervisor has nothing to run on.
    Enable nested virtualization (kvm_intel nested=1 / kvm_amd nested=1) or run without --kvm (TCG)."
    fi
    accel=(-accel kvm -cpu host)
else
    accel=(-accel tcg -cpu "${HV_QEMU_CPU:-EPYC}")
fi

exec "$qemu" \
    -machine q35 \
    -nodefaults -vga std \
    "${accel[@]}" \
    -smp "$smp" \
    -m "${HV_QEMU_MEM:-1024}" \
    -bios "$ovmf" \
    -drive "file=${img//,/,,},format=raw,if=ide,snapshot=on" \
    -display none \
    -monitor none \
    -no-reboot \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    "${serial[@]}" \
    "$@"
