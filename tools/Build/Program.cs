// hvbuild: builds the hypervisor's UEFI image from the C# sources.
//
// Pipeline (see docs/build.md):
//   1. csc   kernel/Runtime/**            -> System.Private.CoreLib.dll (our corelib)
//   2. csc   kernel/Runtime/Facade/*      -> netstandard.dll (type forwards, so Iced's
//                                            netstandard2.1 build binds to our corelib)
//   3. iasl  kernel/Virt/Platform/Acpi/dsdt.asl -> build/obj/gen/DsdtAml.cs (tools/gen-dsdt.sh:
//            the guest DSDT's AML as a C# byte span), then
//      csc   boot/ drivers/ kernel/ (not Runtime) + DsdtAml.cs + Iced -> Hypervisor.dll
//   4. ilc   -> Hypervisor.obj (COFF, win-x64 ABI); any ILxxxx diagnostic fails the build
//   5. nasm  kernel/Arch/Asm/*.asm        -> COFF objects
//   6. lld-link                           -> build/esp/EFI/BOOT/BOOTX64.EFI (PE32+, subsystem 10)
//   7. nasm + ld.lld tests/Guests/*.asm -> build/esp/guests/NAME.elf (Multiboot test guests)
//   8. esp folder (+ hv.cfg, + the Linux guest payload of build/payload when present:
//      tools/linux-payload/build.sh) and the FAT image build/hv.img (tools/emu/mkimage.sh)
// Every step is skipped when its inputs (paths, sizes, contents' hash, arguments) are unchanged,
// so a rebuild with no change takes about a second. All tools run with fixed arguments and
// /deterministic or /Brepro, so the same inputs give the same image bytes.
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace HvBuild;

internal static class Program
{
    private static int Main(string[] args)
    {
        string target = args.Length > 0 ? args[0] : "image";
        var b = new Builder(Paths.FindRoot());
        try
        {
            switch (target)
            {
                case "image": b.Image(); return 0;
                case "efi": b.Efi(); return 0;
                case "guests": b.Guests(); return 0;
                case "clean": b.Clean(); return 0;
                case "print-paths": b.PrintPaths(); return 0;
                default:
                    Console.Error.WriteLine("usage: hvbuild [image|efi|guests|clean|print-paths]");
                    return 2;
            }
        }
        catch (BuildError e)
        {
            Console.Error.WriteLine("build failed: " + e.Message);
            return 1;
        }
    }
}

internal sealed class BuildError(string message) : Exception(message);
