#!/usr/bin/env bash
# build.sh [--force] [--out DIR]
#
# Builds the default Linux guest payload from Debian packages (docs/linux-guest.md):
#   OUT/vmlinuz       the stock Debian cloud kernel (bzImage) of linux-image-cloud-amd64
#   OUT/initrd.img    newc cpio, gzip: busybox-static, /init (tools/linux-payload/init), the
#                     hv.mode scripts, and the virtio modules with their dependencies
#   OUT/config        the kernel's build configuration (for reference)
#   OUT/manifest.txt  package versions, .deb and output SHA-256s, module load order
# OUT defaults to build/payload. hvbuild copies vmlinuz and initrd.img to the boot volume as
# guests/linux/bzImage and guests/linux/initrd.img when they exist.
#
# How: `apt-get download` (no install) of the metapackage's real linux-image-*-cloud-amd64
# package and of busybox-static, `dpkg-deb -x` into a temp dir. The .debs are cached
# (HV_PAYLOAD_CACHE, default ~/.cache/hv-linux-payload) and checked against the SHA256 of apt's
# package lists. Nothing is installed on the host. When apt's lists are missing, or a download
# fails because they are stale, it runs `apt-get update` once (root needed) and retries.
#
# Idempotent: OUT/.inputs records what the outputs were made from (package versions and
# hashes, these scripts, the module list); when that is unchanged and the outputs exist it
# prints "payload up to date" and exits. When apt cannot be asked at all (no lists, not
# root, no network) and outputs exist, it keeps them with a warning.
# Reproducible: fixed timestamps, owner 0:0, sorted entries, GNU cpio --reproducible and
# gzip -n give the same initrd bytes for the same packages (busybox cpio is the fallback
# when GNU cpio is missing; its archives hold host inode numbers).
#
# Environment:
#   HV_PAYLOAD_CACHE  .deb cache folder
#   HV_LINUX_PACKAGE  kernel package: a metapackage whose Depends names the real image
#                     (default linux-image-cloud-amd64) or a real linux-image-* package
#   HV_LINUX_MODULES  modules to include (default: virtio_pci virtio_blk virtio_net
#                     virtio_console virtio_rng); built-in ones are skipped, dependencies added
#   HV_INITRD_COMPRESS  gzip (default) or none
# Needs: apt-get, apt-cache, dpkg-deb, gzip, coreutils, findutils, awk; cpio (GNU) preferred.
# Non-interactive; exit status nonzero with a "payload: ..." message on any failure.
set -euo pipefail
export LC_ALL=C
me=payload

die() { echo "$me: error: $*" >&2; exit 1; }
note() { echo "$me: $*"; }

here=$(cd "$(dirname -- "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/build/payload
force=0
while [ $# -gt 0 ]; do
    case "$1" in
        --force) force=1; shift;;
        --out) [ $# -ge 2 ] || die "--out needs a folder"; out=$2; shift 2;;
        -h|--help) sed -n '2,35p' "$0" | sed 's/^# \{0,1\}//'; exit 0;;
        *) die "unknown argument '$1' (usage: build.sh [--force] [--out DIR])";;
    esac
done
mkdir -p "$out"
out=$(cd "$out" && pwd)

cache=${HV_PAYLOAD_CACHE:-${XDG_CACHE_HOME:-${HOME:-$root/build}/.cache}/hv-linux-payload}
meta=${HV_LINUX_PACKAGE:-linux-image-cloud-amd64}
want_modules=${HV_LINUX_MODULES:-virtio_pci virtio_blk virtio_net virtio_console virtio_rng}
compress=${HV_INITRD_COMPRESS:-gzip}
case "$compress" in gzip|none) ;; *) die "HV_INITRD_COMPRESS must be gzip or none, got '$compress'";; esac

for t in apt-get apt-cache dpkg-deb gzip sha256sum find sort awk; do
    command -v "$t" >/dev/null || die "'$t' not found: this tool needs a Debian (or derived) host with apt and dpkg"
done
mkdir -p "$cache" || die "cannot create the .deb cache '$cache' (set HV_PAYLOAD_CACHE)"

outputs=("$out/vmlinuz" "$out/initrd.img" "$out/manifest.txt")
have_outputs() { local f; for f in "${outputs[@]}"; do [ -s "$f" ] || return 1; done; }

# ---- apt ---------------------------------------------------------------------------------
updated=0
apt_log=$(mktemp "${TMPDIR:-/tmp}/payload-apt.XXXXXX")
tmp=
cleanup() { rm -f "$apt_log"; [ -z "$tmp" ] || rm -rf "$tmp"; }
trap cleanup EXIT

