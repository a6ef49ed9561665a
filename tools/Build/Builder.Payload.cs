namespace HvBuild;

internal sealed partial class Builder
{
    /// <summary>
    /// The Linux guest payload (tools/linux-payload/build.sh, `make payload`, docs/linux-guest.md):
    /// when build/payload holds vmlinuz and initrd.img, they go on the boot volume as
    /// guests/linux/bzImage and guests/linux/initrd.img (the names hv.cfg examples use). The
    /// payload is built from Debian packages by apt, which hvbuild does not run itself: `make
    /// run` and `make test` build it first, `make image` only picks it up. When build/payload has
    /// no payload, copies left on the boot folder by an earlier build are removed, so the volume
    /// never carries a kernel that no longer matches build/payload.
    /// </summary>
    private void AssemblePayload()
    {
        string dstDir = Path.Combine(p.Esp, "guests", "linux");
        var files = new[] { ("vmlinuz", "bzImage"), ("initrd.img", "initrd.img") };
        bool present = files.All(f => File.Exists(Path.Combine(p.Payload, f.Item1)));
        foreach (var (src, dst) in files)
        {
            string from = Path.Combine(p.Payload, src);
            string to = Path.Combine(dstDir, dst);
            if (!present)
            {
                if (File.Exists(to)) File.Delete(to);
                continue;
            }
            Directory.CreateDirectory(dstDir);
            if (!SameContents(from, to))
            {
                File.Copy(from, to, true);
                Console.WriteLine("payload  guests/linux/" + dst);
            }
        }
        if (!present && Directory.Exists(dstDir) && !Directory.EnumerateFileSystemEntries(dstDir).Any())
            Directory.Delete(dstDir);
    }

    private static bool SameContents(string a, string b)
    {
        if (!File.Exists(b) || new FileInfo(a).Length != new FileInfo(b).Length) return false;
        return File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b));
    }
}
