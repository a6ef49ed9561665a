// UEFI memory map vocabulary. EFI_MEMORY_TYPE: UEFI 2.10 §7.2.1 (AllocatePages); what each type
// means once ExitBootServices has returned: §7.2, table "Memory Type Usage after
// ExitBootServices()". Memory attributes: §7.2.3 (GetMemoryMap), "Memory Attribute Definitions".
using System;

namespace Hv.Memory
{
    /// <summary>EFI_MEMORY_TYPE with the spec's values. 0x70000000-0x7FFFFFFF are OEM types and
    /// 0x80000000-0xFFFFFFFF OS-loader types; any value not named here is never handed out.</summary>
    public enum MemoryKind : uint
    {
        Reserved = 0,               // EfiReservedMemoryType
        LoaderCode = 1,             // EfiLoaderCode: our image
        LoaderData = 2,             // EfiLoaderData: our heap, page tables, guest files
        BootServicesCode = 3,       // free after ExitBootServices
        BootServicesData = 4,       // free after ExitBootServices
        RuntimeServicesCode = 5,    // firmware runtime: preserve
        RuntimeServicesData = 6,
        ConventionalMemory = 7,     // free
        Unusable = 8,               // errors detected
        AcpiReclaim = 9,            // ACPI tables; reclaimable once parsed (not done yet)
        AcpiNvs = 10,               // ACPI firmware storage: preserve
        MemoryMappedIo = 11,
        MemoryMappedIoPortSpace = 12,
        PalCode = 13,               // Itanium firmware; reserved on x86
        Persistent = 14,            // NVDIMM-style byte-addressable persistent memory
        Unaccepted = 15,            // UEFI 2.9+: must be accepted (TDX/SEV-SNP) before use
    }

    /// <summary>EFI_MEMORY_* attribute bits of a descriptor.</summary>
    [Flags]
    public enum MemoryAttributes : ulong
    {
        None = 0,
        Uncacheable = 0x1,                  // EFI_MEMORY_UC
        WriteCombining = 0x2,               // EFI_MEMORY_WC
        WriteThrough = 0x4,                 // EFI_MEMORY_WT
        WriteBack = 0x8,                    // EFI_MEMORY_WB
        UncacheableExported = 0x10,         // EFI_MEMORY_UCE
        WriteProtected = 0x1000,            // EFI_MEMORY_WP
        ReadProtected = 0x2000,             // EFI_MEMORY_RP
        ExecuteProtected = 0x4000,          // EFI_MEMORY_XP
        NonVolatile = 0x8000,               // EFI_MEMORY_NV
        MoreReliable = 0x1_0000,            // EFI_MEMORY_MORE_RELIABLE
        ReadOnly = 0x2_0000,                // EFI_MEMORY_RO
        SpecificPurpose = 0x4_0000,         // EFI_MEMORY_SP: soft-reserved, left to its driver
        CpuCrypto = 0x8_0000,               // EFI_MEMORY_CPU_CRYPTO
        Runtime = 0x8000_0000_0000_0000,    // EFI_MEMORY_RUNTIME: firmware needs a virtual mapping
    }

    /// <summary>What the hypervisor does with a range: hand it out (Usable) or keep it back, by reason.
    /// The values index the per-use page counters of <see cref="FrameLayout"/>.</summary>
    public enum MemoryUse
    {
        Usable = 0,             // managed by the frame allocator
        Loader = 1,             // the hypervisor image, heap, page tables and guest files
        RuntimeServices = 2,
        Acpi = 3,               // ACPI reclaim and NVS
        Mmio = 4,               // MMIO and MMIO port space
        Other = 5,              // reserved, unusable, PAL, persistent, unaccepted, specific-purpose,
                                // unknown types, usable memory beyond 2^52
        BelowOneMiB = 6,        // free memory below 1 MiB: real mode, the AP trampoline
        Overlapping = 7,        // free memory that another descriptor also claims (a firmware bug)
    }

    public static class MemoryKinds
    {
        public const int UseCount = 8;

        /// <summary>What a descriptor of this type and these attributes is for after ExitBootServices.</summary>
        public static MemoryUse Classify(MemoryKind kind, MemoryAttributes attributes)
        {
            switch (kind)
            {
                case MemoryKind.ConventionalMemory:
                case MemoryKind.BootServicesCode:
                case MemoryKind.BootServicesData:
                    // Linux treats EFI_MEMORY_SP as "soft reserved" the same way: not general-purpose RAM.
                    return (attributes & MemoryAttributes.SpecificPurpose) != 0 ? MemoryUse.Other : MemoryUse.Usable;
                case MemoryKind.LoaderCode:
                case MemoryKind.LoaderData:
                    return MemoryUse.Loader;
                case MemoryKind.RuntimeServicesCode:
                case MemoryKind.RuntimeServicesData:
                    return MemoryUse.RuntimeServices;
                case MemoryKind.AcpiReclaim:
                case MemoryKind.AcpiNvs:
                    return MemoryUse.Acpi;
                case MemoryKind.MemoryMappedIo:
                case MemoryKind.MemoryMappedIoPortSpace:
                    return MemoryUse.Mmio;
                default:
                    return MemoryUse.Other;
            }
        }
    }
}
