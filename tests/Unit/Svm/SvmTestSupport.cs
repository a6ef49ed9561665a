using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Hv.Virt;
using Hv.Virt.Caps;
using Hv.Virt.Svm;

namespace Hv.Tests.Unit.Svm
{
    /// <summary>
    /// "Host-physical" pages for host tests: real, page-aligned, zeroed memory, so an address is
    /// also a pointer, as with the image's identity map. Never freed (a test run is short).
    /// </summary>
    internal static unsafe class FakePhysical
    {
        [ThreadStatic] private static int t_budget;
        [ThreadStatic] private static int t_allocated;

        /// <summary>Pages AllocPage hands out on this thread before it returns 0 (negative: unlimited).</summary>
        public static void SetBudget(int pages) { t_budget = pages; t_allocated = 0; }
        public static int Allocated => t_allocated;

        public static ulong AllocPage()
        {
            if (t_budget == 0) return 0;
            if (t_budget > 0) t_budget--;
            t_allocated++;
            return AllocPages(1);
        }

        public static ulong AllocPages(int pages)
        {
            void* p = NativeMemory.AlignedAlloc((nuint)(pages * 4096), 4096);
            NativeMemory.Clear(p, (nuint)(pages * 4096));
            return (ulong)p;
        }

        /// <summary>An aligned buffer of <paramref name="bytes"/> (a multiple of 4 KiB) aligned to <paramref name="alignment"/>.</summary>
        public static ulong AllocAligned(ulong bytes, ulong alignment)
        {
            void* p = NativeMemory.AlignedAlloc((nuint)bytes, (nuint)alignment);
            NativeMemory.Clear(p, (nuint)bytes);
            return (ulong)p;
        }
    }

    /// <summary>What the fake CPU does at one VMRUN: writes the exit into the VMCB (and GPRs).</summary>
    internal unsafe delegate void ExitScript(Vmcb* vmcb, ulong* gprs);

    /// <summary>ISvmHost without hardware: each Run plays the next scripted exit and records what it saw.</summary>
    internal sealed unsafe class FakeSvmHost : ISvmHost
    {
        private readonly Queue<ExitScript> _exits = new Queue<ExitScript>();

        public int Cpu { get; set; }
        public ulong Tsc { get; set; } = 1_000_000;
        public List<SvmTlbControl> TlbAtEntry { get; } = new List<SvmTlbControl>();
        public List<ulong> EventAtEntry { get; } = new List<ulong>();
        public int Runs => TlbAtEntry.Count;
        public ulong* LastGprs { get; private set; }
        public byte* LastFx { get; private set; }

        public int CurrentCpu => Cpu;
        public ulong ReadTsc() => Tsc;

        public void Then(ExitScript script) => _exits.Enqueue(script);

        /// <summary>Queues an exit with EXITCODE / EXITINFO1 / EXITINFO2.</summary>
        public void ThenExit(SvmExitCode code, ulong info1 = 0, ulong info2 = 0)
            => Then((v, g) => { v->Control.ExitCode = (ulong)code; v->Control.ExitInfo1 = info1; v->Control.ExitInfo2 = info2; });

        public void Run(int cpu, ulong vmcb, ulong* gprs, byte* fxState)
        {
            Vmcb* v = (Vmcb*)vmcb;
            LastGprs = gprs;
            LastFx = fxState;
            TlbAtEntry.Add(v->Control.TlbControl);
            EventAtEntry.Add(v->Control.EventInjection);
            // The CPU consumes EVENTINJ at VMRUN; EXITINTINFO is clear unless a script sets it.
            v->Control.ExitIntInfo = 0;
            if (_exits.Count == 0) throw new InvalidOperationException("no scripted exit left");
            _exits.Dequeue()(v, gprs);
        }
    }

    /// <summary>A VM for backend tests: RAM regions backed by real buffers, a platform and vCPU factory.</summary>
    internal sealed unsafe class SvmTestVm
    {
        public const ulong RamSize = 4ul << 20;
        /// <summary>Reset-vector page: gpa FFFF_F000 (CS base FFFF_0000 + IP FFF0 lands in it).</summary>
        public const ulong ResetPage = 0xFFFF_F000;

        public FakeSvmHost Host { get; } = new FakeSvmHost();
        public GuestRegion[] Memory { get; }
        public SvmPlatform Platform { get; }
        public ulong RamHost { get; }
        public ulong ResetHost { get; }

        public SvmTestVm(SvmFeatureFlags features = SvmFeatureFlags.NestedPaging, uint asids = 16)
        {
            RamHost = FakePhysical.AllocAligned(RamSize, 2ul << 20);
            ResetHost = FakePhysical.AllocPages(1);
            Memory = new[]
            {
                new GuestRegion { GuestPhysical = 0, HostPhysical = RamHost, Size = RamSize },
                new GuestRegion { GuestPhysical = ResetPage, HostPhysical = ResetHost, Size = 0x1000 },
            };
            ulong iopm = FakePhysical.AllocPages(SvmPermissionMaps.IopmPages);
            ulong msrpm = FakePhysical.AllocPages(SvmPermissionMaps.MsrpmPages);
            Platform = new SvmPlatform(Host, features, asids, Limits, iopm, msrpm, maxCpus: 4, resetEdx: 0x0080_0F12);
        }

        public static SvmCheckLimits Limits => SvmCheckLimits.Typical(48);

        public SvmVcpu Create(StartMode mode, ulong rip = 0x10_0000, int asid = 1, int index = 0)
        {
            FakePhysical.SetBudget(-1);
            var setup = new VcpuSetup
            {
                Index = index, Mode = mode, Rip = rip, Rax = 0x2BAD_B002, Rbx = 0x9000,
                Memory = Memory, Asid = asid, AllocZeroedPage = &FakePhysical.AllocPage, Rsi = 0x7000,
                Long = new LongModeStart { Cr3 = 0x9000, GdtBase = 0x8000, GdtLimit = 0x1F, CodeSelector = 0x10, DataSelector = 0x18 },
            };
            SvmVcpu vcpu = SvmVcpu.Create(Platform, ref setup, out string error);
            if (vcpu == null) throw new InvalidOperationException(error);
            return vcpu;
        }

        /// <summary>Writes guest bytes at guest-physical <paramref name="gpa"/> (inside a region).</summary>
        public void Poke(ulong gpa, params byte[] bytes)
        {
            if (!GuestRam.TryHostAddress(Memory, gpa, out ulong hpa)) throw new ArgumentException("not RAM");
            for (int i = 0; i < bytes.Length; i++) ((byte*)hpa)[i] = bytes[i];
        }

        public void Poke64(ulong gpa, ulong value)
        {
            if (!GuestRam.TryHostAddress(Memory, gpa, out ulong hpa)) throw new ArgumentException("not RAM");
            *(ulong*)hpa = value;
        }

        public static VmExit RunOnce(SvmVcpu vcpu)
        {
            VmExit exit = default;
            vcpu.Run(ref exit);
            return exit;
        }
    }
}
