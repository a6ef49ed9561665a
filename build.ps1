# Thin front end for Windows/PowerShell users: the build logic lives in tools/Build (hvbuild),
# which `make` also calls. Usage: ./build.ps1 [image|efi|clean]
# (PowerShell is not available on the project's Linux machines; this file is not run in CI.)
param([string]$Target = "image")
$ErrorActionPreference = "Stop"
Set-Location $PSScriptRoot
dotnet build tools/Build -c Release --nologo -v q
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
dotnet tools/Build/bin/Release/net10.0/hvbuild.dll $Target
exit $LASTEXITCODE
