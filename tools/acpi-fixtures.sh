#!/usr/bin/env bash
# acpi-fixtures.sh [--no-build] [--keep] [CONFIG...]
#
# Captures the ACPI tables that QEMU + OVMF give a guest, as unit-test fixtures in
# tests/Unit/Acpi/Fixtures/CONFIG/: SIG.bin per table (RSDP.bin, XSDT.bin, APIC.bin, FACP.bin,
# DSDT.bin, ...; a repeated signature gets SIG-2.bin) and tables.txt ("NAME ADDRESS LENGTH" per
# table, so tests can put each table back at its physical address). It builds the image (make
# image), boots a copy of build/esp whose hv.cfg says `acpi_dump = yes` (kernel/Acpi/AcpiDump.cs
# prints every table as "ACPIDUMP SIG OFFSET HEX" lines) and turns those lines back into bytes.
#
# CONFIG (default: all):
#   q35-intel-iommu   -smp 4, -device intel-iommu,intremap=on  (DMAR; TCG needs no split irqchip)
#   q35-amd-iommu     -smp 2, -device amd-iommu                (IVRS)
#
# Bochs is not captured: OVMF in Bochs has no fw_cfg, so it installs no ACPI tables (RSDP 0).
# --no-build skips `make image`; --keep leaves the work folder (boot copy, image, serial log).
# Needs what `make` needs (QEMU, OVMF, mtools). Takes ~3-5 s per config (QEMU 7.2 TCG).
set -euo pipefail
export LC_ALL=C

root=$(cd "$(dirname "$0")/.." && pwd)
die() { echo "acpi-fixtures.sh: $*" >&2; exit 1; }

build=1
keep=0
configs=()
while [ $# -gt 0 ]; do
    case "$1" in
        --no-build) build=0; shift;;
        --keep) keep=1; shift;;
        -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0;;
        -*) die "unknown option '$1'";;
        *) configs+=("$1"); shift;;
    esac
done
[ ${#configs[@]} -gt 0 ] || configs=(q35-intel-iommu q35-amd-iommu)

# The QEMU arguments of a config: qemu.sh options, then "--", then extra QEMU arguments.
config_args() {
    case "$1" in
        q35-intel-iommu) echo "--smp 4 -- -device intel-iommu,intremap=on";;
        q35-amd-iommu) echo "--smp 2 -- -device amd-iommu";;
        *) return 1;;
    esac
}
for c in "${configs[@]}"; do config_args "$c" >/dev/null || die "unknown config '$c' (q35-intel-iommu, q35-amd-iommu)"; done

if [ "$build" = 1 ]; then
    make -C "$root" --no-print-directory image
fi
[ -f "$root/build/esp/EFI/BOOT/BOOTX64.EFI" ] || die "build/esp has no BOOTX64.EFI (run make image)"

work=$(mktemp -d "${TMPDIR:-/tmp}/acpi-fixtures.XXXXXX")
if [ "$keep" = 1 ]; then echo "work folder: $work"; else trap 'rm -rf "$work"' EXIT; fi

mkdir "$work/esp"
cp -r "$root/build/esp/." "$work/esp/"
printf '[hypervisor]\nacpi_dump = yes\non_exit = debug-exit\n' >"$work/esp/hv.cfg"
bash "$root/tools/emu/mkimage.sh" "$work/esp" "$work/hv.img"

# Writes the tables of one serial log into DIR: "ACPIDUMP SIG at ADDR length N" opens a table,
# "ACPIDUMP SIG OFFSET HEX" lines carry its bytes in order.
extract() {
    local log=$1 dir=$2 name offset hex expect=0 file=""
    check() {
        [ -z "$file" ] || [ "$(stat -c %s "$file")" -eq "$expect" ] ||
            die "$(basename "$file"): $(stat -c %s "$file") bytes dumped, its header said $expect"
    }
    while read -r _ name offset hex; do
        if [ "$offset" = "at" ]; then
            check
            file=""
            case "$hex" in *" length "*) ;; *) echo "acpi-fixtures: skipped: $name at $hex" >&2; continue;; esac
            expect=${hex##* }
            file="$dir/$name.bin"
            echo "$name ${hex%% *} $expect" >>"$dir/tables.txt"
            : >"$file"
            continue
        fi
        case "$offset" in ''|*[!0-9a-f]*) continue;; esac
        [ -n "$file" ] && [ "$(basename "$file" .bin)" = "$name" ] || die "data line for $name outside its table"
        [ $((16#$offset)) -eq "$(stat -c %s "$file")" ] || die "$name: offset $offset out of sequence"
        printf '%b' "$(echo "$hex" | sed 's/../\\x&/g')" >>"$file"
    done < <(tr -d '\r' <"$log" | sed -n 's/^.*\(ACPIDUMP .*\)$/\1/p' | grep -v '^ACPIDUMP end:')
    check
    grep -q 'ACPIDUMP end:' "$log" || die "the dump did not finish (see $log)"
}

for c in "${configs[@]}"; do
    read -r -a args <<<"$(config_args "$c")"
    sep=0
    for i in "${!args[@]}"; do [ "${args[$i]}" = "--" ] && sep=$i; done
    opts=("${args[@]:0:$sep}")
    extra=("${args[@]:$((sep + 1))}")
    log="$work/$c.log"
    echo "acpi-fixtures: booting $c: qemu.sh ${opts[*]} IMG ${extra[*]}"
    rc=0
    timeout 180 bash "$root/tools/emu/qemu.sh" --serial-file "$log" "${opts[@]}" "$work/hv.img" "${extra[@]}" \
        >"$work/$c.qemu.out" 2>&1 </dev/null || rc=$?
    # The dump comes early in the boot; what the kernel does after it does not matter here, but
    # a QEMU exit other than isa-debug-exit status 0 ((0 << 1) | 1) is worth a note.
    if ! grep -q 'ACPIDUMP end:' "$log"; then
        cat "$work/$c.qemu.out" >&2
        tail -20 "$log" >&2
        die "$c: no complete ACPIDUMP in the serial log (QEMU exit code $rc)"
    fi
    [ "$rc" = 1 ] || echo "acpi-fixtures: note: $c: QEMU exited with $rc, not 1 (the dump is complete)" >&2
    dir="$root/tests/Unit/Acpi/Fixtures/$c"
    rm -rf "$dir"
    mkdir -p "$dir"
    extract "$log" "$dir"
    grep 'ACPIDUMP end:' "$log" | tr -d '\r' | sed 's/^.*ACPIDUMP /acpi-fixtures: /'
    grep ' acpi: ' "$log" | tr -d '\r' | sed 's/^/  /'
    (cd "$dir" && for f in *.bin; do printf '  %-10s %6d bytes\n' "$f" "$(stat -c %s "$f")"; done)
done
