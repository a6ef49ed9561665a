#!/usr/bin/env bash
# build.sh OUTDIR [STATUS|halt]: builds OUTDIR/esp/EFI/BOOT/BOOTX64.EFI from smoke.asm (reporting
# "HV: exit status STATUS", default 0; `halt`: prints "HV: halted" and hangs, like a panic) and
# the boot image OUTDIR/smoke.img. Then e.g.
#   tools/emu/qemu.sh OUTDIR/smoke.img      (exit code 2*STATUS+1)
#   tools/emu/bochs.sh OUTDIR/smoke.img     (exit code 0)
# Needs nasm and lld-link.
set -euo pipefail
here=$(cd "$(dirname -- "$0")" && pwd)
out=${1:?usage: build.sh OUTDIR [STATUS]}
status=${2:-0}
case "$status" in
    [0-9]) defs=(-DSTATUS="$status");;
    halt) defs=(-DHALT);;
    *) echo "build.sh: STATUS must be one digit or 'halt'" >&2; exit 2;;
esac
mkdir -p "$out/esp/EFI/BOOT"
nasm -f win64 "${defs[@]}" -o "$out/smoke.obj" "$here/smoke.asm"
lld-link /nologo /subsystem:efi_application /entry:EfiMain /nodefaultlib \
    /out:"$out/esp/EFI/BOOT/BOOTX64.EFI" "$out/smoke.obj"
"$here/../mkimage.sh" "$out/esp" "$out/smoke.img"
