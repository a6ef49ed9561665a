namespace HvBuild;

internal sealed partial class Builder
{
    /// <summary>
    /// The test guests: every tests/Guests/*.asm is a Multiboot v1 ELF32 kernel, assembled with
    /// nasm (-f elf32, warnings are errors) and linked by ld.lld with tests/Guests/guest.ld into
    /// build/esp/guests/NAME.elf, so it ships on the boot volume. Both tools run inside
    /// tests/Guests with relative source names: nasm writes the source path into the object's
    /// STT_FILE symbol, which must not depend on where the repository is checked out. With
    /// --build-id=none and .comment discarded by guest.ld, the same sources give the same bytes.
    /// </summary>
    public void Guests()
    {
        string src = Path.Combine(p.Root, "tests", "Guests");
        string objDir = Path.Combine(p.Obj, "guests");
        string outDir = Path.Combine(p.Esp, "guests");
        Directory.CreateDirectory(objDir);
        Directory.CreateDirectory(outDir);
        var shared = Files(src, "*.inc").Append(Path.Combine(src, "guest.ld")).ToList();
        var built = new HashSet<string>(StringComparer.Ordinal);
        foreach (var asm in Directory.GetFiles(src, "*.asm").OrderBy(f => f, StringComparer.Ordinal))
        {
            string name = Path.GetFileNameWithoutExtension(asm);
            string obj = Path.Combine(objDir, name + ".o");
            string elf = Path.Combine(outDir, name + ".elf");
            var nasmArgs = new List<string> { "-f", "elf32", "-w+error", "-o", obj, Path.GetFileName(asm) };
            var ldArgs = new List<string> { "-m", "elf_i386", "-T", "guest.ld", "--build-id=none", "-o", elf, obj };
            Step("guest-" + name, shared.Append(asm), nasmArgs.Concat(["|"]).Concat(ldArgs), [obj, elf], () =>
            {
                Run.Tool(Run.Which("nasm"), nasmArgs, "nasm     guests/" + name + ".asm", src);
                Run.Tool(Run.Which("ld.lld"), ldArgs, "ld.lld   guests/" + name + ".elf", src);
            });
            built.Add(elf);
        }
        // A guest whose source is gone must not linger on the boot volume.
        foreach (var stale in Directory.GetFiles(outDir, "*.elf"))
            if (!built.Contains(stale))
                File.Delete(stale);
    }
}
