using Hv.Integration.Harness;
using Xunit;

namespace Hv.Integration;

/// <summary>hv.cfg fault_test: a deliberate fault in a kernel thread on the last CPU gives a dump
/// naming the CPU and the thread with all registers, every other CPU is stopped by NMI and prints
/// its own registers, and the run ends with status 3.</summary>
public static class FaultDump
{
    public static BootResult Boot(string name, Emulator emulator, string kind, int cpus)
    {
        using BootCase boot = BootCase.FromBuild(name)
            .WithConfig("[hypervisor]\non_exit = debug-exit\nfault_test = " + kind + "\n").WithSmp(cpus);
        return boot.Run(emulator);
    }

    public static void AssertOthersStopped(BootResult r, int cpus, int faulting)
    {
        for (int c = 0; c < cpus; c++)
            if (c != faulting) r.AssertLineMatching($@"CPU {c} stopped by the panic \(NMI\); it was at RIP=0x[0-9a-f]{{16}} thread \S+");
        r.AssertLineMatching(@"RAX=0x[0-9a-f]{16}\s+RBX=0x[0-9a-f]{16}\s+RCX=0x[0-9a-f]{16}\s+RDX=0x[0-9a-f]{16}");
        r.AssertLineMatching(@"R13=0x[0-9a-f]{16}\s+R14=0x[0-9a-f]{16}\s+R15=0x[0-9a-f]{16}");
        r.AssertExitStatus(3);
    }
}

[Collection(QemuCollection.Name)]
public sealed class QemuFaultDumpTests
{
    [Fact]
    public void PageFaultInAThreadNamesCpuAndThreadAndStopsTheOthers()
    {
        BootResult r = FaultDump.Boot("fault-page", Emulator.Qemu, "page-fault", 4);
        r.AssertLine("EXCEPTION on CPU 3 (thread fault-test): vector 0x000000000000000e (#PF page fault) error code 0x0000000000000002");
        r.AssertLineMatching(@"CR2=0x0000000000000010 CR3=0x[0-9a-f]{16}");
        r.AssertLine("PANIC: CPU exception in the hypervisor");
        FaultDump.AssertOthersStopped(r, 4, 3);
    }

    [Fact]
    public void StackOverflowHitsTheGuardPageAndDoubleFaultsOnItsOwnStack()
    {
        BootResult r = FaultDump.Boot("fault-stack", Emulator.Qemu, "stack-overflow", 2);
        r.AssertLine("EXCEPTION on CPU 1 (thread fault-test): vector 0x0000000000000008 (#DF double fault)");
        FaultDump.AssertOthersStopped(r, 2, 1);
    }
}

[Collection(BochsCollection.Name)]
public sealed class BochsFaultDumpTests
{
    [Fact]
    public void WritingToCodeFaultsBecauseCodeIsReadOnly()
    {
        BootResult r = FaultDump.Boot("fault-wx", Emulator.Bochs, "write-code", 2);
        // Error code 3: the page is present (bit 0) and the access was a write (bit 1).
        r.AssertLine("EXCEPTION on CPU 1 (thread fault-test): vector 0x000000000000000e (#PF page fault) error code 0x0000000000000003");
        FaultDump.AssertOthersStopped(r, 2, 1);
    }
}
