// UEFI data structures and function tables (UEFI Specification 2.10). Only the members the boot
// code uses are named; offsets follow the x64 layout and are checked in comments.
// Function pointers use the platform's unmanaged convention, which for this target (win-x64)
// is the Microsoft x64 convention that UEFI mandates (UEFI 2.10 §2.3.4).
using System.Runtime.InteropServices;

namespace Hv.Boot.Uefi
{
    public enum EFI_STATUS : ulong
    {
        SUCCESS = 0,
        INVALID_PARAMETER = 0x8000000000000002,
        BUFFER_TOO_SMALL = 0x8000000000000005,
        NOT_FOUND = 0x800000000000000E,
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct EFI_GUID
    {
        public uint Data1;
        public ushort Data2, Data3;
        public byte D0, D1, D2, D3, D4, D5, D6, D7;

        public EFI_GUID(uint a, ushort b, ushort c, byte d0, byte d1, byte d2, byte d3, byte d4, byte d5, byte d6, byte d7)
        {
            Data1 = a; Data2 = b; Data3 = c; D0 = d0; D1 = d1; D2 = d2; D3 = d3; D4 = d4; D5 = d5; D6 = d6; D7 = d7;
        }

        public bool Equals(EFI_GUID o) => Data1 == o.Data1 && Data2 == o.Data2 && Data3 == o.Data3 && D0 == o.D0 && D1 == o.D1
            && D2 == o.D2 && D3 == o.D3 && D4 == o.D4 && D5 == o.D5 && D6 == o.D6 && D7 == o.D7;
    }

