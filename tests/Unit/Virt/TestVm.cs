using System;
using Hv.Virt;
using Xunit;

namespace Hv.Tests.Unit.Virt
{
    /// <summary>A VM over fake host RAM: guest [0, size) backed by host memory at HostBase, vCPUs with FakeVcpu state.</summary>
    internal sealed class TestVm
    {
        public const ulong HostBase = 0x1_0000_0000;

        public readonly Vm Vm;
        public readonly FakeHostRam Host;
        public readonly FakeVcpu[] States;

        public TestVm(int vcpus = 1, int ramBytes = 0x10_0000, FakeHostCpuid cpu = null)
        {
            Host = new FakeHostRam(HostBase, ramBytes);
            var regions = new[] { Region(0, HostBase, (ulong)ramBytes) };
            Assert.True(GuestMemory.TryCreate(regions, Host, out GuestMemory memory, out string error), error);
            Assert.True(Vm.TryCreate("t1", 1, memory, vcpus, cpu ?? HostProfiles.Intel(), out Vm, out error), error);
            States = new FakeVcpu[vcpus];
            for (int i = 0; i < vcpus; i++)
            {
                States[i] = new FakeVcpu();
                Assert.True(Vm.VcpuAt(i).Attach(States[i]));
            }
        }

        public Vcpu Vcpu => Vm.VcpuAt(0);
        public FakeVcpu State => States[0];

        public static GuestRegion Region(ulong guest, ulong host, ulong size) =>
            new GuestRegion { GuestPhysical = guest, HostPhysical = host, Size = size };

        /// <summary>Runs one exit of <paramref name="kind"/> through HandleExit (the fields not set here stay zero).</summary>
        public ExitAction Exit(VmExitKind kind, int length = 0)
        {
            var exit = new VmExit { Kind = kind, InstructionLength = (byte)length };
            return Vcpu.HandleExit(ref exit);
        }

        public static VmExit Io(VmExitKind kind, ushort port, byte size, ulong value = 0, byte length = 1) =>
            new VmExit { Kind = kind, Port = port, Size = size, IoValue = value, InstructionLength = length };

        /// <summary>An MMIO exit as the backends report it: address and direction only (the core decodes the instruction at RIP).</summary>
        public static VmExit Mmio(AccessKind access, ulong gpa) =>
            new VmExit { Kind = VmExitKind.MmioAccess, Access = access, GuestPhysical = gpa };
    }
}
