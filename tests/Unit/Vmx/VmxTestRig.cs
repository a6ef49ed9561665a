using Hv.Tests.Unit.Caps;
using Hv.Virt;
using Hv.Virt.Caps;
using Hv.Virt.Vmx;
using Xunit;

namespace Hv.Tests.Unit.Vmx
{
    /// <summary>A vCPU's VMCS as the backend builds it, on a fake VMCS and fake pages, for one CPU profile.</summary>
    internal sealed class VmxTestRig
    {
        public readonly VmxCapabilities Caps;
        public readonly VmxControlSet Controls;
        public readonly FakePageMemory Memory = new FakePageMemory();
        public readonly FakeVmcs Vmcs = new FakeVmcs();
        public VmcsResources Resources;
        public readonly GuestRegion[] Ram;
        public readonly int PhysicalAddressBits;

        /// <summary>A Long64 start as the Linux loader gives it (page tables at 0x9000, GDT at 0x8000, __BOOT_CS/__BOOT_DS).</summary>
        public static readonly LongModeStart LinuxLikeStart = new LongModeStart { Cr3 = 0x9000, GdtBase = 0x8000, GdtLimit = 0x1F, CodeSelector = 0x10, DataSelector = 0x18 };

        public static VmxTestRig Bochs(StartMode mode = StartMode.ResetVector, ulong rip = 0x10_0000)
            => new VmxTestRig(IntelProfiles.BochsSkylakeX(), 40, mode, rip);

        public static VmxTestRig Server(StartMode mode = StartMode.ResetVector, ulong rip = 0x10_0000)
            => new VmxTestRig(IntelProfiles.SapphireRapidsLike(), 46, mode, rip);

        public VmxTestRig(FakeCpu cpu, int physBits, StartMode mode, ulong rip)
        {
            Caps = cpu.ProbeChecked().Vmx;
            PhysicalAddressBits = physBits;
            Assert.True(VmxControlPolicy.TryCompute(Caps, out Controls, out string error), error);
            // 8 MiB of RAM at 0 (2 MiB-aligned host memory) plus the 64 KiB under 4 GiB for the reset vector.
            Ram = new[]
            {
                new GuestRegion { GuestPhysical = 0, HostPhysical = 0x4000_0000, Size = 8ul << 20 },
                new GuestRegion { GuestPhysical = 0xFFFF_0000, HostPhysical = 0x5000_0000, Size = 0x1_0000 },
            };
            Assert.True(VmxStructures.TryBuildBitmaps(Memory, out Resources, out error), error);
            Assert.True(VmxStructures.TryBuildEpt(Memory, Caps, Ram, out Resources.EptPointer, out error), error);
            Resources.Vpid = 1;
            if (!Caps.PatSwitching) Vmcs.Unsupported.Add(VmcsField.HostIa32Pat);
            VmcsSetup.WriteAll(Vmcs, Controls, Resources, TypicalHost(Caps), mode, rip, LinuxLikeStart);
        }

        /// <summary>Host state as our kernel has it: GDT 08 code / 10 data / 18 TSS, GS base = per-CPU block, long mode with NX.</summary>
        public static VmxHostState TypicalHost(VmxCapabilities caps) => new VmxHostState
        {
            Cr0 = 0x8005_0033,
            Cr3 = 0x0000_0000_7F80_1000,
            Cr4 = (ulong)(Cr4.PAE | Cr4.OSFXSR | Cr4.OSXMMEXCPT | Cr4.VMXE | Cr4.PGE),
            Cs = 0x08, Ss = 0x10, Ds = 0x10, Es = 0x10, Fs = 0, Gs = 0, Tr = 0x18,
            FsBase = 0, GsBase = 0x7E12_3400, TrBase = 0x7E12_5000, GdtrBase = 0x7E12_6000, IdtrBase = 0x7E12_7000,
            SysenterCs = 0, SysenterEsp = 0, SysenterEip = 0,
            Efer = (ulong)(Efer.SCE | Efer.LME | Efer.LMA | Efer.NXE),
            Pat = 0x0007_0406_0007_0406,
            Rip = 0x0010_2000,
        };

        public System.Collections.Generic.List<string> Check() => VmEntryChecker.Check(Vmcs, Caps, PhysicalAddressBits);
    }
}
