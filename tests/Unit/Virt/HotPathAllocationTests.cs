using System;
using Hv.Devices;
using Hv.Virt;
using Xunit;
using static Hv.Tests.Unit.Virt.GuestPageTables;

namespace Hv.Tests.Unit.Virt
{
    /// <summary>The exit path allocates nothing (docs/runtime.md: the kernel heap never frees).</summary>
    [Collection(Hv.Tests.Unit.AllocationMeasuringCollection.Name)]
    public class HotPathAllocationTests
    {
        private const ulong MmioCode = 0x50_0000;

        private sealed class CountingSink : ILineSink
        {
            public int Lines;
            public void WriteLine(ReadOnlySpan<char> line) => Lines++;
        }

        [Fact]
        public void HandleExit_CpuidIoMmioEmulationMsrInjection_AllocatesNothing()
        {
            var t = new TestVm(ramBytes: 0x40_0000);
            var sink = new CountingSink();
            Assert.True(t.Vm.TryRegisterIo(0xE9, 1, new DebugConsoleDevice("t1", sink), out _));
            Assert.True(t.Vm.TryRegisterIo(0x60, 4, new RecordingDevice(), out _));
            Assert.True(t.Vm.TryRegisterMmio(0xFEC0_0000, 0x1000, new RecordingDevice(), out _));
            var pt = new GuestPageTables(t.Vm.Memory, 0x10_0000);
            pt.LongMode(t.State);
            pt.Map(0x40_0000, 0x30_0000, P);
            pt.Map(MmioCode, 0x31_0000, P);
            pt.Map(0xFEC0_0000, 0xFEC0_0000, P | W);
            pt.Map(0xC000_0000, 0xC000_0000, P | W);
            Assert.True(t.Vm.Memory.Write(0x31_0000, new byte[]
            {
                0x89, 0x03,                 // mov [rbx], eax         (device)
                0x48, 0x8B, 0x01,           // mov rax, [rcx]         (unclaimed)
                0xF0, 0x83, 0x0B, 0x01,     // lock or dword [rbx], 1
                0xF3, 0xAB,                 // rep stosd              (Retry once, then Done)
                0x0F, 0x0B,                 // ud2                    (refused: #UD)
            }));
            FakeVcpu s = t.State;
            s.InterruptsOn();
            s[GuestRegister.Cr4] |= (ulong)Cr4Bits.OsXsave;
            byte[] fetch = new byte[15];

            RunMix(t, fetch, 200);                                    // warm up: JIT, statics
            long before = GC.GetAllocatedBytesForCurrentThread();
            RunMix(t, fetch, 5000);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(0, allocated);
            Assert.True(sink.Lines > 0);
            Assert.False(t.Vm.IsStopped);
        }

        private static void RunMix(TestVm t, byte[] fetch, int rounds)
        {
            Vcpu v = t.Vcpu;
            FakeVcpu s = t.State;
            for (int i = 0; i < rounds; i++)
            {
                s[GuestRegister.Rax] = (ulong)(i % 3 == 0 ? 1 : i % 3 == 1 ? 0x4000_0000 : 7);
                s[GuestRegister.Rcx] = 0;
                var cpuid = new VmExit { Kind = VmExitKind.Cpuid };
                v.HandleExit(ref cpuid);

                var xsave = new VmExit { Kind = VmExitKind.Cpuid };
                s[GuestRegister.Rax] = 0xD;
                v.HandleExit(ref xsave);

                var outb = TestVm.Io(VmExitKind.IoOut, 0xE9, 1, i % 40 == 0 ? '\n' : 'x');
                v.HandleExit(ref outb);
                var inl = TestVm.Io(VmExitKind.IoIn, 0x60, 4);
                v.HandleExit(ref inl);
                var unclaimed = TestVm.Io(VmExitKind.IoIn, 0x80, 1);
                v.HandleExit(ref unclaimed);

                s[GuestRegister.Rip] = MmioCode;
                s[GuestRegister.Rbx] = 0xFEC0_0010;
                s[GuestRegister.Rcx] = 0xC000_0000;
                s[GuestRegister.Rdi] = 0xFEC0_0100;
                var mmioW = TestVm.Mmio(AccessKind.Write, 0xFEC0_0010);
                v.HandleExit(ref mmioW);
                var mmioR = TestVm.Mmio(AccessKind.Read, 0xC000_0000);
                v.HandleExit(ref mmioR);
                var locked = TestVm.Mmio(AccessKind.Write, 0xFEC0_0010);
                v.HandleExit(ref locked);
                s[GuestRegister.Rcx] = 100;
                var stos = TestVm.Mmio(AccessKind.Write, 0xFEC0_0100);
                v.HandleExit(ref stos);
                stos = TestVm.Mmio(AccessKind.Write, s[GuestRegister.Rdi]);
                v.HandleExit(ref stos);
                var refused = TestVm.Mmio(AccessKind.Read, 0xFEC0_0010);
                v.HandleExit(ref refused);
                s.Deliver();
                if (s[GuestRegister.Rip] != MmioCode + 11)
                    throw new InvalidOperationException("the MMIO sequence did not run through");

                var rdmsr = new VmExit { Kind = VmExitKind.MsrRead, Msr = (uint)Msr.ApicBase };
                v.HandleExit(ref rdmsr);
                var wrmsr = new VmExit { Kind = VmExitKind.MsrWrite, Msr = 0x201 };
                s[GuestRegister.Rax] = 0x800;
                s[GuestRegister.Rdx] = 0;
                v.HandleExit(ref wrmsr);

                v.PostInterrupt((byte)(0x30 + (i & 7)));
                s.InterruptShadow = true;
                v.PrepareEntry((ulong)i);
                s.InterruptShadow = false;
                var window = new VmExit { Kind = VmExitKind.InterruptWindow };
                v.HandleExit(ref window);
                s.Deliver();

                var hlt = new VmExit { Kind = VmExitKind.Hlt };
                v.PostInterrupt(0x90);
                v.HandleExit(ref hlt);                               // pending interrupt: runs on
                v.PrepareEntry((ulong)i);
                s.Deliver();

                InstructionFetcher.Fetch(t.Vm.Memory, s, 46, 0x40_0FF8, fetch);
            }
        }
    }
}
