using System.Security.Cryptography;
using System.Text;

namespace HvBuild;

/// <summary>
/// Incremental build: a step runs again only when the hash of its inputs (file paths and
/// contents, plus the step's arguments) differs from the one recorded after its last success,
/// or an output is missing.
/// </summary>
internal static class Stamp
{
    public static bool UpToDate(string stampFile, IEnumerable<string> inputs, IEnumerable<string> args, IEnumerable<string> outputs, out string hash)
    {
        hash = Compute(inputs, args);
        if (!outputs.All(File.Exists)) return false;
        return File.Exists(stampFile) && File.ReadAllText(stampFile) == hash;
    }

    public static void Record(string stampFile, string hash) => File.WriteAllText(stampFile, hash);

    private static string Compute(IEnumerable<string> inputs, IEnumerable<string> args)
    {
        using var sha = SHA256.Create();
        var sb = new StringBuilder();
        foreach (var f in inputs.OrderBy(x => x, StringComparer.Ordinal))
        {
            sb.Append(f).Append('\0');
            // Contents, not timestamps: a fresh clone or a touch does not force a rebuild,
            // and a change that keeps the size is still seen. Hashing ~1 MB of sources is fast.
            sb.Append(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))).Append('\n');
        }
        foreach (var a in args) sb.Append(a).Append('\0');
        return Convert.ToHexString(sha.ComputeHash(Encoding.UTF8.GetBytes(sb.ToString())));
    }
}
