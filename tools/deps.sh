#!/usr/bin/env bash
# Installs the build's dependencies: Debian packages (only when one of their tools is missing)
# and the NuGet packages (ILCompiler, Iced, xunit) through `dotnet restore`. Nothing else is
# downloaded. Usage: tools/deps.sh APT_PACKAGE...
set -euo pipefail
cd "$(dirname "$0")/.."
need_apt=0
for tool in qemu-system-x86_64 bochs nasm lld-link mcopy mformat mkfs.fat iasl cpio; do
  command -v "$tool" >/dev/null 2>&1 || need_apt=1
done
[ -f /usr/share/ovmf/OVMF.fd ] || need_apt=1
[ -f /usr/share/seabios/vgabios-stdvga.bin ] || need_apt=1
if [ "$need_apt" = 1 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "deps: missing tools and not root; install as root: apt-get install $*" >&2
    exit 1
  fi
  echo "deps: installing Debian packages: $*"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
fi
command -v dotnet >/dev/null || { echo "deps: the .NET SDK (dotnet) is required" >&2; exit 1; }
echo "deps: restoring NuGet packages"
for proj in tools/Build tests/Unit tests/Integration tools/ConfigCheck; do
  ls "$proj"/*.csproj >/dev/null 2>&1 || continue
  out=$(dotnet restore "$proj" --nologo -v q 2>&1) || { echo "$out" >&2; echo "deps: restore of $proj failed" >&2; exit 1; }
done
echo "deps: ok"
