// What the boot stage (boot/, under UEFI) hands to the kernel after ExitBootServices.
using Hv.Config;

namespace Hv
{
    public sealed class LoadedFile
    {
        public string Path;
        public ulong Address;   // host-physical (identity mapped)
        public long Size;
    }

    public sealed unsafe class HandOff
    {
        public byte* MemoryMap;         // EFI_MEMORY_DESCRIPTORs, DescriptorSize apart
        public ulong MemoryMapSize;
        public ulong DescriptorSize;
        public ulong Rsdp;              // ACPI RSDP physical address, 0 if the firmware gave none
        public ulong ImageBase;
        public ulong Pml4;
        public ulong TrampolinePage;    // one page below 1 MiB for the AP start-up code, 0 if none
        public HvConfig Config;         // null when the configuration is invalid
        public ConfigError[] ConfigErrors;
        public LoadedFile[] Files;
        public ulong BootTsc;           // TSC at EfiMain
        public ulong ExitBootServicesTsc;
        public OnExit EarlyOnExit;      // honoured even when the file is invalid (see OnExitPeek)
    }
}