# apt_update: refreshes apt's package lists, once per run. Third-party sources that cannot be
# reached make apt-get update exit nonzero although Debian's lists did update, so its status
# is not fatal here: the retry that follows tells.
apt_update() {
    [ "$updated" = 0 ] || return 1
    updated=1
    if [ "$(id -u)" != 0 ]; then
        echo "$me: apt's package lists are missing or stale, and 'apt-get update' needs root" >&2
        return 1
    fi
    note "apt-get update (package lists missing or stale)"
    if ! DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null >"$apt_log" 2>&1; then
        grep -E '^(E|W):' "$apt_log" | sed "s/^/$me:   apt: /" >&2 || true
        note "apt-get update reported errors (see above); trying with what it fetched"
    fi
    return 0
}

# field PKG NAME: field NAME of the candidate version's record in apt's lists (empty if none).
record=
field() { printf '%s\n' "$record" | sed -n "s/^$1: //p" | head -n 1; }
load_record() { record=$(apt-cache show --no-all-versions "$1" 2>/dev/null || true); }

# resolve: sets kpkg kver karch ksha bver barch bsha from apt's lists.
resolve() {
    load_record "$meta"
    [ -n "$record" ] || return 1
    case "$meta" in
        linux-image-[0-9]*) kpkg=$meta ;;
        *)
            kpkg=$(field Depends | tr ',|' '\n\n' | sed 's/^ *//; s/ .*//' | grep -E '^linux-image-[0-9].*' | head -n 1 || true)
            [ -n "$kpkg" ] || die "'$meta' depends on no linux-image-<version> package (Depends: $(field Depends))"
            load_record "$kpkg"
            [ -n "$record" ] || return 1
            ;;
    esac
    kver=$(field Version); karch=$(field Architecture); ksha=$(field SHA256)
    load_record busybox-static
    [ -n "$record" ] || return 1
    bver=$(field Version); barch=$(field Architecture); bsha=$(field SHA256)
    [ -n "$kver" ] && [ -n "$ksha" ] && [ -n "$bver" ] && [ -n "$bsha" ] ||
        die "apt's records for $kpkg / busybox-static lack Version or SHA256"
}

# deb_path PKG VERSION ARCH: the file name apt-get download writes (':' of an epoch -> %3a).
deb_path() { echo "$cache/$1_${2//:/%3a}_$3.deb"; }

# fetch PKG VERSION ARCH SHA256: makes sure the cache holds that exact .deb.
fetch() {
    local f
    f=$(deb_path "$1" "$2" "$3")
    if [ -f "$f" ] && [ "$(sha256sum <"$f" | cut -d' ' -f1)" = "$4" ]; then
        return 0
    fi
    rm -f "$f"
    note "apt-get download $1=$2"
    local sandbox=()
    # As root apt downloads as user _apt, which cannot write into a cache under /root.
    [ "$(id -u)" != 0 ] || sandbox=(-o APT::Sandbox::User=root)
    if ! (cd "$cache" && apt-get download -q "${sandbox[@]}" "$1=$2" </dev/null >"$apt_log" 2>&1); then
        return 1
    fi
    [ -f "$f" ] || die "apt-get download $1=$2 succeeded but '$f' is not there"
    [ "$(sha256sum <"$f" | cut -d' ' -f1)" = "$4" ] || { rm -f "$f"; die "$f: SHA-256 differs from apt's lists"; }
}

apt_fail() {
    echo "$me: $1" >&2
    [ -s "$apt_log" ] && sed "s/^/$me:   apt: /" "$apt_log" | tail -n 15 >&2
    if have_outputs; then
        echo "$me: warning: keeping the existing payload in $out (could not check it against apt)" >&2
        exit 0
    fi
    die "no payload built. Needs Debian 12 (bookworm) 'main' in apt's sources and a reachable mirror; as root run 'apt-get update' and retry"
}

if ! resolve; then
    apt_update || apt_fail "apt knows no package '$meta' or busybox-static"
    resolve || apt_fail "apt knows no package '$meta' or busybox-static, even after apt-get update"
fi

# ---- up to date? -------------------------------------------------------------------------
# inputs_of: what the outputs are made from; OUT/.inputs holds it for the last build.
inputs_of() {
    echo "kernel $kpkg $kver $ksha"
    echo "busybox $bver $bsha"
    echo "modules $want_modules"
    echo "compress $compress"
    (cd "$here" && sha256sum build.sh init mode-*)
}
inputs=$(inputs_of)
if [ "$force" = 0 ] && have_outputs && [ -f "$out/.inputs" ] && [ "$(cat "$out/.inputs")" = "$inputs" ]; then
    note "payload up to date ($kpkg $kver, busybox $bver): $out"
    exit 0
fi

