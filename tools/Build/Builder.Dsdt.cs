namespace HvBuild;

internal sealed partial class Builder
{
    /// <summary>The guest DSDT's ASL source (compiled by iasl into the kernel image).</summary>
    private string DsdtAsl => Path.Combine(p.Root, "kernel", "Virt", "Platform", "Acpi", "dsdt.asl");

    private string GenDir => Path.Combine(p.Obj, "gen");

    /// <summary>The generated C# source holding the DSDT's AML bytes; the kernel compile includes it.</summary>
    private string DsdtAmlCs => Path.Combine(GenDir, "DsdtAml.cs");

    /// <summary>
    /// Compiles kernel/Virt/Platform/Acpi/dsdt.asl with iasl into build/obj/gen/dsdt.aml and
    /// DsdtAml.cs (a ReadOnlySpan&lt;byte&gt; over static data) through tools/gen-dsdt.sh, the same
    /// script tests/Unit runs, so the image and the unit tests hold the same AML. The script
    /// fails on any iasl error, warning or remark.
    /// </summary>
    private void Dsdt()
    {
        string script = Path.Combine(p.Root, "tools", "gen-dsdt.sh");
        var args = new List<string> { script, DsdtAsl, GenDir };
        Step("dsdt", [DsdtAsl, script], args, [DsdtAmlCs, Path.Combine(GenDir, "dsdt.aml")], () =>
        {
            Run.Which("iasl");   // a clear "run make deps" when acpica-tools is missing
            Run.Tool("bash", args, "iasl     dsdt.asl -> gen/DsdtAml.cs");
        });
    }
}
