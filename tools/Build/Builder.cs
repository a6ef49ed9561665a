using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;

namespace HvBuild;

internal sealed partial class Builder(Paths p)
{
    private const string CoreLibName = "System.Private.CoreLib";
    private const string AsmLibName = "hvasm"; // DllImport name of the assembly object (--directpinvoke)

    private string CoreLib => Path.Combine(p.Obj, CoreLibName + ".dll");
    private string Facade => Path.Combine(p.Obj, "netstandard.dll");
    private string KernelDll => Path.Combine(p.Obj, "Hypervisor.dll");
    private string KernelObj => Path.Combine(p.Obj, "Hypervisor.obj");

    public void PrintPaths()
    {
        Console.WriteLine("root    " + p.Root);
        Console.WriteLine("csc     " + Paths.Csc);
        Console.WriteLine("ilc     " + p.Ilc);
        Console.WriteLine("iced    " + p.IcedDll);
    }

    public void Clean()
    {
        if (Directory.Exists(p.Build)) Directory.Delete(p.Build, true);
    }

    public void Image()
    {
        Efi();
        Guests();
        AssembleEsp();
        AssemblePayload();
        var espFiles = Files(p.Esp, "*");
        Step("image", espFiles.Append(Path.Combine(p.Root, "tools", "emu", "mkimage.sh")), [], [p.Image], () =>
            Run.Tool("bash", [Path.Combine(p.Root, "tools", "emu", "mkimage.sh"), p.Esp, p.Image], "mkimage  build/hv.img"));
        Console.WriteLine("image ready: build/hv.img (boot folder: build/esp)");
    }

    public void Efi()
    {
        Directory.CreateDirectory(p.Obj);
        if (!File.Exists(p.Ilc) || !File.Exists(p.IcedDll))
            throw new BuildError("NuGet packages missing (" + p.Ilc + "); run 'make deps' (dotnet restore tools/Build)");
        CompileCoreLib();
        CompileFacade();
        Dsdt();
        CompileKernel();
        RunIlc();
        var asmObjs = AssembleAll();
        Link(asmObjs);
    }

    private void CompileCoreLib()
    {
        var src = Files(Path.Combine(p.Root, "kernel", "Runtime"), "*.cs").Where(f => !f.Contains("/Facade/")).ToList();
        var args = CscCommon(CoreLib).Concat(["/nostdlib+", "/runtimemetadataversion:v4.0.30319"]).ToList();
        Step("corelib", src, args, [CoreLib], () => Csc(args.Concat(src), "csc      " + CoreLibName + ".dll"));
    }

    /// <summary>
    /// netstandard facade: Iced's netstandard2.1 build references 'netstandard, 2.1.0.0' with
    /// netstandard's public key; this facade forwards those types to our corelib. csc only binds it
    /// as that identity when it is public-signed with the same key, which we read from the SDK's
    /// reference netstandard.dll (toolchain.md).
    /// </summary>
    private void CompileFacade()
    {
        string keyFile = Path.Combine(p.Obj, "netstandard.pubkey");
        var src = Files(Path.Combine(p.Root, "kernel", "Runtime", "Facade"), "*.cs");
        var args = CscCommon(Facade).Concat(["/nostdlib+", "/runtimemetadataversion:v4.0.30319",
            "/r:" + CoreLib, "/publicsign+", "/keyfile:" + keyFile]).ToList();
        Step("facade", src.Append(CoreLib), args, [Facade], () =>
        {
            File.WriteAllBytes(keyFile, ReadPublicKey(Paths.NetstandardRef));
            Csc(args.Concat(src), "csc      netstandard.dll (facade)");
        });
    }

    private static byte[] ReadPublicKey(string assembly)
    {
        using var fs = File.OpenRead(assembly);
        using var pe = new PEReader(fs);
        var md = pe.GetMetadataReader();
        return md.GetBlobBytes(md.GetAssemblyDefinition().PublicKey);
    }

    private void CompileKernel()
    {
        var src = new[] { "boot", "drivers", "kernel" }
            .SelectMany(d => Files(Path.Combine(p.Root, d), "*.cs"))
            .Where(f => !f.Contains("/kernel/Runtime/")).Append(DsdtAmlCs).ToList();
        var args = CscCommon(KernelDll).Concat(["/nostdlib+", "/r:" + CoreLib, "/r:" + Facade, "/r:" + p.IcedDll]).ToList();
        Step("kernel", src.Append(CoreLib).Append(Facade), args, [KernelDll], () => Csc(args.Concat(src), "csc      Hypervisor.dll"));
    }

    private static IEnumerable<string> CscCommon(string output) =>
    [
        "/noconfig", "/nologo", "/unsafe+", "/target:library", "/deterministic+", "/optimize+", "/debug-",
        "/langversion:latest", "/nullable:disable", "/warnaserror-", "/nowarn:CS0169,CS0649,CS8500,CS0414,CS1591,CS8981,CS8002",
        "/out:" + output,
    ];

