// Files on the volume this image was loaded from (LoadedImage.DeviceHandle -> SimpleFileSystem).
using Hv.Config;

namespace Hv.Boot.Uefi
{
    public sealed unsafe class BootVolume : IFileProbe
    {
        private readonly EFI_FILE_PROTOCOL* _root;

        private BootVolume(EFI_FILE_PROTOCOL* root) { _root = root; }

        public static BootVolume Open()
        {
            EFI_BOOT_SERVICES* bs = Firmware.SystemTable->BootServices;
            EFI_GUID li = EfiGuids.LoadedImage, sfs = EfiGuids.SimpleFileSystem;
            EFI_LOADED_IMAGE_PROTOCOL* image;
            if (bs->HandleProtocol(Firmware.ImageHandle, &li, (void**)&image) != EFI_STATUS.SUCCESS) return null;
            EFI_SIMPLE_FILE_SYSTEM_PROTOCOL* fs;
            if (bs->HandleProtocol(image->DeviceHandle, &sfs, (void**)&fs) != EFI_STATUS.SUCCESS) return null;
            EFI_FILE_PROTOCOL* root;
            if (fs->OpenVolume(fs, &root) != EFI_STATUS.SUCCESS) return null;
            return new BootVolume(root);
        }

        public static ulong ImageBase()
        {
            EFI_GUID li = EfiGuids.LoadedImage;
            EFI_LOADED_IMAGE_PROTOCOL* image;
            if (Firmware.SystemTable->BootServices->HandleProtocol(Firmware.ImageHandle, &li, (void**)&image) != EFI_STATUS.SUCCESS) return 0;
            return (ulong)image->ImageBase;
        }

        private EFI_FILE_PROTOCOL* OpenFile(string path)
        {
            // UEFI paths use backslashes and a leading root separator; config paths use '/'.
            char* name = stackalloc char[path.Length + 2];
            name[0] = '\\';
            for (int i = 0; i < path.Length; i++) name[i + 1] = path[i] == '/' ? '\\' : path[i];
            name[path.Length + 1] = '\0';
            EFI_FILE_PROTOCOL* file;
            return _root->Open(_root, &file, name, 1 /* EFI_FILE_MODE_READ */, 0) == EFI_STATUS.SUCCESS ? file : null;
        }

        public bool Exists(string path) => Size(path) >= 0;

        public long Size(string path)
        {
            EFI_FILE_PROTOCOL* f = OpenFile(path);
            if (f == null) return -1;
            long size = FileSize(f);
            f->Close(f);
            return size;
        }

        private static long FileSize(EFI_FILE_PROTOCOL* f)
        {
            // EFI_FILE_INFO: Size (8), FileSize (8), ... then the name; 512 bytes suffice for our names.
            byte* info = stackalloc byte[512];
            nuint size = 512;
            EFI_GUID g = EfiGuids.FileInfo;
            if (f->GetInfo(f, &g, &size, info) != EFI_STATUS.SUCCESS) return -1;
            ulong attr = *(ulong*)(info + 72);
            if ((attr & 0x10) != 0) return -1; // EFI_FILE_DIRECTORY: not a file
            return (long)*(ulong*)(info + 8);
        }

        /// <summary>Reads a whole file into new LoaderData pages. Returns false when missing or unreadable.</summary>
        public bool ReadFile(string path, out ulong address, out long size)
        {
            address = 0; size = -1;
            EFI_FILE_PROTOCOL* f = OpenFile(path);
            if (f == null) return false;
            size = FileSize(f);
            bool ok = size >= 0;
            if (ok)
            {
                address = Firmware.AllocatePages((ulong)(size == 0 ? 1 : size));
                ok = address != 0;
                nuint total = 0;
                while (ok && total < (nuint)size)
                {
                    nuint chunk = (nuint)size - total;
                    if (chunk > 1024 * 1024) chunk = 1024 * 1024;
                    ok = f->Read(f, &chunk, (byte*)address + total) == EFI_STATUS.SUCCESS && chunk != 0;
                    total += chunk;
                }
            }
            f->Close(f);
            return ok;
        }
    }
}
