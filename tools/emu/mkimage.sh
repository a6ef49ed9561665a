#!/usr/bin/env bash
# mkimage.sh ESPDIR IMG [SIZE_MB]
#
# Writes IMG: a raw FAT16 volume (no partition table) holding the files of ESPDIR
# (EFI/BOOT/BOOTX64.EFI, hv.cfg, guests/...). OVMF mounts an unpartitioned FAT volume as the
# whole disk, in QEMU (-drive format=raw) and in Bochs (ata0-master mode=flat).
#
# Deterministic: the same ESPDIR contents give the same bytes.
#   - fixed volume serial (12345678) and label (HVBOOT);
#   - every file and directory gets the timestamp 2000-01-01 00:00:00 (FAT cannot store 1970);
#   - directories are made and files copied one at a time in byte-sorted (LC_ALL=C) path order,
#     so directory entries and cluster allocation do not depend on readdir order;
#   - the volume-label directory entry, which mformat stamps with the current time, is patched.
# ESPDIR is not modified (a staging copy gets the fixed timestamps).
#
# SIZE_MB defaults to 32 (or $HV_IMG_SIZE_MB); it grows automatically when the files need more.
# Needs: mtools, coreutils. Exit status nonzero on any error; never prompts.
set -euo pipefail
export LC_ALL=C

die() { echo "mkimage.sh: $*" >&2; exit 1; }

[ $# -ge 2 ] && [ $# -le 3 ] || die "usage: mkimage.sh ESPDIR IMG [SIZE_MB]"
esp=$1
img=$2
size_mb=${3:-${HV_IMG_SIZE_MB:-32}}

[ -d "$esp" ] || die "'$esp' is not a directory"
case "$size_mb" in ''|*[!0-9]*) die "SIZE_MB must be a number, got '$size_mb'";; esac
for t in mformat mcopy mmd; do
    command -v "$t" >/dev/null || die "'$t' not found (apt-get install mtools)"
done

stamp='2000-01-01 00:00:00 UTC'
# FAT time/date words for 2000-01-01 00:00:00: time 0; date ((2000-1980)<<9)|(1<<5)|1 = 0x2821.
fat_time_le='\x00\x00'
fat_date_le='\x21\x28'

work=$(mktemp -d "${TMPDIR:-/tmp}/mkimage.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Staging copy: the timestamps we set must not touch the caller's folder. Symlinks are followed.
mkdir "$work/esp"
cp -rL "$esp/." "$work/esp/"

# Grow the volume when the payload (plus FAT and slack) does not fit.
payload_kb=$(du -sk --apparent-size "$work/esp" | cut -f1)
need_mb=$(( (payload_kb * 11 / 10) / 1024 + 4 ))
[ "$need_mb" -le "$size_mb" ] || size_mb=$need_mb
[ "$size_mb" -ge 16 ] || size_mb=16
[ "$size_mb" -le 2000 ] || die "payload too large for FAT16 (${size_mb} MiB needed)"

# FAT16 holds 4085..65524 clusters: choose the smallest power-of-two cluster that fits.
sectors=$(( size_mb * 2048 ))
cluster=1
while [ $(( sectors / cluster )) -gt 65000 ]; do cluster=$(( cluster * 2 )); done

tmpimg="$work/out.img"
truncate -s "$(( sectors * 512 ))" "$tmpimg"
# -T total sectors, -h/-s nominal geometry (no partition table, so hidden sectors = 0),
# -c sectors per cluster, -r root directory sectors (32 = 512 entries), -N serial, -v label.
mformat -i "$tmpimg" -T "$sectors" -h 64 -s 32 -c "$cluster" -r 32 -N 12345678 -v HVBOOT :: \
    </dev/null >/dev/null

# Patch the volume-label entry's creation/access/write stamps (bytes 13..25 of the entry).
# Root directory offset = (reserved + nfats * sectors_per_fat) * bytes_per_sector.
u16() { od -An -tu2 -j "$1" -N2 "$tmpimg" | tr -d ' '; }
u8() { od -An -tu1 -j "$1" -N1 "$tmpimg" | tr -d ' '; }
bps=$(u16 11); reserved=$(u16 14); nfats=$(u8 16); spf=$(u16 22)
rootdir=$(( (reserved + nfats * spf) * bps ))
for i in $(seq 0 15); do
    ent=$(( rootdir + i * 32 ))
    attr=$(u8 $(( ent + 11 )))
    first=$(u8 "$ent")
    [ "$first" -ne 0 ] || break
    if [ $(( attr & 0x08 )) -ne 0 ] && [ "$attr" -ne 15 ]; then
        # 13: ctime tenths, 14-15 ctime, 16-17 cdate, 18-19 adate, 20-21 cluster hi, 22-23 wtime, 24-25 wdate
        printf "\x00${fat_time_le}${fat_date_le}${fat_date_le}\x00\x00${fat_time_le}${fat_date_le}" |
            dd of="$tmpimg" bs=1 seek=$(( ent + 13 )) conv=notrunc status=none
        break
    fi
done

# Directories first (parents before children), then files, each in sorted order.
(cd "$work/esp" && find . -mindepth 1 -type d -print | sort) >"$work/dirs"
(cd "$work/esp" && find . -mindepth 1 -type f -print | sort) >"$work/files"
if (cd "$work/esp" && find . -mindepth 1 ! -type d ! -type f -print | grep -q .); then
    die "'$esp' holds entries that are neither files nor directories"
fi
find "$work/esp" -exec touch -h -d "$stamp" {} +

# An empty directory copied with -s -m keeps its fixed timestamp (mmd would stamp "now").
mkdir "$work/empty"
while IFS= read -r d; do
    d=${d#./}
    name=${d##*/}
    parent=
    case "$d" in */*) parent=${d%/*};; esac
    rm -rf "$work/empty/$name"
    mkdir "$work/empty/$name"
    touch -d "$stamp" "$work/empty/$name"
    mcopy -i "$tmpimg" -s -m -Q -D o "$work/empty/$name" "::/$parent" </dev/null
    rm -rf "$work/empty/$name"
done <"$work/dirs"

while IFS= read -r f; do
    f=${f#./}
    mcopy -i "$tmpimg" -m -Q -D o "$work/esp/$f" "::/$f" </dev/null
done <"$work/files"

mkdir -p "$(dirname -- "$img")"
mv -f "$tmpimg" "$img"
