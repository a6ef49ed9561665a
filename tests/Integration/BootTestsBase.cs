using Hv.Integration.Harness;
using Xunit;

namespace Hv.Integration;

/// <summary>
/// What every boot without VMs must show, whatever the emulator: self-tests pass, all CPUs come
/// online, timers are calibrated, the CPU report names the vendor, a clean debug exit. The
/// emulator-specific classes add their backend's report lines.
/// </summary>
public abstract class BootTestsBase
{
    protected readonly BootResult r;
    private readonly int _cpus;

    protected BootTestsBase(BootResult result, int cpus) { r = result; _cpus = cpus; }

    [Fact]
    public void AllCpusComeOnline()
    {
        for (int i = 0; i < _cpus; i++) r.AssertLineMatching($@"cpu {i} online \(APIC ID \d+\)");
        r.AssertLine($"smp: {_cpus} CPU(s) online");
    }

    [Fact]
    public void TimersAreCalibrated() => r.AssertLineMatching(@"time: TSC [1-9]\d* kHz \(against the .+\), LAPIC timer [1-9]\d* kHz");

    [Fact]
    public void SelfTestsPass()
    {
        r.AssertLine("SELFTEST runtime: PASS");
        r.AssertLine("SELFTEST iced: PASS");
        r.AssertLine("SELFTEST scheduler: PASS");
        r.AssertNoLineMatching(@"SELFTEST [^:]*: FAIL");
    }

    [Fact]
    public void ReportsCpuVendor() => r.AssertReportLine("cpu");

    [Fact]
    public void ExitsWithStatusZero() => r.AssertExitStatus(0);
}