if ! { fetch "$kpkg" "$kver" "$karch" "$ksha" && fetch busybox-static "$bver" "$barch" "$bsha"; }; then
    # Stale lists name versions the mirror no longer has: refresh, resolve again, retry.
    apt_update || apt_fail "apt-get download failed"
    resolve || apt_fail "apt knows no package '$meta' or busybox-static after apt-get update"
    fetch "$kpkg" "$kver" "$karch" "$ksha" && fetch busybox-static "$bver" "$barch" "$bsha" ||
        apt_fail "apt-get download failed, even after apt-get update"
    inputs=$(inputs_of)
fi
kdeb=$(deb_path "$kpkg" "$kver" "$karch")
bdeb=$(deb_path busybox-static "$bver" "$barch")

# ---- extract -----------------------------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/payload.XXXXXX")
note "extracting $kpkg $kver and busybox-static $bver"
dpkg-deb -x "$kdeb" "$tmp/kernel" || die "dpkg-deb -x $kdeb failed"
dpkg-deb -x "$bdeb" "$tmp/busybox" || die "dpkg-deb -x $bdeb failed"

vmlinuz=$(find "$tmp/kernel/boot" -maxdepth 1 -name 'vmlinuz-*' 2>/dev/null | head -n 1 || true)
[ -n "$vmlinuz" ] || die "$kpkg has no boot/vmlinuz-*"
krel=${vmlinuz##*/vmlinuz-}
kconfig=$tmp/kernel/boot/config-$krel
[ -f "$kconfig" ] || die "$kpkg has no boot/config-$krel"
moddir=$(find "$tmp/kernel/lib/modules" "$tmp/kernel/usr/lib/modules" -maxdepth 1 -name "$krel" -type d 2>/dev/null | head -n 1 || true)
[ -n "$moddir" ] || die "$kpkg has no lib/modules/$krel"
grep -q '^CONFIG_BLK_DEV_INITRD=y' "$kconfig" || die "kernel $krel has no initramfs support"
if [ "$compress" = gzip ]; then
    grep -q '^CONFIG_RD_GZIP=y' "$kconfig" || die "kernel $krel cannot unpack a gzip initramfs (set HV_INITRD_COMPRESS=none)"
fi
bb=$tmp/busybox/bin/busybox
[ -x "$bb" ] || die "busybox-static has no executable bin/busybox"

# ---- modules: built-in or .ko, dependencies first ----------------------------------------
# Module names use '_' where file names may use '-' (virtio-rng.ko is module virtio_rng).
declare -A ko_of=() state=()
while IFS= read -r f; do
    n=${f##*/}; n=${n%%.ko*}; n=${n//-/_}
    ko_of[$n]=${f#"$moddir"/}
done < <(find "$moddir/kernel" -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.zst' -o -name '*.ko.gz' | sort)
declare -A builtin=()
if [ -f "$moddir/modules.builtin" ]; then
    while IFS= read -r f; do
        n=${f##*/}; n=${n%%.ko*}; builtin[${n//-/_}]=1
    done <"$moddir/modules.builtin"
fi

# ko_file NAME: the module's .ko in the staging tree, decompressed (busybox insmod reads plain
# ELF only, and the guest need not spend time decompressing).
order=()
stage=$tmp/root
stage_mod=$stage/lib/modules/$krel
ko_depends() { tr '\0' '\n' <"$1" | { grep -a -m 1 '^depends=' || true; } | cut -d= -f2 | tr ',' ' '; }
stage_ko() {
    local rel=${ko_of[$1]} dst
    dst=$stage_mod/${rel%.xz}; dst=${dst%.zst}; dst=${dst%.gz}
    mkdir -p "$(dirname -- "$dst")"
    case "$rel" in
        *.ko) cp "$moddir/$rel" "$dst" ;;
        *.ko.xz) command -v xz >/dev/null || die "$rel is xz-compressed and xz is missing (apt-get install xz-utils)"
                 xz -dc "$moddir/$rel" >"$dst" ;;
        *.ko.zst) command -v zstd >/dev/null || die "$rel is zstd-compressed and zstd is missing (apt-get install zstd)"
                  zstd -qdc "$moddir/$rel" >"$dst" ;;
        *.ko.gz) gzip -dc "$moddir/$rel" >"$dst" ;;
    esac
    echo "${dst#"$stage_mod"/}"
}
declare -A staged=()
visit() {
    local n=$1 d
    case "${state[$n]:-}" in
        done) return 0 ;;
        busy) die "module dependency cycle through $n" ;;
    esac
    if [ -n "${builtin[$n]:-}" ]; then state[$n]=done; return 0; fi
    [ -n "${ko_of[$n]:-}" ] || die "module '$n' is neither built into $krel nor one of its modules"
    state[$n]=busy
    staged[$n]=$(stage_ko "$n")
    for d in $(ko_depends "$stage_mod/${staged[$n]}"); do visit "$d"; done
    state[$n]=done
    order+=("$n")
}
mkdir -p "$stage_mod"
builtin_wanted=()
for m in $want_modules; do
    m=${m//-/_}
    if [ -n "${builtin[$m]:-}" ]; then builtin_wanted+=("$m"); fi
    visit "$m"
done

# ---- initramfs tree ----------------------------------------------------------------------
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,run,root,mnt,etc/hv}
cp "$bb" "$stage/bin/busybox"
while IFS= read -r applet; do
    [ "$applet" = bin/busybox ] && continue
    mkdir -p "$stage/$(dirname -- "$applet")"
    ln -sf /bin/busybox "$stage/$applet"
