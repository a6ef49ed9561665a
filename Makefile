# Front end over the one build tool (tools/Build, "hvbuild") and the test runner.
#   make            build the UEFI image (build/esp, build/hv.img)
#   make run        build and boot in QEMU (TCG, SVM) with the serial console on this terminal
#   make run-bochs  build and boot in Bochs (VMX)
#   make run-kvm    boot in QEMU with KVM (needs a host with nested VMX/SVM)
#   make test       unit + integration tests; ends with "N passed, N failed"
#   make deps       install what the build needs (apt + NuGet); run automatically when missing
SHELL := /bin/bash
HVBUILD_DLL := tools/Build/bin/Release/net10.0/hvbuild.dll
HVBUILD := dotnet $(HVBUILD_DLL)
APT_PACKAGES := qemu-system-x86 ovmf bochs bochsbios seabios nasm lld mtools dosfstools acpica-tools
DEPS_STAMP := build/.deps-ok

.PHONY: all image efi run run-bochs run-kvm test unit-test integration-test deps clean

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

efi: $(HVBUILD_DLL)
	@$(HVBUILD) efi

run: image
	@bash tools/emu/qemu.sh --serial-stdio build/hv.img

run-bochs: image
	@bash tools/emu/bochs.sh --serial-stdio build/hv.img

run-kvm: image
	@bash tools/emu/qemu.sh --kvm --serial-stdio build/hv.img

test: image
	@bash tools/run-tests.sh

clean:
	@rm -rf build tools/Build/bin tools/Build/obj