    private static void Csc(IEnumerable<string> args, string what) => Run.Tool(Paths.DotnetHost, new[] { Paths.Csc }.Concat(args), what);

    private void RunIlc()
    {
        string map = Path.Combine(p.Obj, "Hypervisor.map.xml");
        var args = new List<string>
        {
            KernelDll, "-o:" + KernelObj, "-r:" + CoreLib, "-r:" + Facade, "-r:" + p.IcedDll,
            "--systemmodule:" + CoreLibName, "--targetos:windows", "--targetarch:x64", "-O",
            // x86-64-v2 (SSE4.2, POPCNT): present on QEMU's EPYC model, Bochs's Skylake-X and every
            // VT-x/AMD-V server of the last decade. v3 would emit AVX, which guests may own later.
            "--instruction-set:x86-64-v2",
            "--nativelib", "--generateunmanagedentrypoints:" + CoreLibName, "--directpinvoke:" + AsmLibName,
            "--map:" + map, "--reflectiondata:none", "--feature:System.Diagnostics.Debugger.IsSupported=false",
        };
        Step("ilc", [KernelDll, CoreLib, Facade, p.IcedDll], args, [KernelObj], () =>
        {
            string output = Run.Tool(p.Ilc, args, "ilc      Hypervisor.obj");
            // ilc reports problems such as "IL1005: ... will always throw" and still exits 0: a
            // missing member would become a run-time failure inside the image. Refuse them all.
            var diags = Regex.Matches(output, @"\bIL\d{4}\b");
            if (diags.Count > 0)
            {
                File.Delete(KernelObj);
                throw new BuildError("ilc reported " + diags.Count + " diagnostic(s) (see above); each is an error here");
            }
        });
    }

    private List<string> AssembleAll()
    {
        var outs = new List<string>();
        foreach (var asm in Files(Path.Combine(p.Root, "kernel", "Arch", "Asm"), "*.asm"))
        {
            string obj = Path.Combine(p.Obj, Path.GetFileNameWithoutExtension(asm) + ".asm.obj");
            var incs = Files(Path.Combine(p.Root, "kernel", "Arch", "Asm"), "*.inc");
            var args = new List<string> { "-f", "win64", "-Ox", "-I", Path.Combine(p.Root, "kernel", "Arch", "Asm") + "/", "-o", obj, asm };
            Step("nasm-" + Path.GetFileNameWithoutExtension(asm), incs.Append(asm), args, [obj],
                () => Run.Tool(Run.Which("nasm"), args, "nasm     " + Path.GetFileName(asm)));
            outs.Add(obj);
        }
        return outs;
    }

    private void Link(List<string> asmObjs)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(p.EfiApp));
        var args = new List<string>
        {
            "/subsystem:efi_application", "/entry:EfiMain", "/nodefaultlib", "/Brepro", "/debug:none",
            "/dynamicbase", "/out:" + p.EfiApp, "/map:" + Path.Combine(p.Obj, "BOOTX64.map"), KernelObj,
        };
        args.AddRange(asmObjs);
        Step("link", asmObjs.Append(KernelObj), args, [p.EfiApp], () => Run.Tool(Run.Which("lld-link"), args, "lld-link BOOTX64.EFI"));
    }

    /// <summary>The boot volume's folder: the EFI app plus hv.cfg and guest files (tools/defaults).</summary>
    private void AssembleEsp()
    {
        string defaults = Path.Combine(p.Root, "tools", "defaults", "esp");
        foreach (var f in Files(defaults, "*"))
        {
            string dst = Path.Combine(p.Esp, Path.GetRelativePath(defaults, f));
            Directory.CreateDirectory(Path.GetDirectoryName(dst));
            if (!File.Exists(dst) || !File.ReadAllBytes(dst).AsSpan().SequenceEqual(File.ReadAllBytes(f)))
                File.Copy(f, dst, true);
        }
    }

    private void Step(string name, IEnumerable<string> inputs, IEnumerable<string> args, string[] outputs, Action action)
    {
        string stamp = Path.Combine(p.Obj, name + ".stamp");
        if (Stamp.UpToDate(stamp, inputs, args, outputs, out string hash)) return;
        if (File.Exists(stamp)) File.Delete(stamp);
        action();
        Stamp.Record(stamp, hash);
    }

    private static List<string> Files(string dir, string pattern) =>
        Directory.Exists(dir)
            ? Directory.GetFiles(dir, pattern, SearchOption.AllDirectories).Where(f => !f.Contains("/bin/") && !f.Contains("/obj/"))
                .OrderBy(f => f, StringComparer.Ordinal).ToList()
            : [];
}