done < <("$bb" --list-full)
[ -L "$stage/bin/sh" ] || die "busybox has no sh applet"
install -m 0755 "$here/init" "$stage/init"
for f in "$here"/mode-*; do install -m 0755 "$f" "$stage/etc/hv/${f##*/}"; done
: >"$stage/etc/hv/modules"
for n in "${order[@]}"; do echo "${staged[$n]}" >>"$stage/etc/hv/modules"; done
for f in modules.builtin modules.order; do
    [ -f "$moddir/$f" ] && cp "$moddir/$f" "$stage_mod/$f"
done
# modules.dep for interactive use of modprobe (the busybox applet's own depmod).
"$bb" depmod -b "$stage" "$krel" || die "busybox depmod failed"
echo "hv-linux" >"$stage/etc/hostname"
echo "root:x:0:0:root:/root:/bin/sh" >"$stage/etc/passwd"
echo "root:x:0:" >"$stage/etc/group"
chmod 0700 "$stage/root"
chmod 1777 "$stage/tmp"
# /dev/console: the kernel opens it for init's stdio before /init mounts devtmpfs. The
# kernel's built-in initramfs has one too; this one is for kernels built without it.
if [ "$(id -u)" = 0 ]; then mknod -m 0600 "$stage/dev/console" c 5 1; fi

# ---- cpio --------------------------------------------------------------------------------
find "$stage" -exec touch -h -d '2000-01-01 00:00:00 UTC' {} +
initrd_tmp=$out/.initrd.img.tmp
cpio_out() {
    if command -v cpio >/dev/null && cpio --help 2>/dev/null | grep -q -- --reproducible; then
        (cd "$stage" && find . -mindepth 1 | sort | cpio --quiet -o -H newc -R 0:0 --reproducible)
    else
        note "GNU cpio not found: using busybox cpio (the archive holds host inode numbers; apt-get install cpio)" >&2
        (cd "$stage" && find . -mindepth 1 | sort | "$bb" cpio -o -H newc -R 0:0 2>/dev/null)
    fi
}
if [ "$compress" = gzip ]; then
    cpio_out | gzip -9 -n >"$initrd_tmp"
else
    cpio_out >"$initrd_tmp"
fi
cp "$vmlinuz" "$out/.vmlinuz.tmp"
cp "$kconfig" "$out/config"
mv -f "$out/.vmlinuz.tmp" "$out/vmlinuz"
mv -f "$initrd_tmp" "$out/initrd.img"

# ---- manifest ----------------------------------------------------------------------------
{
    echo "# Linux guest payload, made by tools/linux-payload/build.sh (docs/linux-guest.md)"
    echo "kernel.package=$kpkg"
    echo "kernel.version=$kver"
    echo "kernel.release=$krel"
    echo "kernel.deb.sha256=$ksha"
    echo "busybox.package=busybox-static"
    echo "busybox.version=$bver"
    echo "busybox.deb.sha256=$bsha"
    echo "modules.builtin=${builtin_wanted[*]}"
    echo "modules.load_order=${order[*]}"
    echo "initrd.compression=$compress"
    echo "vmlinuz.size=$(stat -c %s "$out/vmlinuz")"
    echo "vmlinuz.sha256=$(sha256sum <"$out/vmlinuz" | cut -d' ' -f1)"
    echo "initrd.img.size=$(stat -c %s "$out/initrd.img")"
    echo "initrd.img.sha256=$(sha256sum <"$out/initrd.img" | cut -d' ' -f1)"
} >"$out/manifest.txt"
printf '%s\n' "$inputs" >"$out/.inputs"
note "built $out: vmlinuz ($krel, $(( $(stat -c %s "$out/vmlinuz") / 1024 )) KiB)," \
     "initrd.img ($(( $(stat -c %s "$out/initrd.img") / 1024 )) KiB, modules: ${order[*]:-none})"
