// Thin wrappers over the UEFI boot and runtime services the boot path uses.
namespace Hv.Boot.Uefi
{
    public static unsafe class Firmware
    {
        public static EFI_SYSTEM_TABLE* SystemTable;
        public static nint ImageHandle;

        private static EFI_BOOT_SERVICES* Bs => SystemTable->BootServices;

        /// <summary>Whole pages of LoaderData memory (kept after ExitBootServices), or 0.</summary>
        public static ulong AllocatePages(ulong bytes)
        {
            ulong address = 0;
            nuint pages = (nuint)((bytes + 4095) / 4096);
            EFI_STATUS s = Bs->AllocatePages((int)EfiAllocateType.AnyPages, (int)EfiMemoryType.LoaderData, pages, &address);
            return s == EFI_STATUS.SUCCESS ? address : 0;
        }

        /// <summary>Whole LoaderData pages that end at or below <paramref name="maxAddress"/>, or 0.</summary>
        public static ulong AllocateBelow(ulong bytes, ulong maxAddress)
        {
            ulong address = maxAddress;
            nuint pages = (nuint)((bytes + 4095) / 4096);
            EFI_STATUS s = Bs->AllocatePages((int)EfiAllocateType.MaxAddress, (int)EfiMemoryType.LoaderData, pages, &address);
            return s == EFI_STATUS.SUCCESS ? address : 0;
        }

        /// <summary>The ACPI RSDP from the configuration table (ACPI 2.0+ preferred), or 0.</summary>
        public static ulong FindRsdp()
        {
            ulong v1 = 0;
            EFI_GUID acpi2 = EfiGuids.Acpi20Table, acpi1 = EfiGuids.Acpi10Table;
            for (nuint i = 0; i < SystemTable->NumberOfTableEntries; i++)
            {
                EFI_CONFIGURATION_TABLE* t = SystemTable->ConfigurationTable + i;
                if (t->VendorGuid.Equals(acpi2)) return (ulong)t->VendorTable;
                if (t->VendorGuid.Equals(acpi1)) v1 = (ulong)t->VendorTable;
            }
            return v1;
        }

        public static void DisableWatchdog() => Bs->SetWatchdogTimer(0, 0, 0, null);

        /// <summary>
        /// True when the firmware's console output (the ConOut variable's device paths) includes a
        /// UART: the firmware then mirrors its console to the serial port, as OVMF does, and writing
        /// both would print every line twice (toolchain.md).
        /// </summary>
        public static bool ConsoleMirroredToSerial()
        {
            byte* buf = stackalloc byte[1024];
            nuint size = 1024;
            uint attrs;
            char* name = stackalloc char[7];
            name[0] = 'C'; name[1] = 'o'; name[2] = 'n'; name[3] = 'O'; name[4] = 'u'; name[5] = 't'; name[6] = '\0';
            EFI_GUID g = EfiGuids.GlobalVariable;
            if (SystemTable->RuntimeServices->GetVariable(name, &g, &attrs, &size, buf) != EFI_STATUS.SUCCESS) return false;
            // Device path nodes: type (1), subtype (1), length (2). Messaging (3) / UART (14).
            for (nuint off = 0; off + 4 <= size;)
            {
                byte type = buf[off], sub = buf[off + 1];
                ushort len = *(ushort*)(buf + off + 2);
                if (type == 3 && sub == 14) return true;
                if (len < 4) break;
                off += len;
            }
            return false;
        }

        /// <summary>
        /// Reads the final memory map into <paramref name="map"/> and exits boot services, retrying
        /// when the map changed in between (UEFI 2.10 §7.4: ExitBootServices fails with
        /// EFI_INVALID_PARAMETER if the map key is stale). No allocation happens between the calls.
        /// </summary>
        public static bool ExitBootServices(byte* map, nuint capacity, out nuint mapSize, out nuint descSize, out uint descVersion)
        {
            mapSize = 0; descSize = 0; descVersion = 0;
            for (int attempt = 0; attempt < 8; attempt++)
            {
                nuint size = capacity, key, ds;
                uint dv;
                if (Bs->GetMemoryMap(&size, map, &key, &ds, &dv) != EFI_STATUS.SUCCESS) return false;
                mapSize = size; descSize = ds; descVersion = dv;
                EFI_STATUS s = Bs->ExitBootServices(ImageHandle, key);
                if (s == EFI_STATUS.SUCCESS) return true;
                if (s != EFI_STATUS.INVALID_PARAMETER) return false;
            }
            return false;
        }

        /// <summary>Size the memory map needs now (bytes), plus room for the allocations still to come.</summary>
        public static nuint MemoryMapCapacity()
        {
            nuint size = 0, key, ds;
            uint dv;
            Bs->GetMemoryMap(&size, null, &key, &ds, &dv);
            return size + 16 * (ds == 0 ? 48 : ds) + 4096;
        }

        /// <summary>A snapshot of the memory map (for sizing before exit); returns bytes used.</summary>
        public static nuint ReadMemoryMap(byte* map, nuint capacity, out nuint descSize)
        {
            nuint size = capacity, key, ds;
            uint dv;
            descSize = 0;
            if (Bs->GetMemoryMap(&size, map, &key, &ds, &dv) != EFI_STATUS.SUCCESS) return 0;
            descSize = ds;
            return size;
        }
    }
}
