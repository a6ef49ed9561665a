namespace HvBuild;

/// <summary>Where the sources, the tools and the outputs are.</summary>
internal sealed class Paths
{
    public const string IlcVersion = "10.0.12";
    public const string IcedVersion = "1.22.0";

    public string Root { get; }
    public string Build => Path.Combine(Root, "build");
    public string Obj => Path.Combine(Build, "obj");
    public string Esp => Path.Combine(Build, "esp");
    public string Image => Path.Combine(Build, "hv.img");
    /// <summary>The Linux guest payload of tools/linux-payload/build.sh (vmlinuz, initrd.img).</summary>
    public string Payload => Path.Combine(Build, "payload");
    public string EfiApp => Path.Combine(Esp, "EFI", "BOOT", "BOOTX64.EFI");

    public Paths(string root) => Root = root;

    public static Paths FindRoot()
    {
        string dir = AppContext.BaseDirectory;
        for (string d = Directory.GetCurrentDirectory(); d != null; d = Path.GetDirectoryName(d))
            if (File.Exists(Path.Combine(d, "Makefile")) && Directory.Exists(Path.Combine(d, "kernel")))
                return new Paths(d);
        for (string d = dir; d != null; d = Path.GetDirectoryName(d))
            if (File.Exists(Path.Combine(d, "Makefile")) && Directory.Exists(Path.Combine(d, "kernel")))
                return new Paths(d);
        throw new BuildError("cannot find the repository root (a folder with Makefile and kernel/)");
    }

    public static string NuGetRoot =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
            ? p : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    public string Ilc => Path.Combine(NuGetRoot, "runtime.linux-x64.microsoft.dotnet.ilcompiler", IlcVersion, "tools", "ilc");
    public string IcedDll => Path.Combine(NuGetRoot, "iced", IcedVersion, "lib", "netstandard2.1", "Iced.dll");

    /// <summary>The dotnet host running this tool, and the SDK's Roslyn (csc.dll) beside it.</summary>
    public static string DotnetHost => Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet"
        ? p : "dotnet";

    public static string SdkDir
    {
        get
        {
            string host = DotnetHost == "dotnet" ? Run.Which("dotnet") : DotnetHost;
            string sdkRoot = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(ResolveLink(host))), "sdk");
            var best = Directory.Exists(sdkRoot)
                ? Directory.GetDirectories(sdkRoot).Where(d => File.Exists(Path.Combine(d, "Roslyn", "bincore", "csc.dll")))
                    .OrderBy(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : new Version(0, 0))
                    .LastOrDefault()
                : null;
            return best ?? throw new BuildError("no .NET SDK with Roslyn found under " + sdkRoot);
        }
    }

    public static string Csc => Path.Combine(SdkDir, "Roslyn", "bincore", "csc.dll");
    public static string NetstandardRef => Path.Combine(SdkDir, "ref", "netstandard.dll");

    private static string ResolveLink(string path)
    {
        var fi = new FileInfo(path);
        return fi.LinkTarget != null ? fi.ResolveLinkTarget(true)!.FullName : path;
    }
}
