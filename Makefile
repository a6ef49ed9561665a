# Front end over the one build tool (tools/Build, "hvbuild") and the test runner.
#   make            build the UEFI image (build/esp, build/hv.img)
#   make payload    build the Linux guest payload (build/payload) from Debian packages
#   make run        build (with the payload) and boot in QEMU (TCG, SVM), serial on this terminal
#   make run-bochs  build and boot in Bochs (VMX)
#   make run-kvm    boot in QEMU with KVM (needs a host with nested VMX/SVM)
#   make test       unit + integration tests; ends with "N passed, N failed"
#   make deps       install what the build needs (apt + NuGet); run automatically when missing
SHELL := /bin/bash
HVBUILD_DLL := tools/Build/bin/Release/net10.0/hvbuild.dll
HVBUILD := dotnet $(HVBUILD_DLL)
APT_PACKAGES := qemu-system-x86 ovmf bochs bochsbios seabios nasm lld mtools dosfstools acpica-tools cpio
DEPS_STAMP := build/.deps-ok

.PHONY: all image image-with-payload payload efi run run-bochs run-kvm test unit-test integration-test deps clean

all: image

# Installs apt packages only when a tool is missing, and restores NuGet packages.
$(DEPS_STAMP):
	@bash tools/deps.sh $(APT_PACKAGES)
	@mkdir -p build && touch $@

deps:
	@rm -f $(DEPS_STAMP)
	@$(MAKE) --no-print-directory $(DEPS_STAMP)

$(HVBUILD_DLL): $(DEPS_STAMP) $(wildcard tools/Build/*.cs) tools/Build/Build.csproj
	@dotnet build tools/Build -c Release --nologo -v q -clp:NoSummary >/dev/null || dotnet build tools/Build -c Release --nologo

image: $(HVBUILD_DLL)
	@$(HVBUILD) image

# The Linux guest payload (tools/linux-payload/build.sh, docs/linux-guest.md): apt-get download
# of Debian's cloud kernel and busybox-static; quick when build/payload is up to date.
payload: $(DEPS_STAMP)
	@bash tools/linux-payload/build.sh

# `make image` puts the payload on the boot volume when build/payload has it; run and test
# build it first. Without it (no mirror reachable) the image is still made, with a warning:
# only Linux guests need it.
image-with-payload: $(HVBUILD_DLL)
	@bash tools/linux-payload/build.sh || echo "make: warning: no Linux guest payload (see above); the image has no guests/linux" >&2
	@$(HVBUILD) image

efi: $(HVBUILD_DLL)
	@$(HVBUILD) efi

run: image-with-payload
	@bash tools/emu/qemu.sh --serial-stdio build/hv.img

run-bochs: image-with-payload
	@bash tools/emu/bochs.sh --serial-stdio build/hv.img

run-kvm: image-with-payload
	@bash tools/emu/qemu.sh --kvm --serial-stdio build/hv.img

test: image-with-payload
	@bash tools/run-tests.sh

clean:
	@rm -rf build tools/Build/bin tools/Build/obj