    public static class EfiGuids
    {
        public static EFI_GUID LoadedImage => new EFI_GUID(0x5B1B31A1, 0x9562, 0x11d2, 0x8E, 0x3F, 0x00, 0xA0, 0xC9, 0x69, 0x72, 0x3B);
        public static EFI_GUID SimpleFileSystem => new EFI_GUID(0x964e5b22, 0x6459, 0x11d2, 0x8e, 0x39, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b);
        public static EFI_GUID FileInfo => new EFI_GUID(0x09576e92, 0x6d3f, 0x11d2, 0x8e, 0x39, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b);
        public static EFI_GUID Acpi20Table => new EFI_GUID(0x8868e871, 0xe4f1, 0x11d3, 0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81);
        public static EFI_GUID Acpi10Table => new EFI_GUID(0xeb9d2d30, 0x2d88, 0x11d3, 0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d);
        public static EFI_GUID GlobalVariable => new EFI_GUID(0x8BE4DF61, 0x93CA, 0x11d2, 0xAA, 0x0D, 0x00, 0xE0, 0x98, 0x03, 0x2B, 0x8C);
    }

    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct EFI_TABLE_HEADER
    {
        public ulong Signature;
        public uint Revision, HeaderSize, CRC32, Reserved;
    }

    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct EFI_SYSTEM_TABLE
    {
        public EFI_TABLE_HEADER Hdr;                         // +0
        public char* FirmwareVendor;                         // +24
        public uint FirmwareRevision;                        // +32
        public nint ConsoleInHandle;                         // +40
        public void* ConIn;                                  // +48
        public nint ConsoleOutHandle;                        // +56
        public EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL* ConOut;      // +64
        public nint StandardErrorHandle;                     // +72
        public void* StdErr;                                 // +80
        public EFI_RUNTIME_SERVICES* RuntimeServices;        // +88
        public EFI_BOOT_SERVICES* BootServices;              // +96
        public nuint NumberOfTableEntries;                   // +104
        public EFI_CONFIGURATION_TABLE* ConfigurationTable;  // +112
    }

    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct EFI_CONFIGURATION_TABLE
    {
        public EFI_GUID VendorGuid;
        public void* VendorTable;
    }

    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL
    {
        public void* Reset;
        public delegate* unmanaged<EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL*, char*, EFI_STATUS> OutputString;
    }

    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct EFI_BOOT_SERVICES
    {
        public EFI_TABLE_HEADER Hdr;
        public void* RaiseTPL, RestoreTPL;
        public delegate* unmanaged<int, int, nuint, ulong*, EFI_STATUS> AllocatePages;       // +40
        public delegate* unmanaged<ulong, nuint, EFI_STATUS> FreePages;
        public delegate* unmanaged<nuint*, byte*, nuint*, nuint*, uint*, EFI_STATUS> GetMemoryMap; // +56
        public delegate* unmanaged<int, nuint, void**, EFI_STATUS> AllocatePool;
        public delegate* unmanaged<void*, EFI_STATUS> FreePool;
        public void* CreateEvent, SetTimer, WaitForEvent, SignalEvent, CloseEvent, CheckEvent;
        public void* InstallProtocolInterface, ReinstallProtocolInterface, UninstallProtocolInterface;
        public delegate* unmanaged<nint, EFI_GUID*, void**, EFI_STATUS> HandleProtocol;   // +152
        public void* Reserved, RegisterProtocolNotify, LocateHandle, LocateDevicePath, InstallConfigurationTable;
        public void* LoadImage, StartImage, Exit, UnloadImage;
        public delegate* unmanaged<nint, nuint, EFI_STATUS> ExitBootServices;              // +232
        public void* GetNextMonotonicCount, Stall;
        public delegate* unmanaged<nuint, ulong, nuint, char*, EFI_STATUS> SetWatchdogTimer; // +256
    }

    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct EFI_RUNTIME_SERVICES
    {
        public EFI_TABLE_HEADER Hdr;
        public void* GetTime, SetTime, GetWakeupTime, SetWakeupTime, SetVirtualAddressMap, ConvertPointer;
        public delegate* unmanaged<char*, EFI_GUID*, uint*, nuint*, void*, EFI_STATUS> GetVariable; // +72
    }

    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct EFI_LOADED_IMAGE_PROTOCOL
    {
        public uint Revision;
        public nint ParentHandle;
        public EFI_SYSTEM_TABLE* SystemTable;
        public nint DeviceHandle;        // +24: the volume the image was loaded from
        public void* FilePath;
        public void* Reserved;
        public uint LoadOptionsSize;
        public void* LoadOptions;
        public void* ImageBase;          // +64
        public ulong ImageSize;
    }

    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct EFI_SIMPLE_FILE_SYSTEM_PROTOCOL
    {
        public ulong Revision;
        public delegate* unmanaged<EFI_SIMPLE_FILE_SYSTEM_PROTOCOL*, EFI_FILE_PROTOCOL**, EFI_STATUS> OpenVolume;
    }

    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct EFI_FILE_PROTOCOL
    {
        public ulong Revision;
        public delegate* unmanaged<EFI_FILE_PROTOCOL*, EFI_FILE_PROTOCOL**, char*, ulong, ulong, EFI_STATUS> Open;
        public delegate* unmanaged<EFI_FILE_PROTOCOL*, EFI_STATUS> Close;
        public void* Delete;
        public delegate* unmanaged<EFI_FILE_PROTOCOL*, nuint*, void*, EFI_STATUS> Read;
        public void* Write, GetPosition, SetPosition;
        public delegate* unmanaged<EFI_FILE_PROTOCOL*, EFI_GUID*, nuint*, void*, EFI_STATUS> GetInfo;
    }

    /// <summary>EFI_MEMORY_DESCRIPTOR (UEFI 2.10 §7.2); step through a map by the reported descriptor size.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct EFI_MEMORY_DESCRIPTOR
    {
        public uint Type;
        public uint Pad;
        public ulong PhysicalStart;
        public ulong VirtualStart;
        public ulong NumberOfPages;
        public ulong Attribute;
    }

    public enum EfiMemoryType : uint
    {
        Reserved = 0, LoaderCode = 1, LoaderData = 2, BootServicesCode = 3, BootServicesData = 4,
        RuntimeServicesCode = 5, RuntimeServicesData = 6, Conventional = 7, Unusable = 8,
        AcpiReclaim = 9, AcpiNvs = 10, MemoryMappedIo = 11, MemoryMappedIoPortSpace = 12, PalCode = 13, Persistent = 14,
    }

    public enum EfiAllocateType { AnyPages = 0, MaxAddress = 1, Address = 2 }
}
